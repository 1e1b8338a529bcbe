package wazero

import (
	"github.com/tetratelabs/wazero/api"

	"github.com/civetbox/civetbox/runtime/engine/recycle"
)

// resetter hands out closed instances of one module again, returned to the
// state instantiation left them in, so that a fresh instance per request
// costs clearing its memory instead of an instantiation (a wazero instance
// builds its globals, tables, data and a call engine per export).
//
// wasmbin's ResetPlan makes every mutable global an export and vouches
// that nothing changes a table or drops a segment, so an instance's state
// is its memory and those globals; both are copied back from a snapshot of
// the module's first instance, taken before any guest code ran. An instance
// is closed instead when a call into it failed (it stopped somewhere in
// the middle: a trap, a deadline, a host function's panic) or its memory
// grew (wazero cannot shrink it).
type resetter struct {
	globals []string // export names of every mutable global
	pool    *recycle.Pool[*instance]
}

// newResetter returns the module's resetter; a non-empty blocker says why
// it will not reset any instance.
func newResetter(e *Engine, globals []string, blocker string) *resetter {
	return &resetter{globals: globals, pool: recycle.NewPool[*instance](&e.idle, blocker)}
}

// Reopen implements recycle.Reusable.
func (in *instance) Reopen() { in.closed, in.failed = false, false }

// capture takes the module's snapshot from its first instance.
func (r *resetter) capture(in *instance) {
	r.pool.Capture(func() (*recycle.Snapshot, string) {
		mem := in.mod.Memory()
		globals, ok := in.mutableGlobals(r.globals)
		switch {
		case mem == nil:
			return nil, "the module exports no memory"
		case !ok:
			return nil, "a mutable global is not exported" // wasmbin exports them all
		case mem.Size() > recycle.MaxMemory:
			return nil, "its initial memory is larger than 8 MiB"
		}
		buf, _ := mem.Read(0, mem.Size())
		values := make([]uint64, len(globals))
		for i, g := range globals {
			values[i] = g.Get()
		}
		return recycle.NewSnapshot(buf, values), ""
	})
}

// recycle resets a closed instance and keeps it for Instantiate, or reports
// that it could not.
func (r *resetter) recycle(in *instance) bool {
	if !r.pool.HasRoom() || !in.restore(r.pool.Snapshot(), r.globals) {
		return false
	}
	return r.pool.Put(in)
}

// close closes the idle instances; instances closed later are not kept.
func (r *resetter) close() []*instance { return r.pool.Close() }

// restore returns in's memory and globals to snap, unless its memory grew.
func (in *instance) restore(snap *recycle.Snapshot, names []string) bool {
	mem := in.mod.Memory()
	if snap == nil || mem == nil || mem.Size() != snap.MemorySize() {
		return false
	}
	globals, ok := in.mutableGlobals(names)
	if !ok {
		return false
	}
	buf, _ := mem.Read(0, snap.MemorySize())
	snap.RestoreMemory(buf)
	for i, g := range globals {
		g.Set(snap.Globals()[i])
	}
	return true
}

// mutableGlobals looks up the instance's exported mutable globals once
// (wazero allocates a wrapper per lookup).
func (in *instance) mutableGlobals(names []string) ([]api.MutableGlobal, bool) {
	if in.globals == nil {
		globals := make([]api.MutableGlobal, len(names))
		for i, name := range names {
			g, ok := in.mod.ExportedGlobal(name).(api.MutableGlobal)
			if !ok {
				return nil, false
			}
			globals[i] = g
		}
		in.globals = globals
	}
	return in.globals, true
}
