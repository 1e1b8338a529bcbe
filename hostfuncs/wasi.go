package hostfuncs

import (
	"context"
	"encoding/binary"
	"fmt"

	"github.com/civetbox/civetbox/abi"
	"github.com/civetbox/civetbox/internal/guestmem"
	"github.com/civetbox/civetbox/runtime/engine"
)

// wasiImpls are the WASI preview 1 functions with behaviour; every other
// function of abi.WASIFuncs only returns the errno in wasiStubErrno.
var wasiImpls = map[string]func(context.Context, engine.Memory, []uint64){
	"args_get":          wasiNothingToWrite,
	"args_sizes_get":    wasiZeroSizes("args_sizes_get"),
	"environ_get":       wasiEnvironGet,
	"environ_sizes_get": wasiEnvironSizesGet,
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

// wasiNothingToWrite serves args_get: with no arguments there is nothing to
// copy.
func wasiNothingToWrite(_ context.Context, _ engine.Memory, stack []uint64) {
	stack[0] = i32(abi.ErrnoSuccess)
}

// wasiZeroSizes serves args_sizes_get: zero entries of zero bytes.
func wasiZeroSizes(name string) func(context.Context, engine.Memory, []uint64) {
	return func(_ context.Context, mem engine.Memory, stack []uint64) {
		putU32(mem, name, "count", u32(stack[0]), 0)
		putU32(mem, name, "buf_size", u32(stack[1]), 0)
		stack[0] = i32(abi.ErrnoSuccess)
	}
}

// envOf returns the environment the module was granted; none without grants.
func envOf(s *Scope) []string {
	if s.Grants == nil {
		return nil
	}
	return s.Grants.Env
}

// envBufSize is the bytes env takes as NUL-terminated strings.
func envBufSize(env []string) uint32 {
	n := uint32(0)
	for _, e := range env {
		n += uint32(len(e)) + 1
	}
	return n
}

// wasiEnvironSizesGet reports the configured environment's size. Both
// pointers are checked before either is written, so a fault leaves guest
// memory untouched.
func wasiEnvironSizesGet(ctx context.Context, mem engine.Memory, stack []uint64) {
	const fn = "environ_sizes_get"
	env := envOf(scopeOf(ctx, fn))
	count := guestmem.Region{Func: fn, Param: "environc", Ptr: u32(stack[0]), Len: 4}
	size := guestmem.Region{Func: fn, Param: "environ_buf_size", Ptr: u32(stack[1]), Len: 4}
	view(mem, count)
	view(mem, size)
	putU32(mem, fn, count.Param, count.Ptr, uint32(len(env)))
	putU32(mem, fn, size.Param, size.Ptr, envBufSize(env))
	stack[0] = i32(abi.ErrnoSuccess)
}

// wasiEnvironGet copies the configured environment: NUL-terminated strings
// into environ_buf and a pointer to each into environ, in the sizes
// environ_sizes_get reported. Both regions are checked before either is
// written.
func wasiEnvironGet(ctx context.Context, mem engine.Memory, stack []uint64) {
	const fn = "environ_get"
	env := envOf(scopeOf(ctx, fn))
	ptrs := guestmem.Region{Func: fn, Param: "environ", Ptr: u32(stack[0]), Len: uint32(len(env)) * 4}
	buf := guestmem.Region{Func: fn, Param: "environ_buf", Ptr: u32(stack[1]), Len: envBufSize(env)}
	view(mem, ptrs)
	view(mem, buf)
	// buf fits in guest memory, so buf.Ptr plus any offset in it fits 32 bits.
	ptrBytes := make([]byte, 0, ptrs.Len)
	strs := make([]byte, 0, buf.Len)
	for _, e := range env {
		ptrBytes = binary.LittleEndian.AppendUint32(ptrBytes, buf.Ptr+uint32(len(strs)))
		strs = append(append(strs, e...), 0)
	}
	write(mem, ptrs, ptrBytes)
	write(mem, buf, strs)
	stack[0] = i32(abi.ErrnoSuccess)
}

// write copies b into a region already checked, trapping if it is not.
func write(mem engine.Memory, r guestmem.Region, b []byte) {
	if err := guestmem.Write(mem, r, b); err != nil {
		trap(err)
	}
}
