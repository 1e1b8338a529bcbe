//go:build cgo

package wasmtime

// #include "wasmtime_raw.h"
import "C"

import (
	"context"
	"fmt"

	wt "github.com/bytecodealliance/wasmtime-go/v39"

	"github.com/civetbox/civetbox/runtime/engine"
)

// define adds a host module's functions to the linker. They are
// store-independent, called through wasmtime's unchecked convention
// (rawhost.go), and reach the calling instance's state through the store.
func (e *Engine) define(host engine.HostModule) error {
	for _, f := range host.Funcs {
		if err := defineRaw(e.linker, host.Name, f); err != nil {
			return fmt.Errorf("wasmtime: define %s.%s: %w", host.Name, f.Name, err)
		}
	}
	return nil
}

// storeState is the per-store (per-instance) data host functions need.
type storeState struct {
	ctx      context.Context // the guest call in progress
	panicked error           // what a host function panicked with in it
	memory   *wt.Memory      // the instance's exported memory
	mem      memView         // this host call's view of it
	stack    [16]uint64      // arguments and results; no host function has more
	scratch  callScratch     // for guest calls
}

// memView is a guest's memory during one host call. The memory's address
// and size cost a cgo call, so they are only fetched when a host function
// touches memory.
type memView struct {
	ctx    *C.cb_context // the calling store's, during a host call
	mem    C.cb_memory
	hasMem bool
	data   []byte
	size   C.size_t // memorySpan's result, kept here so it is not allocated
}

func (m *memView) bytes() []byte {
	if m.data == nil && m.ctx != nil && m.hasMem {
		m.data = memorySpan(m.ctx, &m.mem, &m.size)
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
