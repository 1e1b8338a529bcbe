package runtime

import (
	"context"
	"sync"
	"time"

	"github.com/civetbox/civetbox/hostfuncs"
)

// callContext is a request's context as the guest and the host functions
// see it: the server's context with the request deadline and, during the
// guest call, the host functions' scope. context.WithTimeout and WithValue
// cost five allocations and a runtime timer per request; this costs none,
// because nothing on the usual path waits on Done: instrumented guest code
// polls Err at every yield, and blocking host functions use the
// connection's deadlines. Done builds a real deadline context on first use.
//
// Err can report the deadline a moment before Done is closed (the lazy
// timer fires after it); every caller in civetbox polls Err or selects on
// Done and then reads Err, for which that is harmless.
type callContext struct {
	parent   context.Context
	deadline time.Time
	// start and budget are deadline as an offset from when init read the
	// clock: Err then needs only the monotonic clock, half of what
	// time.Now reads.
	start  time.Time
	budget time.Duration
	scope  *hostfuncs.Scope // nil outside a guest call

	once   sync.Once
	lazy   context.Context // built by Done
	cancel context.CancelFunc
}

var _ context.Context = (*callContext)(nil)

// init starts c for a request that must end within timeout, or earlier if
// the parent's own deadline says so.
func (c *callContext) init(parent context.Context, timeout time.Duration) {
	c.parent, c.start = parent, time.Now()
	c.deadline = c.start.Add(timeout)
	if d, ok := parent.Deadline(); ok && d.Before(c.deadline) {
		c.deadline = d
	}
	c.budget = c.deadline.Sub(c.start)
}

// release stops the lazy context's timer, if Done made one.
func (c *callContext) release() {
	c.once.Do(func() {}) // no Done after this
	if c.cancel != nil {
		c.cancel()
	}
}

func (c *callContext) Deadline() (time.Time, bool) { return c.deadline, true }

func (c *callContext) Done() <-chan struct{} {
	c.once.Do(func() { c.lazy, c.cancel = context.WithDeadline(c.parent, c.deadline) })
	if c.lazy == nil {
		return c.parent.Done() // after release: the request is over
	}
	return c.lazy.Done()
}

func (c *callContext) Err() error {
	if err := c.parent.Err(); err != nil {
		return err
	}
	if time.Since(c.start) >= c.budget {
		return context.DeadlineExceeded
	}
	return nil
}

func (c *callContext) Value(key any) any {
	if c.scope != nil && hostfuncs.IsScopeKey(key) {
		return c.scope
	}
	return c.parent.Value(key)
}

// withScope is hostfuncs.WithScope, without an allocation when ctx is a
// callContext outside a guest call; endScope ends it.
func withScope(ctx context.Context, s *hostfuncs.Scope) context.Context {
	if c, ok := ctx.(*callContext); ok && c.scope == nil {
		c.scope = s
		return c
	}
	return hostfuncs.WithScope(ctx, s)
}

// endScope ends a scope withScope put in a callContext.
func endScope(ctx context.Context) {
	if c, ok := ctx.(*callContext); ok {
		c.scope = nil
	}
}
