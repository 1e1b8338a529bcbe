//go:build cgo

package wasmtime

// #include "wasmtime_raw.h"
import "C"

import (
	"context"
	"errors"
	"fmt"
	"unsafe"

	wt "github.com/bytecodealliance/wasmtime-go/v39"

	"github.com/civetbox/civetbox/runtime/engine"
)

type module struct {
	eng *Engine
	m   *wt.Module
	// reset recycles closed instances as fresh ones, unless its pool
	// says why it cannot.
	reset *resetter
}

var (
	_ engine.Module    = (*module)(nil)
	_ engine.Resetting = (*module)(nil)
)

func (m *module) Imports() []engine.Import {
	var out []engine.Import
	for _, imp := range m.m.Imports() {
		ft := imp.Type().FuncType()
		if ft == nil {
			continue
		}
		name := ""
		if imp.Name() != nil {
			name = *imp.Name()
		}
		out = append(out, engine.Import{Module: imp.Module(), Name: name,
			Params: fromKinds(ft.Params()), Results: fromKinds(ft.Results())})
	}
	return out
}

func (m *module) Exports() []engine.Export {
	var out []engine.Export
	for _, exp := range m.m.Exports() {
		if ft := exp.Type().FuncType(); ft != nil {
			out = append(out, engine.Export{Name: exp.Name(),
				Params: fromKinds(ft.Params()), Results: fromKinds(ft.Results())})
		}
	}
	return out
}

// Instantiate hands out a reset instance when the module keeps one (see
// resetter); else it creates a store of its own for the instance, limited
// to the engine's memory limit, and instantiates the module in it.
func (m *module) Instantiate(ctx context.Context) (engine.Instance, error) {
	if in, ok := m.reset.pool.Get(); ok {
		return in, nil
	}
	in, err := m.instantiate(ctx)
	if err != nil {
		return nil, err
	}
	m.reset.capture(in)
	return in, nil
}

func (m *module) instantiate(ctx context.Context) (_ *instance, err error) {
	st := &storeState{ctx: ctx}
	// Host calls of a start function see ctx; afterwards the store must not
	// hold on to a request's context, which is recycled with its exchange.
	defer func() { st.ctx = nil }()
	store := wt.NewStore(m.eng.eng)
	storeCtx := contextOf(store)
	registerStore(storeCtx, st)
	defer func() {
		if err != nil {
			forgetStore(storeCtx)
			store.Close()
		}
	}()
	store.Limiter(m.eng.memLimit, -1, -1, -1, -1)
	inst := &instance{eng: m.eng, owner: m, store: store, storeCtx: storeCtx, state: st, funcs: map[string]*function{}}
	store.SetEpochDeadline(inst.epochs(ctx))
	// A start function's host calls report their panics through st, as
	// guest calls do (rawhost.go), so none unwinds through wasmtime-go.
	wi, err := m.eng.linker.Instantiate(store, m.m)
	if err != nil {
		return nil, fmt.Errorf("wasmtime: instantiate: %w", classify(ctx, st.takePanic(err)))
	}
	inst.inst = wi
	if ext := wi.GetExport(store, "memory"); ext != nil && ext.Memory() != nil {
		st.memory = ext.Memory()
		st.mem.mem, st.mem.hasMem = *(*C.cb_memory)(unsafe.Pointer(st.memory)), true
	}
	return inst, nil
}

// IdleInstances implements engine.Resetting.
func (m *module) IdleInstances() int { return m.reset.pool.Len() }

// ResetBlocker implements engine.Resetting.
func (m *module) ResetBlocker() string { return m.reset.pool.Blocker() }

func (m *module) Close(context.Context) error {
	for _, in := range m.reset.pool.Close() {
		in.release()
	}
	m.m.Close()
	return nil
}

type instance struct {
	eng   *Engine
	owner *module
	store *wt.Store
	// storeCtx is the store's context, the handle the C API takes: the
	// same for the store's life, and a cgo call each time wasmtime-go's
	// Store.Context is asked for it.
	storeCtx *C.cb_context
	state    *storeState
	inst     *wt.Instance
	funcs    map[string]*function
	// memory is the memory's view, made on first use.
	memory *storeMemory
	// globals are the exported mutable globals, once looked up for a
	// reset; failed is set when a call into the guest failed, and closed
	// once Close ran, until the instance is handed out again.
	globals        []*wt.Global
	failed, closed bool
}

var _ engine.Instance = (*instance)(nil)

func (i *instance) Function(name string) engine.Function {
	if f, ok := i.funcs[name]; ok {
		if f == nil {
			return nil // a miss, kept: a reset instance is asked for _initialize on every request
		}
		return f
	}
	fn := i.inst.GetFunc(i.store, name)
	if fn == nil {
		i.funcs[name] = nil
		return nil
	}
	ty := fn.Type(i.store)
	f := &function{inst: i}
	f.raw, f.unsupported = newRawFunc(fn, fromKinds(ty.Params()), fromKinds(ty.Results()))
	i.funcs[name] = f
	return f
}

func (i *instance) Memory() engine.Memory {
	if i.state.memory == nil {
		return nil
	}
	if i.memory == nil {
		i.memory = &storeMemory{store: i.store, mem: i.state.memory}
	}
	return i.memory
}

// Close resets the instance for its module to hand out again, or releases
// it.
func (i *instance) Close(context.Context) error {
	if i.closed {
		return nil
	}
	i.closed = true
	if !i.failed && i.owner.reset.recycle(i) {
		return nil
	}
	i.release()
	return nil
}

// release frees the store and everything in it now, rather than when the
// garbage collector finalizes it.
func (i *instance) release() {
	if i.store != nil {
		forgetStore(i.storeCtx)
		i.store.Close()
		i.store, i.storeCtx = nil, nil
	}
}

// epochs is ctx's deadline as an epoch deadline for the store: how many
// ticks from now. Without preemption, or without a deadline, guests run
// unbounded.
func (i *instance) epochs(ctx context.Context) uint64 {
	if deadline, ok := ctx.Deadline(); ok && i.eng.preemption {
		// The epoch passes epochAt(deadline) only once the clock has
		// passed the deadline, however far behind the ticker runs (it
		// catches up in bursts): the guest is never stopped early.
		return uint64(max(i.eng.epochAt(deadline)+1-i.eng.epochs.Load(), 1))
	}
	return uint64(1) << 62
}

type function struct {
	inst        *instance
	raw         rawFunc
	unsupported error // a signature the direct call cannot make
}

// Call runs the function with the call's deadline as the store's epoch
// deadline.
func (f *function) Call(ctx context.Context, stack []uint64) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%w: guest not started", err)
	}
	if f.unsupported != nil {
		return f.unsupported
	}
	i := f.inst
	i.state.ctx = ctx
	defer func() { i.state.ctx = nil }()
	if err := f.raw.call(i.storeCtx, i.epochs(ctx), &i.state.scratch, stack); err != nil {
		i.failed = true
		return classify(ctx, i.state.takePanic(err))
	}
	return nil
}

// panicError is what a host function panicked with, as an error.
func panicError(r any) error {
	if e, ok := r.(error); ok {
		return e
	}
	return fmt.Errorf("wasmtime: host function panicked: %v", r)
}

// classify turns wasmtime's traps into the engine's vocabulary; an epoch
// interrupt becomes the context's error.
func classify(ctx context.Context, err error) error {
	code, ok := trapCode(err)
	if !ok {
		return err
	}
	if code == nil {
		return &engine.TrapError{Kind: engine.TrapOther, Err: err}
	}
	if *code == wt.Interrupt {
		cause := ctx.Err()
		if cause == nil {
			cause = context.DeadlineExceeded
		}
		return fmt.Errorf("%w: guest stopped", cause)
	}
	return &engine.TrapError{Kind: trapKinds[*code], Err: err}
}

// trapCode is the code of a trap from either calling path; ok is false
// for an error that is not a trap.
func trapCode(err error) (code *wt.TrapCode, ok bool) {
	var raw *rawTrap
	if errors.As(err, &raw) {
		if !raw.hasCode {
			return nil, true
		}
		return &raw.code, true
	}
	var trap *wt.Trap
	if errors.As(err, &trap) {
		return trap.Code(), true
	}
	return nil, false
}

var trapKinds = map[wt.TrapCode]engine.TrapKind{
	wt.StackOverflow:          engine.TrapStackOverflow,
	wt.MemoryOutOfBounds:      engine.TrapMemoryOutOfRange,
	wt.HeapMisaligned:         engine.TrapMemoryOutOfRange,
	wt.TableOutOfBounds:       engine.TrapTableOutOfRange,
	wt.IndirectCallToNull:     engine.TrapTableOutOfRange,
	wt.BadSignature:           engine.TrapIndirectCall,
	wt.IntegerOverflow:        engine.TrapIntegerOverflow,
	wt.IntegerDivisionByZero:  engine.TrapDivideByZero,
	wt.BadConversionToInteger: engine.TrapBadConversion,
	wt.UnreachableCodeReached: engine.TrapUnreachable,
	wt.OutOfFuel:              engine.TrapOther,
}

// storeMemory is an instance's memory seen from outside a host call.
type storeMemory struct {
	store *wt.Store
	mem   *wt.Memory
}

func (m *storeMemory) view() *memView { return &memView{data: m.mem.UnsafeData(m.store)} }

func (m *storeMemory) Size() uint32                         { return m.view().Size() }
func (m *storeMemory) Read(offset, n uint32) ([]byte, bool) { return m.view().Read(offset, n) }
func (m *storeMemory) Write(offset uint32, b []byte) bool   { return m.view().Write(offset, b) }
