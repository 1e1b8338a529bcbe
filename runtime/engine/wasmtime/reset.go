//go:build cgo

package wasmtime

import (
	"errors"
	"fmt"

	wt "github.com/bytecodealliance/wasmtime-go/v39"

	"github.com/civetbox/civetbox/internal/wasmbin"
	"github.com/civetbox/civetbox/runtime/engine/recycle"
)

// resetter hands out closed instances of one module again, returned to the
// state instantiation left them in: a wasmtime instance costs a store, an
// instantiation and the first touch of every page it uses, about 50 µs,
// where a reset costs clearing its memory.
//
// As on wazero: wasmbin.ExportGlobals exports every mutable global and
// vouches that nothing changes a table or drops a segment, so memory and
// those globals are an instance's whole state; both are copied back from
// the module's first instance, taken before any guest code ran. An
// instance a call failed in (a trap, an interrupt, a host function's
// panic) or whose memory grew is closed instead. The store stays with its
// instance; per-call settings (the epoch deadline) are set on every call.
type resetter struct {
	globals []string // export names of every mutable global
	values  []wt.Val // their values in the snapshot; set once, by capture
	pool    *recycle.Pool[*instance]
}

// prepare rewrites wasm for resets when the engine does them: it returns
// the module to compile and its resetter, which says why when it will not
// reset. A module exporting a name the host reserves is refused, as on
// wazero.
func (e *Engine) prepare(wasm []byte) ([]byte, *resetter, error) {
	out, err := wasmbin.ExportGlobals(wasm)
	plan := wasmbin.ResetPlan{}
	switch {
	case errors.Is(err, wasmbin.ErrReservedExport):
		return nil, nil, err
	case err != nil:
		// Left to the compiler to accept or refuse: wasmtime knows
		// proposals the rewriter does not.
		plan.Blocker = "the module could not be prepared: " + wasmbin.Detail(err)
	case e.noReset:
		plan.Blocker = "resetting instances is disabled"
	case out.Reset.Blocker != "":
		plan.Blocker = out.Reset.Blocker
	default:
		wasm, plan = out.Wasm, out.Reset
	}
	return wasm, &resetter{globals: plan.Globals, pool: recycle.NewPool[*instance](&e.idle, plan.Blocker)}, nil
}

// Reopen implements recycle.Reusable.
func (in *instance) Reopen() { in.closed, in.failed = false, false }

// capture takes the module's snapshot from its first instance.
func (r *resetter) capture(in *instance) {
	r.pool.Capture(func() (*recycle.Snapshot, string) {
		globals, err := in.mutableGlobals(r.globals)
		switch {
		case in.state.memory == nil:
			return nil, "the module exports no memory"
		case err != nil:
			return nil, err.Error()
		}
		mem := in.memoryBytes()
		if len(mem) > recycle.MaxMemory {
			return nil, "its initial memory is larger than 8 MiB"
		}
		r.values = make([]wt.Val, len(globals))
		for i, g := range globals {
			r.values[i] = g.Get(in.store)
		}
		return recycle.NewSnapshot(mem, nil), ""
	})
}

// recycle resets a closed instance and keeps it for Instantiate, or reports
// that it could not.
func (r *resetter) recycle(in *instance) bool {
	if !r.pool.HasRoom() || !r.restore(in) {
		return false
	}
	return r.pool.Put(in)
}

// restore returns in's memory and globals to the snapshot, unless its
// memory grew.
func (r *resetter) restore(in *instance) bool {
	snap := r.pool.Snapshot()
	if snap == nil || in.state.memory == nil {
		return false
	}
	mem := in.memoryBytes()
	globals, err := in.mutableGlobals(r.globals)
	if len(mem) != int(snap.MemorySize()) || err != nil {
		return false
	}
	snap.RestoreMemory(mem)
	for i, g := range globals {
		if g.Set(in.store, r.values[i]) != nil {
			return false
		}
	}
	return true
}

// memoryBytes is the instance's memory between calls, through our own C
// call (wasmtime-go's UnsafeData costs two).
func (in *instance) memoryBytes() []byte {
	return memorySpan(in.storeCtx, &in.state.mem.mem, &in.state.mem.size)
}

// mutableGlobals looks up the instance's exported mutable globals once.
func (in *instance) mutableGlobals(names []string) ([]*wt.Global, error) {
	if in.globals == nil {
		globals := make([]*wt.Global, len(names))
		for i, name := range names {
			ext := in.inst.GetExport(in.store, name)
			if ext == nil || ext.Global() == nil {
				return nil, fmt.Errorf("global %s is not exported", name) // ExportGlobals exports them all
			}
			globals[i] = ext.Global()
		}
		in.globals = globals
	}
	return in.globals, nil
}
