// Package engine is the boundary between civetbox and a WebAssembly engine.
// It holds interfaces and plain types only; each engine lives in its own
// adapter package (runtime/engine/wazero, ...) and only that package imports
// the engine. Host functions are written once against Memory and the
// wazero-style value stack, so they run unchanged on every engine.
package engine

import "context"

// ValueType is a wasm value type in a host function signature.
type ValueType byte

const (
	I32 ValueType = iota + 1
	I64
)

// String returns the wasm text name of t.
func (t ValueType) String() string {
	switch t {
	case I32:
		return "i32"
	case I64:
		return "i64"
	}
	return "?"
}

// HostFunc is a function the host exports to guests.
//
// Fn receives the call's parameters in stack[0:len(Params)] and writes its
// results to stack[0:len(Results)]. ctx is the context passed to
// Function.Call, so per-request state travels in it. Fn traps the guest by
// panicking with an error; the adapter turns the panic into the error
// returned by Function.Call (errors.As finds the panic value).
type HostFunc struct {
	Name       string
	Params     []ValueType
	ParamNames []string
	Results    []ValueType
	Fn         func(ctx context.Context, mem Memory, stack []uint64)
}

// HostModule is a named set of host functions, instantiated once per engine.
type HostModule struct {
	Name  string
	Funcs []HostFunc
}

// Config configures an engine.
type Config struct {
	// Hosts are the host modules guests may import; they are all a guest
	// can reach. The engine's own WASI, if it has one, is not offered.
	Hosts []HostModule
	// CacheDir holds compiled code between runs; "" keeps it in memory.
	// It must not be writable by tenants: its contents are executed.
	CacheDir string
	// MemoryLimitPages caps each instance's linear memory (64 KiB pages);
	// 0 means the engine's maximum (4 GiB). A module declaring more fails
	// to instantiate; memory.grow beyond it returns -1.
	MemoryLimitPages uint32
	// DisablePreemption stops enforcing deadlines inside guest code: a
	// guest then runs until it returns. Only for measuring what preemption
	// costs; never for serving.
	DisablePreemption bool
	// DisableReset makes a Resetting engine instantiate every instance
	// anew instead of resetting used ones. Only for measuring what
	// resetting saves.
	DisableReset bool
}

// Engine compiles modules. It is safe for concurrent use.
type Engine interface {
	// Name identifies the engine ("wazero").
	Name() string
	// Compile validates and compiles a wasm binary.
	Compile(ctx context.Context, wasm []byte) (Module, error)
	// Close releases the engine and everything it created.
	Close(ctx context.Context) error
}

// Import is a function a module imports.
type Import struct {
	Module, Name    string
	Params, Results []ValueType
}

// Export is a function a module exports.
type Export struct {
	Name            string
	Params, Results []ValueType
}

// Module is a compiled module. It is safe for concurrent use.
type Module interface {
	// Imports lists the functions the module imports.
	Imports() []Import
	// Exports lists the functions the module exports.
	Exports() []Export
	// Instantiate creates a new, isolated instance. The only guest code it
	// runs is the module's start section, if it has one, under ctx.
	Instantiate(ctx context.Context) (Instance, error)
	// Close releases the compiled code. Instances must be closed first.
	Close(ctx context.Context) error
}

// Resetting is implemented by modules whose engine can hand out a closed
// instance again as a new one, after returning it to the state
// instantiation left it in; a fresh instance per request then costs far
// less. Nothing else changes for the caller: Instantiate still returns an
// isolated instance with nothing of its earlier use left.
type Resetting interface {
	// ResetBlocker says why this module's instances are instantiated
	// anew instead ("the module uses table.grow"); "" when they are reset.
	ResetBlocker() string
	// IdleInstances is how many reset instances the module keeps for
	// Instantiate; each holds its memory.
	IdleInstances() int
}

// Instance is one instantiated module. It is not safe for concurrent use:
// one request at a time.
type Instance interface {
	// Function returns the exported function name, or nil if there is none.
	// The result is cached by the adapter; calling it per request is cheap.
	Function(name string) Function
	// Memory is the instance's exported linear memory.
	Memory() Memory
	// Close releases the instance. It is safe to call more than once.
	Close(ctx context.Context) error
}

// Function is an exported guest function bound to its instance.
type Function interface {
	// Call runs the function. stack holds the parameters on entry and the
	// results on return; it must be at least max(params, results) long.
	// When ctx is done the guest is stopped and Call returns an error that
	// matches ctx.Err() with errors.Is. A wasm trap is a *TrapError.
	Call(ctx context.Context, stack []uint64) error
}

// Memory is a guest's linear memory as host functions see it. Only
// internal/guestmem may call Read and Write; everything else goes through it.
type Memory interface {
	// Size is the current size in bytes.
	Size() uint32
	// Read returns a view of [offset, offset+n), or false if out of range.
	// The view is invalid after the guest runs again (memory may grow).
	Read(offset, n uint32) ([]byte, bool)
	// Write copies b to offset, or returns false if out of range.
	Write(offset uint32, b []byte) bool
}
