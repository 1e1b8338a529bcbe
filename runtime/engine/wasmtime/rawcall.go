//go:build cgo

package wasmtime

// The guest entry calls wasmtime's C API directly: wasmtime-go's Func.Call
// asks wasmtime for the function's type on every call (three cgo calls and
// four objects with finalizers), which was a third of a pooled request.
// The declarations are our own, for the few functions used; the symbols
// come from the wasmtime library wasmtime-go links. RATIONALE.md says why.

/*
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct wasmtime_context cb_context;
typedef struct wasm_trap_t cb_trap;
typedef struct wasmtime_error cb_error;

// wasmtime_func_t: a store id and a private word.
typedef struct { uint64_t store_id; void *priv; } cb_func;

// wasmtime_val_raw_t: a 16-byte union; the engine's values are i32 and i64.
typedef union { int32_t i32; int64_t i64; uint8_t v128[16]; } cb_val_raw;

// wasm_byte_vec_t.
typedef struct { size_t size; char *data; } cb_bytes;

cb_error *wasmtime_func_call_unchecked(cb_context *store, const cb_func *func,
	cb_val_raw *args_and_results, size_t args_and_results_len, cb_trap **trap);
bool wasmtime_trap_code(const cb_trap *trap, uint8_t *code);
void wasm_trap_message(const cb_trap *trap, cb_bytes *out);
void wasm_trap_delete(cb_trap *trap);
void wasmtime_error_message(const cb_error *err, cb_bytes *out);
void wasmtime_error_delete(cb_error *err);
void wasm_byte_vec_delete(cb_bytes *vec);

// call_raw enters the guest and reports a trap's code, if it has one,
// in the same crossing.
static cb_error *call_raw(cb_context *store, const cb_func *func, cb_val_raw *vals,
		size_t n, cb_trap **trap, int *code) {
	uint8_t c;
	cb_error *err = wasmtime_func_call_unchecked(store, func, vals, n, trap);
	*code = -1;
	if (*trap != NULL && wasmtime_trap_code(*trap, &c)) {
		*code = c;
	}
	return err;
}
*/
import "C"

import (
	"errors"
	"unsafe"

	wt "github.com/bytecodealliance/wasmtime-go/v39"

	"github.com/civetbox/civetbox/runtime/engine"
)

// maxRawValues bounds a guest entry's parameters and results: the ABI's
// exports take at most a few.
const maxRawValues = 8

// rawCallable is whether wasmtime-go's Func is exactly the C struct it
// wraps, which the direct call needs; otherwise calls go through
// Func.Call. A test checks it holds for the version in go.mod.
var rawCallable = unsafe.Sizeof(wt.Func{}) == unsafe.Sizeof(C.cb_func{})

// rawFunc is an exported function called without wasmtime-go's per-call
// type lookup, with its signature as read once at lookup.
type rawFunc struct {
	fn       C.cb_func
	params   []bool // whether each parameter is an i64 (else i32)
	results  int    // 0 or 1
	result64 bool
}

// newRawFunc binds f; ok is false for a signature it cannot call.
func newRawFunc(f *wt.Func, params, results []engine.ValueType) (raw rawFunc, ok bool) {
	if !rawCallable || len(params) > maxRawValues || len(results) > 1 {
		return rawFunc{}, false
	}
	raw = rawFunc{fn: *(*C.cb_func)(unsafe.Pointer(f)), results: len(results)}
	for _, t := range params {
		raw.params = append(raw.params, t == engine.I64)
	}
	raw.result64 = len(results) == 1 && results[0] == engine.I64
	return raw, true
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
func (f *rawFunc) call(store *wt.Store, vals []uint64) error {
	var raw [maxRawValues]C.cb_val_raw
	for i, is64 := range f.params {
		if is64 {
			*(*int64)(unsafe.Pointer(&raw[i])) = int64(vals[i])
		} else {
			*(*int32)(unsafe.Pointer(&raw[i])) = int32(uint32(vals[i]))
		}
	}
	var trap *C.cb_trap
	var code C.int
	n := max(len(f.params), f.results)
	cerr := C.call_raw((*C.cb_context)(unsafe.Pointer(store.Context())), &f.fn, &raw[0], C.size_t(n), &trap, &code)
	switch {
	case trap != nil:
		return takeTrap(trap, code)
	case cerr != nil:
		return takeError(cerr)
	case f.results == 0:
	case f.result64:
		vals[0] = uint64(*(*int64)(unsafe.Pointer(&raw[0])))
	default:
		vals[0] = uint64(*(*uint32)(unsafe.Pointer(&raw[0])))
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
