package wazero

import (
	"context"
	"errors"
	"fmt"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
	"github.com/tetratelabs/wazero/sys"

	"github.com/civetbox/civetbox/internal/wasmbin"
	"github.com/civetbox/civetbox/runtime/engine"
)

type module struct {
	eng *Engine
	cm  wazero.CompiledModule
	// reset recycles closed instances as fresh ones, unless its pool
	// says why it cannot.
	reset *resetter
}

// isYield reports whether an import is the one instrumentation added; it is
// not the guest's, so Imports leaves it out.
func (m *module) isYield(mod, name string) bool {
	return m.eng.instrument && mod == wasmbin.YieldModule && name == wasmbin.YieldFunc
}

var (
	_ engine.Module    = (*module)(nil)
	_ engine.Resetting = (*module)(nil)
)

func (m *module) Imports() []engine.Import {
	defs := m.cm.ImportedFunctions()
	out := make([]engine.Import, 0, len(defs))
	for i, d := range defs {
		mod, name, _ := d.Import()
		if i == len(defs)-1 && m.isYield(mod, name) {
			continue
		}
		out = append(out, engine.Import{
			Module: mod, Name: name,
			Params: fromValueTypes(d.ParamTypes()), Results: fromValueTypes(d.ResultTypes()),
		})
	}
	return out
}

func (m *module) Exports() []engine.Export {
	defs := m.cm.ExportedFunctions()
	out := make([]engine.Export, 0, len(defs))
	for name, d := range defs {
		out = append(out, engine.Export{
			Name:   name,
			Params: fromValueTypes(d.ParamTypes()), Results: fromValueTypes(d.ResultTypes()),
		})
	}
	return out
}

// Instantiate hands out a reset instance when the module keeps one: it is
// in the state a new instance would be in (see resetter).
func (m *module) Instantiate(ctx context.Context) (engine.Instance, error) {
	if in, ok := m.reset.pool.Get(); ok {
		return in, nil
	}
	ctx = experimental.WithMemoryAllocator(ctx, &m.eng.memories)
	mod, err := m.eng.rt.InstantiateModule(ctx, m.cm, m.eng.base)
	if err != nil {
		return nil, fmt.Errorf("wazero: instantiate: %w", classify(err))
	}
	in := &instance{mod: mod, owner: m}
	m.reset.capture(in)
	return in, nil
}

// IdleInstances implements engine.Resetting.
func (m *module) IdleInstances() int { return m.reset.pool.Len() }

// ResetBlocker implements engine.Resetting.
func (m *module) ResetBlocker() string { return m.reset.pool.Blocker() }

func (m *module) Close(ctx context.Context) error {
	for _, in := range m.reset.close() {
		_ = in.mod.Close(ctx)
	}
	return m.cm.Close(ctx)
}

type instance struct {
	mod   api.Module
	owner *module
	// globals are the exported mutable globals, once looked up for a
	// reset; failed is set when a call into the guest failed, and closed
	// once Close ran, until the instance is handed out again.
	globals        []api.MutableGlobal
	failed, closed bool
	// funcs are the exports looked up so far, found or not. Each costs
	// wazero a call engine with a 10 KB stack, so they are made only when
	// asked for; an instance uses three at most (_initialize, init,
	// dispatch), which a slice searches faster than a map is built.
	funcs []*function
}

var _ engine.Instance = (*instance)(nil)

func (i *instance) Function(name string) engine.Function {
	for _, f := range i.funcs {
		if f.name == name {
			return f.orNil()
		}
	}
	// Misses are kept too: wazero builds an error for each, and a reset
	// instance is asked for the absent _initialize on every request.
	f := &function{name: name, fn: i.mod.ExportedFunction(name), inst: i}
	i.funcs = append(i.funcs, f)
	return f.orNil()
}

func (i *instance) Memory() engine.Memory {
	if m := i.mod.Memory(); m != nil {
		return m
	}
	return nil
}

// Close resets the instance for its module to hand out again, or closes it.
func (i *instance) Close(ctx context.Context) error {
	if i.closed {
		return nil
	}
	i.closed = true
	if !i.failed && i.owner.reset.recycle(i) {
		return nil
	}
	return i.mod.Close(ctx)
}

type function struct {
	name string
	fn   api.Function // nil: the module exports no such function
	inst *instance
}

func (f *function) orNil() engine.Function {
	if f.fn == nil {
		return nil
	}
	return f
}

func (f *function) Call(ctx context.Context, stack []uint64) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%w: guest not started", err)
	}
	if err := f.fn.CallWithStack(ctx, stack); err != nil {
		f.inst.failed = true
		return f.inst.depthExceeded(classify(err))
	}
	return nil
}

// depthExceeded reports the instrumentation's "unreachable" as the stack
// overflow it stands for: the trap left the depth counter over the bound.
// The counter is looked up only then, since wazero allocates a wrapper for
// it; it is absent when the module is not instrumented.
func (i *instance) depthExceeded(err error) error {
	var trap *engine.TrapError
	if !errors.As(err, &trap) || trap.Kind != engine.TrapUnreachable {
		return err
	}
	if depth := i.mod.ExportedGlobal(wasmbin.DepthGlobal); depth != nil && uint32(depth.Get()) > MaxCallDepth {
		trap.Kind = engine.TrapStackOverflow
	}
	return err
}

// classify turns wazero's errors into the engine's vocabulary: context
// errors keep matching ctx.Err(), traps become *engine.TrapError, and errors a
// host function panicked with stay reachable through errors.As.
func classify(err error) error {
	var exit *sys.ExitError
	if errors.As(err, &exit) {
		switch exit.ExitCode() {
		case sys.ExitCodeDeadlineExceeded:
			return fmt.Errorf("%w: guest stopped", context.DeadlineExceeded)
		case sys.ExitCodeContextCanceled:
			return fmt.Errorf("%w: guest stopped", context.Canceled)
		}
		return &engine.TrapError{Kind: engine.TrapExit, ExitCode: exit.ExitCode(), Err: err}
	}
	if kind, ok := trapKind(err); ok {
		return &engine.TrapError{Kind: kind, Err: err}
	}
	return err
}

// wazeroTraps maps the messages of wazero's runtime errors (an internal type)
// to trap kinds.
var wazeroTraps = map[string]engine.TrapKind{
	"unreachable":                   engine.TrapUnreachable,
	"out of bounds memory access":   engine.TrapMemoryOutOfRange,
	"integer divide by zero":        engine.TrapDivideByZero,
	"integer overflow":              engine.TrapIntegerOverflow,
	"invalid conversion to integer": engine.TrapBadConversion,
	"indirect call type mismatch":   engine.TrapIndirectCall,
	"invalid table access":          engine.TrapTableOutOfRange,
	"stack overflow":                engine.TrapStackOverflow,
}

func trapKind(err error) (engine.TrapKind, bool) {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if kind, ok := wazeroTraps[e.Error()]; ok {
			return kind, true
		}
	}
	return "", false
}
