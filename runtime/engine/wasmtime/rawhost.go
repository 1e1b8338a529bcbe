//go:build cgo

package wasmtime

// #include "wasmtime_raw.h"
import "C"

import (
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/civetbox/civetbox/runtime/engine"
)

// rawHost is a host function as wasmtime's unchecked trampoline calls it.
type rawHost struct {
	fn      engine.HostFunc
	params  []bool // whether each parameter is an i64 (else i32)
	results []bool
	slots   int // max(params, results): the values wasmtime passes
}

// hosts maps the env wasmtime passes back to the host function; stores
// maps a store's context to its state. Both are read on every host call
// and written only when engines and instances come and go.
var (
	hosts    sync.Map // uintptr -> *rawHost
	nextHost atomic.Uintptr
	stores   sync.Map // *C.cb_context -> *storeState
)

func registerHost(f engine.HostFunc) uintptr {
	h := &rawHost{fn: f, slots: max(len(f.Params), len(f.Results))}
	for _, t := range f.Params {
		h.params = append(h.params, t == engine.I64)
	}
	for _, t := range f.Results {
		h.results = append(h.results, t == engine.I64)
	}
	env := nextHost.Add(1)
	hosts.Store(env, h)
	return env
}

// releaseHost forgets a definition; wasmtime calls it when the linker
// that held it is gone. Releasing twice is harmless.
func releaseHost(env uintptr) { hosts.Delete(env) }

//export civetboxHostRelease
func civetboxHostRelease(env C.uintptr_t) { releaseHost(uintptr(env)) }

// registerStore makes st reachable from host calls in the store of ctx;
// forgetStore undoes it before the store is deleted.
func registerStore(ctx *C.cb_context, st *storeState) { stores.Store(ctx, st) }
func forgetStore(ctx *C.cb_context)                   { stores.Delete(ctx) }

// civetboxHostCall runs a host function for a guest: arguments from
// wasmtime's value array onto the store's stack, the function against a
// view of the caller's memory, results back into the array. A panic (a
// trap a host function raises) is kept in the store's state and the guest
// stopped with a trap; the call that entered the guest reports the panic.
//
//export civetboxHostCall
func civetboxHostCall(env C.uintptr_t, ctx *C.cb_context, vals *C.cb_val_raw, n C.size_t) (trap *C.cb_trap) {
	hv, _ := hosts.Load(uintptr(env))
	sv, _ := stores.Load(ctx)
	h, _ := hv.(*rawHost)
	st, _ := sv.(*storeState)
	if h == nil || st == nil || int(n) < h.slots || h.slots > len(st.stack) {
		return newTrap("civetbox: host call from an unknown store or function")
	}
	raw := unsafe.Slice(vals, int(n))
	stack := st.stack[:h.slots]
	for i, is64 := range h.params {
		if is64 {
			stack[i] = uint64(*(*int64)(unsafe.Pointer(&raw[i])))
		} else {
			stack[i] = uint64(*(*uint32)(unsafe.Pointer(&raw[i])))
		}
	}
	st.mem.ctx, st.mem.data = ctx, nil
	defer func() {
		st.mem.ctx, st.mem.data = nil, nil
		if r := recover(); r != nil {
			st.panicked = panicError(r)
			trap = newTrap("civetbox: host function " + h.fn.Name + " trapped")
		}
	}()
	h.fn.Fn(st.ctx, &st.mem, stack)
	for i, is64 := range h.results {
		if is64 {
			*(*int64)(unsafe.Pointer(&raw[i])) = int64(stack[i])
		} else {
			*(*int32)(unsafe.Pointer(&raw[i])) = int32(uint32(stack[i]))
		}
	}
	return nil
}
