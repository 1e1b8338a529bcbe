// Package wasmtime adapts wasmtime (Cranelift, through wasmtime-go) to
// runtime/engine. It needs cgo: without it the package only declares Name,
// and binaries built with CGO_ENABLED=0 have wazero alone.
//
// Guests are preempted with epoch interruption (a ticker advances the
// engine's epoch; each call gets a deadline in epochs), checked at function
// entries and loop headers, so loop-free code cannot outrun its deadline.
// The wasm stack is bounded at MaxWasmStack bytes.
package wasmtime

// Name is the engine's name in configs, flags and metrics.
const Name = "wasmtime"
