package recycle

import (
	goruntime "runtime"
	"sync"
	"sync/atomic"
)

// MaxIdlePerModule bounds a module's idle instances: enough for the
// requests a small server runs at once.
var MaxIdlePerModule = max(4, 2*goruntime.GOMAXPROCS(0))

// MaxIdlePerEngine bounds the idle instances of all of an engine's modules,
// so that many tenants cannot make idle instances hold much memory.
const MaxIdlePerEngine = 64

// MaxMemory is the largest memory a snapshot is taken of: clearing it on
// every reset costs about a microsecond per 128 KiB, and an idle instance
// holds it.
const MaxMemory = 8 << 20

// Limit counts the idle instances of all of an engine's pools.
type Limit struct{ idle atomic.Int64 }

// Idle is how many instances the engine's pools keep.
func (l *Limit) Idle() int64 { return l.idle.Load() }

// reserve counts one more idle instance, unless the engine keeps
// MaxIdlePerEngine already; pools of one engine race for the last places.
func (l *Limit) reserve() bool {
	for {
		n := l.idle.Load()
		if n >= MaxIdlePerEngine {
			return false
		}
		if l.idle.CompareAndSwap(n, n+1) {
			return true
		}
	}
}

// Reusable is an instance a Pool keeps.
type Reusable interface {
	// Reopen readies a reset instance to be handed out again, as if new.
	Reopen()
}

// Pool keeps one module's snapshot and its idle reset instances, of type
// T. It is safe for concurrent use.
type Pool[T Reusable] struct {
	limit *Limit

	mu     sync.Mutex
	snap   *Snapshot
	noSnap string // why there is no snapshot: refused, or the first instance gave none
	idle   []T
	closed bool
}

// NewPool returns an empty pool counted against limit. A non-empty blocker
// says why the module's instances cannot be reset: the pool then never
// takes a snapshot or keeps an instance, and Blocker reports it.
func NewPool[T Reusable](limit *Limit, blocker string) *Pool[T] {
	return &Pool[T]{limit: limit, noSnap: blocker}
}

// Capture sets the snapshot with take the first time it is called; take
// runs on a new instance no guest code has run in and returns the
// snapshot, or why there is none. Every instance of a module starts
// identical, so one snapshot serves them all.
func (p *Pool[T]) Capture(take func() (*Snapshot, string)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.snap == nil && p.noSnap == "" {
		p.snap, p.noSnap = take()
	}
}

// Snapshot returns the snapshot, or nil before Capture or when it had
// none.
func (p *Pool[T]) Snapshot() *Snapshot {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.snap
}

// Blocker says why the module's instances are not reset: "" while they
// are, or may be once an instance exists.
func (p *Pool[T]) Blocker() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.noSnap
}

// Len is how many idle instances the pool keeps.
func (p *Pool[T]) Len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.idle)
}

// Get returns an idle instance, reopened, if there is one.
func (p *Pool[T]) Get() (in T, ok bool) {
	p.mu.Lock()
	n := len(p.idle)
	if n == 0 {
		p.mu.Unlock()
		return in, false
	}
	in = p.idle[n-1]
	var zero T
	p.idle[n-1] = zero
	p.idle = p.idle[:n-1]
	p.mu.Unlock()
	p.limit.idle.Add(-1)
	in.Reopen()
	return in, true
}

// HasRoom reports whether Put would likely keep an instance, so that an
// adapter need not reset one only to close it.
func (p *Pool[T]) HasRoom() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.hasRoom()
}

func (p *Pool[T]) hasRoom() bool {
	return p.snap != nil && !p.closed && len(p.idle) < MaxIdlePerModule && p.limit.idle.Load() < MaxIdlePerEngine
}

// Put keeps a reset instance for Get, or reports that it did not (the
// caller then closes it).
func (p *Pool[T]) Put(in T) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.hasRoom() || !p.limit.reserve() {
		return false
	}
	p.idle = append(p.idle, in)
	return true
}

// Close empties the pool for good and returns the idle instances for the
// caller to close; Put keeps nothing afterwards.
func (p *Pool[T]) Close() []T {
	p.mu.Lock()
	idle := p.idle
	p.idle, p.closed = nil, true
	p.mu.Unlock()
	p.limit.idle.Add(-int64(len(idle)))
	return idle
}
