//go:build cgo

package wasmtime

// Entering the guest and the host functions use wasmtime's C API directly:
// wasmtime-go's Func.Call asks wasmtime for the function's type on every
// call (three cgo calls and four objects with finalizers, a third of a
// pooled request), and its host trampoline allocates and crosses into C
// for every argument. The declarations are our own (wasmtime_raw.h); the
// symbols come from the wasmtime library wasmtime-go links. RATIONALE.md
// says why.

/*
#include "wasmtime_raw.h"

// call_raw sets the store's epoch deadline, enters the guest and reports
// a trap's code, if it has one, all in one crossing.
static cb_error *call_raw(cb_context *store, uint64_t epochs, const cb_func *func,
		cb_val_raw *vals, size_t n, cb_trap **trap, int *code) {
	uint8_t c;
	cb_error *err;

	wasmtime_context_set_epoch_deadline(store, epochs);
	err = wasmtime_func_call_unchecked(store, func, vals, n, trap);
	*code = -1;
	if (*trap != NULL && wasmtime_trap_code(*trap, &c)) {
		*code = c;
	}
	return err;
}

// Host functions: wasmtime calls host_trampoline with the env given at
// definition, which names the function in rawhost.go's table.
// The caller's store context is looked up here, in C: from Go it would
// be one more cgo crossing per host call.
extern cb_trap *civetboxHostCall(uintptr_t env, cb_context *store, cb_val_raw *vals, size_t n);
extern void civetboxHostRelease(uintptr_t env);

static cb_trap *host_trampoline(void *env, cb_caller *caller, cb_val_raw *vals, size_t n) {
	return civetboxHostCall((uintptr_t)env, wasmtime_caller_context(caller), vals, n);
}

static void host_release(void *env) { civetboxHostRelease((uintptr_t)env); }

static cb_error *define_host(cb_linker *linker, _GoString_ module, _GoString_ name,
		const cb_functype *ty, uintptr_t env) {
	return wasmtime_linker_define_func_unchecked(linker, _GoStringPtr(module), _GoStringLen(module),
		_GoStringPtr(name), _GoStringLen(name), ty, host_trampoline, (void *)env, host_release);
}

static cb_trap *new_trap(_GoString_ msg) {
	return wasmtime_trap_new(_GoStringPtr(msg), _GoStringLen(msg));
}

// memory_span is a memory's address and size in one crossing.
static uint8_t *memory_span(const cb_context *store, const cb_memory *mem, size_t *size) {
	*size = wasmtime_memory_data_size(store, mem);
	return wasmtime_memory_data(store, mem);
}
*/
import "C"

import (
	"errors"
	"fmt"
	"runtime"
	"unsafe"

	wt "github.com/bytecodealliance/wasmtime-go/v39"

	"github.com/civetbox/civetbox/runtime/engine"
)

// maxRawValues bounds a guest entry's parameters and results: the ABI's
// exports take at most a few.
const maxRawValues = 8

// rawLayout is whether wasmtime-go's types wrap exactly the C values the
// direct calls need (Func and Memory hold the C struct, Linker and
// FuncType start with their C pointer). New refuses to build an engine
// otherwise, naming the problem, rather than misread memory.
var rawLayout = unsafe.Sizeof(wt.Func{}) == unsafe.Sizeof(C.cb_func{}) &&
	unsafe.Sizeof(wt.Memory{}) == unsafe.Sizeof(C.cb_memory{}) &&
	unsafe.Sizeof(wt.Linker{}) == 2*unsafe.Sizeof(uintptr(0)) &&
	unsafe.Sizeof(wt.FuncType{}) == 3*unsafe.Sizeof(uintptr(0))

var errLayout = errors.New("wasmtime: this wasmtime-go's types do not have the layout civetbox's direct calls were written for (see runtime/engine/wasmtime/wasmtime_raw.h)")

// rawFunc is an exported function called without wasmtime-go's per-call
// type lookup, with its signature as read once at lookup.
type rawFunc struct {
	fn       C.cb_func
	params   []bool // whether each parameter is an i64 (else i32)
	results  int    // 0 or 1
	result64 bool
}

// newRawFunc binds f, or says why it cannot call a function of this
// signature (more parameters or results than any ABI export has).
func newRawFunc(f *wt.Func, params, results []engine.ValueType) (raw rawFunc, err error) {
	if len(params) > maxRawValues || len(results) > 1 {
		return rawFunc{}, fmt.Errorf("wasmtime: cannot call a function with %d parameters and %d results (at most %d and 1)",
			len(params), len(results), maxRawValues)
	}
	raw = rawFunc{fn: *(*C.cb_func)(unsafe.Pointer(f)), results: len(results)}
	for _, t := range params {
		raw.params = append(raw.params, t == engine.I64)
	}
	raw.result64 = len(results) == 1 && results[0] == engine.I64
	return raw, nil
}

// rawTrap is a trap the guest call ended with, read out of wasmtime.
type rawTrap struct {
	code    wt.TrapCode
	hasCode bool
	msg     string
}

func (t *rawTrap) Error() string { return t.msg }

// call runs the function in store with vals as arguments and leaves its
// result in vals[0]. It uses wasmtime's unchecked calling convention: the
// caller vouches for the types, which were read from the function itself.
// callScratch is what a guest call hands C by pointer. cgo moves such
// variables to the heap, so each store keeps one for its calls instead:
// three allocations less per call.
type callScratch struct {
	raw  [maxRawValues]C.cb_val_raw
	trap *C.cb_trap
	code C.int
	busy bool // a call is using it; a nested call gets its own
}

// call runs the function in the store whose context is store, with an
// epoch deadline epochs ticks away and vals as its parameters and
// results, passing them through s (nil: a scratch of its own).
func (f *rawFunc) call(store *C.cb_context, epochs uint64, s *callScratch, vals []uint64) error {
	if s == nil || s.busy {
		s = new(callScratch)
	}
	s.busy = true
	defer func() { s.busy = false }()
	for i, is64 := range f.params {
		if is64 {
			*(*int64)(unsafe.Pointer(&s.raw[i])) = int64(vals[i])
		} else {
			*(*int32)(unsafe.Pointer(&s.raw[i])) = int32(uint32(vals[i]))
		}
	}
	s.trap, s.code = nil, 0
	n := max(len(f.params), f.results)
	cerr := C.call_raw(store, C.uint64_t(epochs), &f.fn, &s.raw[0], C.size_t(n), &s.trap, &s.code)
	switch {
	case s.trap != nil:
		return takeTrap(s.trap, s.code)
	case cerr != nil:
		return takeError(cerr)
	case f.results == 0:
	case f.result64:
		vals[0] = uint64(*(*int64)(unsafe.Pointer(&s.raw[0])))
	default:
		vals[0] = uint64(*(*uint32)(unsafe.Pointer(&s.raw[0])))
	}
	return nil
}

func takeTrap(trap *C.cb_trap, code C.int) error {
	var msg C.cb_bytes
	C.wasm_trap_message(trap, &msg)
	t := &rawTrap{msg: bytesString(msg, true)}
	C.wasm_byte_vec_delete(&msg)
	C.wasm_trap_delete(trap)
	if code >= 0 {
		t.code, t.hasCode = wt.TrapCode(code), true
	}
	return t
}

func takeError(cerr *C.cb_error) error {
	var msg C.cb_bytes
	C.wasmtime_error_message(cerr, &msg)
	err := errors.New(bytesString(msg, false))
	C.wasm_byte_vec_delete(&msg)
	C.wasmtime_error_delete(cerr)
	return err
}

// bytesString copies a wasm_byte_vec_t; trap messages end in a NUL.
func bytesString(b C.cb_bytes, nulTerminated bool) string {
	n := int(b.size)
	if nulTerminated && n > 0 {
		n--
	}
	if n <= 0 || b.data == nil {
		return ""
	}
	return C.GoStringN(b.data, C.int(n))
}

// memorySpan is a store's memory as a slice, valid until the guest next
// runs (it may grow the memory, moving it). size receives the size; the
// caller provides it so that it need not move to the heap.
func memorySpan(ctx *C.cb_context, mem *C.cb_memory, size *C.size_t) []byte {
	p := C.memory_span(ctx, mem, size)
	if p == nil || *size == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(p)), int(*size))
}

// defineRaw defines f in linker with the unchecked convention.
func defineRaw(linker *wt.Linker, module string, f engine.HostFunc) error {
	ty := wt.NewFuncType(valTypes(f.Params), valTypes(f.Results))
	env := registerHost(f)
	cerr := C.define_host(*(**C.cb_linker)(unsafe.Pointer(linker)), module, f.Name,
		*(**C.cb_functype)(unsafe.Pointer(ty)), C.uintptr_t(env))
	runtime.KeepAlive(linker)
	runtime.KeepAlive(ty)
	if cerr != nil {
		releaseHost(env)
		return takeError(cerr)
	}
	return nil
}

// contextOf is a store's context, the handle the C API takes.
func contextOf(store *wt.Store) *C.cb_context {
	return (*C.cb_context)(unsafe.Pointer(store.Context()))
}

// newTrap is a trap carrying msg, for wasmtime to stop the guest with.
func newTrap(msg string) *C.cb_trap { return C.new_trap(msg) }
