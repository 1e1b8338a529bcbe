package hostfuncs

import (
	"context"
	"fmt"

	"github.com/civetbox/civetbox/abi"
	"github.com/civetbox/civetbox/runtime/engine"
)

// wasiImpls are the WASI preview 1 functions with behaviour; every other
// function of abi.WASIFuncs only returns the errno in wasiStubErrno.
var wasiImpls = map[string]func(context.Context, engine.Memory, []uint64){
	"args_get":          wasiNothingToWrite,
	"args_sizes_get":    wasiZeroSizes("args_sizes_get"),
	"environ_get":       wasiNothingToWrite,
	"environ_sizes_get": wasiZeroSizes("environ_sizes_get"),
	"clock_res_get":     wasiClockResGet,
	"clock_time_get":    wasiClockTimeGet,
	"fd_close":          wasiFdClose,
	"fd_fdstat_get":     wasiFdFdstatGet,
	"fd_read":           wasiFdRead,
	"fd_seek":           wasiFdSeekOrTell,
	"fd_tell":           wasiFdSeekOrTell,
	"fd_write":          wasiFdWrite,
	"poll_oneoff":       wasiPollOneoff,
	"proc_exit":         wasiProcExit,
	"random_get":        wasiRandomGet,
	"sched_yield":       wasiSuccess,
}

// wasiStubErrno is what the remaining functions return: the guest has no
// file descriptors besides 0-2 (so paths and sockets have none to act on)
// and cannot raise signals.
var wasiStubErrno = map[string]int32{
	"proc_raise": abi.ErrnoNosys,
}

// WASIModule returns the host's WASI preview 1 module, the same on every
// engine, so a guest's world does not depend on the engine it runs on.
func WASIModule() engine.HostModule {
	sigs := abi.WASIFuncs()
	funcs := make([]engine.HostFunc, len(sigs))
	for i, sig := range sigs {
		fn, ok := wasiImpls[sig.Name]
		if !ok {
			fn = wasiStub(sig)
		}
		funcs[i] = engine.HostFunc{
			Name: sig.Name, Params: EngineTypes(sig.Params), ParamNames: sig.ParamNames,
			Results: EngineTypes(sig.Results), Fn: fn,
		}
	}
	return engine.HostModule{Name: abi.WASIModule, Funcs: funcs}
}

// wasiStub returns a function that answers with the function's errno:
// EBADF unless wasiStubErrno says otherwise, or ENOTSUP for an
// operation on 0-2 that stdio does not support.
func wasiStub(sig abi.HostFunc) func(context.Context, engine.Memory, []uint64) {
	if len(sig.Results) != 1 {
		panic(fmt.Sprintf("hostfuncs: WASI stub for %s needs one result", sig.Name))
	}
	errno, fixed := wasiStubErrno[sig.Name]
	fdFirst := len(sig.ParamNames) > 0 && sig.ParamNames[0] == "fd"
	return func(_ context.Context, _ engine.Memory, stack []uint64) {
		switch {
		case fixed:
			stack[0] = i32(errno)
		case fdFirst && isStdio(stack[0]):
			stack[0] = i32(abi.ErrnoNotsup)
		default:
			stack[0] = i32(abi.ErrnoBadf)
		}
	}
}

func isStdio(fd uint64) bool { return u32(fd) <= 2 }

func wasiSuccess(_ context.Context, _ engine.Memory, stack []uint64) {
	stack[0] = i32(abi.ErrnoSuccess)
}

// wasiNothingToWrite serves args_get and environ_get: with no arguments and
// no environment there is nothing to copy.
func wasiNothingToWrite(_ context.Context, _ engine.Memory, stack []uint64) {
	stack[0] = i32(abi.ErrnoSuccess)
}

// wasiZeroSizes serves args_sizes_get and environ_sizes_get: zero entries of
// zero bytes.
func wasiZeroSizes(name string) func(context.Context, engine.Memory, []uint64) {
	return func(_ context.Context, mem engine.Memory, stack []uint64) {
		putU32(mem, name, "count", u32(stack[0]), 0)
		putU32(mem, name, "buf_size", u32(stack[1]), 0)
		stack[0] = i32(abi.ErrnoSuccess)
	}
}
