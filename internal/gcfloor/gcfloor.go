// Package gcfloor keeps the garbage collector's heap goal from falling below
// a floor while the live heap is small, and leaves it alone once the live
// heap is large.
//
// With Go's default GOGC=100, a server whose live heap is a megabyte or two
// collects whenever 4 MiB have been allocated: under load, every few
// milliseconds. civetbox allocates little per request, but it keeps wasm
// memories and compiled code alive, so each of those frequent cycles costs
// it more than it costs a bare net/http server. Raising GOGC outright would
// also multiply the goal of a server holding hundreds of MiB of guest
// memory; a floor costs at most its own size: the goal is
// max(floor, what GOGC=100 gives).
package gcfloor

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
)

// runtimeMinimum is the runtime's smallest heap goal at GOGC=100; it scales
// with GOGC (runtime.defaultHeapMinimum).
const runtimeMinimum = 4 << 20

// Percent is the GOGC that gives a heap goal of about floor bytes for a
// live heap of live bytes, and never less than 100 (the default): the goal
// is live×(1+GOGC/100), but at least 4 MiB×GOGC/100, so the GOGC is the
// smaller of the two that reach the floor.
func Percent(floor, live uint64) int {
	if floor <= 2*live || floor <= runtimeMinimum {
		return 100
	}
	byMinimum := floor * 100 / runtimeMinimum
	byLive := byMinimum
	if live > 0 {
		byLive = (floor - live) * 100 / live
	}
	return max(100, int(min(byMinimum, byLive)))
}

// Floor adjusts GOGC after every garbage collection.
type Floor struct {
	floor   uint64
	stopped atomic.Bool
	mu      sync.Mutex // serializes adjust with Stop
	prev    int        // GOGC before Start, restored by Stop
	set     int        // GOGC as last set
	sample  []metrics.Sample
}

// sentinel is allocated to become garbage: its cleanup runs once per
// collection. It holds a pointer so it is never a tiny allocation, whose
// cleanup could wait for unrelated objects.
type sentinel struct{ _ *byte }

// Start keeps the heap goal at or above floor bytes until Stop. It sets
// GOGC at once for the current live heap.
func Start(floor uint64) *Floor {
	f := &Floor{floor: floor, sample: []metrics.Sample{{Name: "/gc/heap/live:bytes"}}}
	f.prev = debug.SetGCPercent(100)
	f.set = 100
	f.adjust()
	f.arm()
	return f
}

// arm schedules adjust for the end of the next collection.
func (f *Floor) arm() {
	runtime.AddCleanup(&sentinel{}, func(f *Floor) {
		if !f.stopped.Load() {
			f.adjust()
			f.arm()
		}
	}, f)
}

// adjust sets GOGC for the live heap the last collection found.
func (f *Floor) adjust() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.stopped.Load() {
		return
	}
	metrics.Read(f.sample)
	if p := Percent(f.floor, f.sample[0].Value.Uint64()); p != f.set {
		debug.SetGCPercent(p)
		f.set = p
	}
}

// Stop stops adjusting GOGC and restores the value Start found.
func (f *Floor) Stop() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.stopped.Swap(true) {
		debug.SetGCPercent(f.prev)
	}
}
