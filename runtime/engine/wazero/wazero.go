// Package wazero adapts the pure-Go wazero engine to runtime/engine. It is the
// only package that imports wazero.
package wazero

import (
	"context"
	"crypto/rand"
	"fmt"
	goruntime "runtime"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/civetbox/civetbox/internal/wasmbin"
	"github.com/civetbox/civetbox/runtime/engine"
	"github.com/civetbox/civetbox/runtime/engine/recycle"
)

// Name is the engine's name in configs, flags and metrics.
const Name = "wazero"

// Engine is a wazero runtime with the host module and WASI instantiated.
type Engine struct {
	rt         wazero.Runtime
	cache      wazero.CompilationCache
	base       wazero.ModuleConfig
	instrument bool
	noReset    bool
	memories   memoryPool    // linear memories of closed instances, for new ones
	idle       recycle.Limit // reset instances all modules keep
}

// MaxCallDepth bounds guest call depth. wazero grows a guest's stack on the
// Go heap up to about 400 MB before it reports a stack overflow; counting
// frames stops an unbounded recursion within a few MB instead.
const MaxCallDepth = 10000

var _ engine.Engine = (*Engine)(nil)

// New creates a wazero engine. Compile instruments every module
// (wasmbin.Instrument) so that guest code yields to the host every
// wasmbin.Budget loop iterations and calls; the yield stops the guest once
// the context passed to its call is done, and the call depth is bounded.
// wazero's own WithCloseOnContextDone is not used: it leaves the guest at
// every loop iteration, which made compute-bound guests several times
// slower. Compiled code is cached in cfg.CacheDir when set.
func New(ctx context.Context, cfg engine.Config) (eng *Engine, err error) {
	rc := wazero.NewRuntimeConfigCompiler()
	if cfg.MemoryLimitPages > 0 {
		rc = rc.WithMemoryLimitPages(cfg.MemoryLimitPages)
	}
	e := &Engine{instrument: !cfg.DisablePreemption, noReset: cfg.DisableReset}
	if cfg.CacheDir != "" {
		if e.cache, err = wazero.NewCompilationCacheWithDir(cfg.CacheDir); err != nil {
			return nil, fmt.Errorf("wazero: compilation cache %s: %w", cfg.CacheDir, err)
		}
		rc = rc.WithCompilationCache(e.cache)
	}
	e.rt = wazero.NewRuntimeWithConfig(ctx, rc)
	defer func() {
		if err != nil {
			_ = e.Close(ctx)
		}
	}()
	for _, host := range append(cfg.Hosts, yieldModule) {
		if err = e.instantiateHost(ctx, host); err != nil {
			return nil, err
		}
	}
	// Anonymous instances may be created concurrently from one compiled
	// module; the runtime calls _initialize itself, under its deadline.
	// Guests reach randomness and clocks only through the host's own WASI
	// (hostfuncs), never wazero's: giving wazero a ready random source
	// spares every instance the seeding of a fake one, which cost a fifth
	// of a fresh instance's time; real clocks likewise spare two fake ones.
	e.base = wazero.NewModuleConfig().WithName("").WithStartFunctions().WithRandSource(rand.Reader).
		WithSysNanotime().WithSysWalltime()
	return e, nil
}

func (e *Engine) instantiateHost(ctx context.Context, host engine.HostModule) error {
	b := e.rt.NewHostModuleBuilder(host.Name)
	for _, f := range host.Funcs {
		b.NewFunctionBuilder().
			WithGoModuleFunction(goModuleFunc(f.Fn), valueTypes(f.Params), valueTypes(f.Results)).
			WithParameterNames(f.ParamNames...).
			Export(f.Name)
	}
	if _, err := b.Instantiate(ctx); err != nil {
		return fmt.Errorf("wazero: instantiate host module %q: %w", host.Name, err)
	}
	return nil
}

// yieldModule is the host side of the instrumentation: the instrumented
// code calls it every wasmbin.Budget loop iterations and calls.
var yieldModule = engine.HostModule{Name: wasmbin.YieldModule, Funcs: []engine.HostFunc{{
	Name: wasmbin.YieldFunc, Results: []engine.ValueType{engine.I32}, Fn: yield,
}}}

// yield stops the guest if its call's context is done, else hands it a new
// budget. Compiled guest code cannot be preempted by the Go scheduler, and
// sysmon's preemption request is only honoured at a call into Go such as
// this one after ~10 ms, so yield also gives up the processor: otherwise a
// tenant's CPU-bound guests held the Ps in 10 ms slices and another
// tenant's requests waited behind them (server's TestFairness, 2 cores:
// victim p99 70-90 ms under the flood, 20 ms with Gosched; BenchmarkCompute
// ~3% slower, within noise).
func yield(ctx context.Context, _ engine.Memory, stack []uint64) {
	if err := ctx.Err(); err != nil {
		panic(fmt.Errorf("%w: guest stopped", err))
	}
	goruntime.Gosched()
	stack[0] = wasmbin.Budget
}

// goModuleFunc passes the calling instance's memory to fn. api.Memory already
// satisfies engine.Memory, so the call allocates nothing.
func goModuleFunc(fn func(context.Context, engine.Memory, []uint64)) api.GoModuleFunc {
	return func(ctx context.Context, m api.Module, stack []uint64) {
		fn(ctx, m.Memory(), stack)
	}
}

// Name implements engine.Engine.
func (e *Engine) Name() string { return Name }

// Compile implements engine.Engine.
func (e *Engine) Compile(ctx context.Context, wasm []byte) (engine.Module, error) {
	m := &module{eng: e}
	plan := wasmbin.ResetPlan{Blocker: "preemption is disabled, so the module is not instrumented"}
	if e.instrument {
		out, err := wasmbin.InstrumentModule(wasm, MaxCallDepth)
		if err != nil {
			return nil, fmt.Errorf("wazero: compile: %w", err)
		}
		wasm, plan = out.Wasm, out.Reset
	}
	if e.noReset {
		plan.Blocker = "resetting instances is disabled"
	}
	m.reset = newResetter(e, plan.Globals, plan.Blocker)
	var err error
	if m.cm, err = e.compile(ctx, wasm); err != nil {
		return nil, fmt.Errorf("wazero: compile: %w", err)
	}
	return m, nil
}

// compile turns a panic inside wazero's compiler into an error: the module
// comes from a tenant, and some malformed modules crash wazero v1.12's
// validator (a select typed (ref null func) indexes out of range) instead of
// failing it.
func (e *Engine) compile(ctx context.Context, wasm []byte) (cm wazero.CompiledModule, err error) {
	defer func() {
		if p := recover(); p != nil {
			cm, err = nil, fmt.Errorf("the module crashed wazero's compiler: %v", p)
		}
	}()
	return e.rt.CompileModule(ctx, wasm)
}

// Close implements engine.Engine.
func (e *Engine) Close(ctx context.Context) error {
	var err error
	if e.rt != nil {
		err = e.rt.Close(ctx)
	}
	if e.cache != nil {
		if cerr := e.cache.Close(ctx); err == nil {
			err = cerr
		}
	}
	return err
}

func valueTypes(ts []engine.ValueType) []api.ValueType {
	out := make([]api.ValueType, len(ts))
	for i, t := range ts {
		out[i] = api.ValueTypeI32
		if t == engine.I64 {
			out[i] = api.ValueTypeI64
		}
	}
	return out
}

func fromValueTypes(ts []api.ValueType) []engine.ValueType {
	out := make([]engine.ValueType, len(ts))
	for i, t := range ts {
		switch t {
		case api.ValueTypeI32:
			out[i] = engine.I32
		case api.ValueTypeI64:
			out[i] = engine.I64
		}
	}
	return out
}
