// Declarations, in our own words, of the parts of wasmtime's C API that
// civetbox calls directly (rawcall.go, rawhost.go). The symbols come from
// the wasmtime library that wasmtime-go links; the layouts are those of
// the wasmtime release go.mod pins, checked by size in Go.

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct wasmtime_context cb_context;
typedef struct wasmtime_caller cb_caller;
typedef struct wasmtime_linker cb_linker;
typedef struct wasm_functype_t cb_functype;
typedef struct wasm_trap_t cb_trap;
typedef struct wasmtime_error cb_error;

// wasmtime_func_t: a store id and a private word.
typedef struct { uint64_t store_id; void *priv; } cb_func;

// wasmtime_memory_t: a store id and a private word in an inner struct
// (padded to 16 bytes), then another private word: 24 bytes.
typedef struct {
	struct { uint64_t store_id; uint32_t priv1; } id;
	uint32_t priv2;
} cb_memory;

// wasmtime_val_raw_t: a 16-byte union; the engine's values are i32 and i64.
typedef union { int32_t i32; int64_t i64; uint8_t v128[16]; } cb_val_raw;

// wasm_byte_vec_t.
typedef struct { size_t size; char *data; } cb_bytes;

typedef cb_trap *(*cb_unchecked_callback)(void *env, cb_caller *caller,
	cb_val_raw *args_and_results, size_t n);

cb_error *wasmtime_func_call_unchecked(cb_context *store, const cb_func *func,
	cb_val_raw *args_and_results, size_t n, cb_trap **trap);
cb_error *wasmtime_linker_define_func_unchecked(cb_linker *linker,
	const char *module, size_t module_len, const char *name, size_t name_len,
	const cb_functype *ty, cb_unchecked_callback cb, void *env,
	void (*finalizer)(void *));
cb_context *wasmtime_caller_context(cb_caller *caller);
void wasmtime_context_set_epoch_deadline(cb_context *store, uint64_t ticks_beyond_current);
uint8_t *wasmtime_memory_data(const cb_context *store, const cb_memory *memory);
size_t wasmtime_memory_data_size(const cb_context *store, const cb_memory *memory);
bool wasmtime_trap_code(const cb_trap *trap, uint8_t *code);
cb_trap *wasmtime_trap_new(const char *msg, size_t len);
void wasm_trap_message(const cb_trap *trap, cb_bytes *out);
void wasm_trap_delete(cb_trap *trap);
void wasmtime_error_message(const cb_error *err, cb_bytes *out);
void wasmtime_error_delete(cb_error *err);
void wasm_byte_vec_delete(cb_bytes *vec);
