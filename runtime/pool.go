package runtime

import (
	"context"
	"sync"
)

// instances hands out an instance per request and takes it back.
type instances interface {
	// get returns an instance for one request, or ctx's error.
	get(ctx context.Context) (*instance, error)
	// put takes the instance back; reusable is false after a trap, a
	// timeout or a failed response.
	put(in *instance, reusable bool)
	// close closes idle instances; busy ones are closed when put back.
	close()
}

type newInstanceFunc func(ctx context.Context) (*instance, error)

// freshInstances creates an instance per request and closes it afterwards.
type freshInstances struct{ newInstance newInstanceFunc }

func (f freshInstances) get(ctx context.Context) (*instance, error) { return f.newInstance(ctx) }

func (f freshInstances) put(in *instance, _ bool) { in.closeAndRecycle(context.Background()) }

func (f freshInstances) close() {}

// pooledInstances keeps at most size instances, busy or idle. A request that
// finds none idle creates one if under the bound, else waits for one to come
// back or for its deadline. Instances are only reused after a clean request,
// and are never shared by two requests at once.
type pooledInstances struct {
	newInstance newInstanceFunc
	idle        chan *instance // holds at most size instances
	slots       chan struct{}  // one token per live instance

	mu     sync.Mutex
	closed bool
}

func newPooledInstances(size int, newInstance newInstanceFunc) *pooledInstances {
	return &pooledInstances{newInstance: newInstance, idle: make(chan *instance, size), slots: make(chan struct{}, size)}
}

func (p *pooledInstances) get(ctx context.Context) (*instance, error) {
	select {
	case in := <-p.idle:
		return in, nil
	default:
	}
	select {
	case in := <-p.idle:
		return in, nil
	case p.slots <- struct{}{}:
		in, err := p.newInstance(ctx)
		if err != nil {
			<-p.slots
			return nil, err
		}
		return in, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (p *pooledInstances) put(in *instance, reusable bool) {
	p.mu.Lock()
	keep := reusable && !p.closed
	if keep {
		p.idle <- in // never blocks: at most size instances exist
	}
	p.mu.Unlock()
	if !keep {
		in.close(context.Background())
		<-p.slots
	}
}

func (p *pooledInstances) close() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	for {
		select {
		case in := <-p.idle:
			in.close(context.Background())
			<-p.slots
		default:
			return
		}
	}
}
