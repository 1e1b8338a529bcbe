//go:build cgo

package wasmtime

import (
	"context"
	"fmt"

	wt "github.com/bytecodealliance/wasmtime-go/v39"

	"github.com/civetbox/civetbox/runtime/engine"
)

// define adds a host module's functions to the linker. They are
// store-independent (Linker.FuncNew: no reflection), and reach the calling
// instance's state through the store's data.
func (e *Engine) define(host engine.HostModule) error {
	for _, f := range host.Funcs {
		ty := wt.NewFuncType(valTypes(f.Params), valTypes(f.Results))
		err := e.linker.FuncNew(host.Name, f.Name, ty, hostCallback(f))
		if err != nil {
			return fmt.Errorf("wasmtime: define %s.%s: %w", host.Name, f.Name, err)
		}
	}
	return nil
}

// hostCallback adapts a host function to wasmtime's calling convention: the
// arguments go into the store's reusable value stack, the function runs
// against a view of the caller's memory (fetched only if it is used), and
// the stack holds the results afterwards. A panic (a trap raised by the host
// function) is kept in the store's state and the guest stopped with a trap;
// the call that entered the guest reports the panic (takePanic), whichever
// path entered it.
func hostCallback(f engine.HostFunc) func(*wt.Caller, []wt.Val) ([]wt.Val, *wt.Trap) {
	n := max(len(f.Params), len(f.Results))
	return func(caller *wt.Caller, args []wt.Val) (_ []wt.Val, trap *wt.Trap) {
		st := caller.Data().(*storeState)
		stack := st.stack[:n]
		for i, a := range args {
			stack[i] = fromVal(a)
		}
		st.mem.caller, st.mem.data = caller, nil
		defer func() {
			st.mem.caller, st.mem.data = nil, nil
			if r := recover(); r != nil {
				st.panicked = panicError(r)
				trap = wt.NewTrap("civetbox: host function " + f.Name + " trapped")
			}
		}()
		f.Fn(st.ctx, &st.mem, stack)
		// wasmtime-go copies the results out before the next call, so the
		// store's slice can be reused.
		results := st.results[:len(f.Results)]
		for i, t := range f.Results {
			results[i] = toVal(t, stack[i])
		}
		return results, nil
	}
}

// storeState is the per-store (per-instance) data host functions need.
type storeState struct {
	ctx      context.Context // the guest call in progress
	panicked error           // what a host function panicked with in it
	memory   *wt.Memory      // the instance's exported memory
	mem      memView         // this host call's view of it
	stack    [16]uint64      // arguments and results; no host function has more
	results  [2]wt.Val       // results handed back to wasmtime-go
}

// memView is a guest's memory during one host call. The memory's address
// and size cost two cgo calls, so they are only fetched when a host function
// touches memory.
type memView struct {
	memory *wt.Memory
	caller *wt.Caller
	data   []byte
}

func (m *memView) bytes() []byte {
	if m.data == nil && m.caller != nil && m.memory != nil {
		m.data = m.memory.UnsafeData(m.caller)
	}
	return m.data
}

var _ engine.Memory = (*memView)(nil)

func (m *memView) Size() uint32 { return uint32(len(m.bytes())) }

func (m *memView) Read(offset, n uint32) ([]byte, bool) {
	data := m.bytes()
	end := uint64(offset) + uint64(n)
	if end > uint64(len(data)) {
		return nil, false
	}
	return data[offset:end:end], true
}

func (m *memView) Write(offset uint32, b []byte) bool {
	data := m.bytes()
	if uint64(offset)+uint64(len(b)) > uint64(len(data)) {
		return false
	}
	copy(data[offset:], b)
	return true
}

func valTypes(ts []engine.ValueType) []*wt.ValType {
	out := make([]*wt.ValType, len(ts))
	for i, t := range ts {
		out[i] = wt.NewValType(valKind(t))
	}
	return out
}

func valKind(t engine.ValueType) wt.ValKind {
	if t == engine.I64 {
		return wt.KindI64
	}
	return wt.KindI32
}

func fromVal(v wt.Val) uint64 {
	if v.Kind() == wt.KindI64 {
		return uint64(v.I64())
	}
	return uint64(uint32(v.I32()))
}

func toVal(t engine.ValueType, v uint64) wt.Val {
	if t == engine.I64 {
		return wt.ValI64(int64(v))
	}
	return wt.ValI32(int32(uint32(v)))
}

func fromKinds(ts []*wt.ValType) []engine.ValueType {
	out := make([]engine.ValueType, len(ts))
	for i, t := range ts {
		switch t.Kind() {
		case wt.KindI32:
			out[i] = engine.I32
		case wt.KindI64:
			out[i] = engine.I64
		}
	}
	return out
}

// takePanic is what a host function panicked with during the call that
// ended with err, in place of the trap that stopped the guest; else err.
func (st *storeState) takePanic(err error) error {
	if p := st.panicked; p != nil {
		st.panicked = nil
		return p
	}
	return err
}
