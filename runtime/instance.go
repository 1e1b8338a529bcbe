package runtime

import (
	"context"
	"fmt"
	"log/slog"
	"sync"

	"github.com/civetbox/civetbox/abi"
	"github.com/civetbox/civetbox/hostfuncs"
	"github.com/civetbox/civetbox/internal/response"
	"github.com/civetbox/civetbox/internal/route"
	"github.com/civetbox/civetbox/runtime/engine"
)

// instance is one initialized guest instance with the routes it registered.
type instance struct {
	inst     engine.Instance
	dispatch engine.Function
	// entry is the guest's abi.ExportEntry, if it has one: then it is the
	// only export called, for initialization and every request.
	entry   engine.Function
	routes  route.Table
	output  guestOutput
	clock   hostfuncs.Clock
	stack   [3]uint64 // reused for every guest call
	onClose func()    // accounting hook, may be nil
	// initScope is the host functions' scope during initialization, part
	// of the instance to spare a fresh one an allocation.
	initScope hostfuncs.Scope
	// heads is the raw response head this module's guest sent last. It
	// outlives a fresh instance: the recycled wrapper keeps it for the
	// next instance of headsOf, and forgets it for any other module.
	heads   response.HeadCache
	headsOf engine.Module
}

// newInstance instantiates mod and runs _initialize and civetbox_abi_init.
// On any failure the instance is closed and a *ModuleError-worthy error
// (wrapping ErrInit) is returned.
func newInstance(ctx context.Context, mod engine.Module, log *slog.Logger, outputLimit int, grants *hostfuncs.Grants) (_ *instance, err error) {
	inst, err := mod.Instantiate(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w: instantiate: %w", ErrInit, err)
	}
	defer func() {
		if err != nil {
			_ = inst.Close(context.WithoutCancel(ctx))
		}
	}()
	if inst.Memory() == nil {
		return nil, fmt.Errorf("%w: the module exports no memory", ErrInit)
	}
	in := wrapInstance(inst, grants != nil && grants.RealClock)
	if in.headsOf != mod {
		in.heads.Reset()
		in.headsOf = mod
	}
	in.output.init(log, outputLimit)
	if err := in.initialize(ctx, log, grants); err != nil {
		return nil, err
	}
	return in, nil
}

// initialize runs the WASI constructors and the guest's civetbox_init, which
// fills in.routes through mg_set_request_handler.
func (in *instance) initialize(ctx context.Context, log *slog.Logger, grants *hostfuncs.Grants) error {
	in.initScope = hostfuncs.Scope{Router: &in.routes, Log: log, Grants: grants}
	ctx = withScope(ctx, in.scope(&in.initScope))
	defer endScope(ctx)
	if f := in.inst.Function(abi.ExportInitialize); f != nil {
		if err := f.Call(ctx, nil); err != nil {
			return fmt.Errorf("%w: _initialize: %w", ErrInit, err)
		}
	}
	var err error
	if in.entry = in.inst.Function(abi.ExportEntry); in.entry != nil {
		in.stack = [3]uint64{uint64(uint32(abi.EntryInit)), 0, 0}
		err = in.entry.Call(ctx, in.stack[:])
	} else {
		err = in.inst.Function(abi.ExportInit).Call(ctx, in.stack[:1])
	}
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInit, err)
	}
	if rc := int32(in.stack[0]); rc != 0 {
		return fmt.Errorf("%w: civetbox_init returned %d", ErrInit, rc)
	}
	if in.routes.Len() == 0 {
		return fmt.Errorf("%w: civetbox_init registered no handler (call mg_set_request_handler)", ErrInit)
	}
	return nil
}

// call runs the guest handler of rt for one request and returns its result.
func (in *instance) call(ctx context.Context, rt route.Route, scope *hostfuncs.Scope) (int32, error) {
	in.output.reset(scope.RequestID)
	fn, args := in.entry, in.stack[:]
	if fn != nil {
		in.stack = [3]uint64{uint64(uint32(abi.EntryDispatch)), uint64(rt.Handler), uint64(rt.CBData)}
	} else {
		if in.dispatch == nil {
			// Looked up on first use, after initialization: a fresh
			// instance then builds the engine's call state for each
			// export only when it is called.
			in.dispatch = in.inst.Function(abi.ExportDispatch)
		}
		fn, args = in.dispatch, in.stack[:2]
		in.stack[0], in.stack[1] = uint64(rt.Handler), uint64(rt.CBData)
	}
	ctx = withScope(ctx, in.scope(scope))
	err := fn.Call(ctx, args)
	endScope(ctx)
	scope.Release()
	return int32(in.stack[0]), err
}

// scope completes s with the instance's WASI world: its output and clock.
func (in *instance) scope(s *hostfuncs.Scope) *hostfuncs.Scope {
	s.Stdout, s.Stderr, s.Clock = &in.output.Stdout, &in.output.Stderr, &in.clock
	return s
}

func (in *instance) close(ctx context.Context) {
	in.output.flush()
	_ = in.inst.Close(ctx)
	if in.onClose != nil {
		in.onClose()
	}
}

// wrappers recycles the runtime's side of closed fresh instances. Every
// fresh request wraps an engine instance (in fresh mode a reset one, which
// costs no allocation), and the wrapper with its route table was most of
// what a fresh request allocated.
var wrappers = sync.Pool{New: func() any { return new(instance) }}

// wrapInstance wraps inst in a recycled (zero but for its empty route
// table's storage) wrapper.
func wrapInstance(inst engine.Instance, realClock bool) *instance {
	in := wrappers.Get().(*instance)
	in.inst, in.clock = inst, hostfuncs.Clock{Real: realClock}
	return in
}

// closeAndRecycle closes in and recycles its wrapper, cleared but for its
// module's head cache: the caller must hold the only reference to in.
func (in *instance) closeAndRecycle(ctx context.Context) {
	in.close(ctx)
	routes := in.routes
	routes.Reset()
	*in = instance{routes: routes, heads: in.heads, headsOf: in.headsOf}
	wrappers.Put(in)
}
