//go:build cgo

package wasmtime

import (
	"context"
	"errors"
	"sync"
	"testing"

	wt "github.com/bytecodealliance/wasmtime-go/v39"
	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/runtime/engine"
)

// mixedWAT has exports whose parameters and results the direct call must
// lay out right: i64 and i32 mixed, no result, and a trap.
const mixedWAT = `(module
  (import "host" "boom" (func $boom))
  (memory (export "memory") 1)
  (func (export "mix") (param i32 i64 i32) (result i64)
    (i64.add (i64.extend_i32_u (local.get 0))
      (i64.add (local.get 1) (i64.extend_i32_s (local.get 2)))))
  (func (export "low") (param i64) (result i32) (i32.wrap_i64 (local.get 0)))
  (func (export "none") (param i32))
  (func (export "div") (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
  (func (export "boom") (call $boom))
  (func (export "pair") (result i32 i32) (i32.const 1) (i32.const 2)))`

var errBoom = errors.New("boom from the host")

func instantiateMixed(t *testing.T) engine.Instance {
	t.Helper()
	wasm, err := wt.Wat2Wasm(mixedWAT)
	require.NoError(t, err)
	host := engine.HostModule{Name: "host", Funcs: []engine.HostFunc{{Name: "boom",
		Fn: func(context.Context, engine.Memory, []uint64) { panic(errBoom) }}}}
	ctx := context.Background()
	eng, err := New(ctx, engine.Config{Hosts: []engine.HostModule{host}})
	require.NoError(t, err)
	t.Cleanup(func() { eng.Close(ctx) })
	mod, err := eng.Compile(ctx, wasm)
	require.NoError(t, err)
	inst, err := mod.Instantiate(ctx)
	require.NoError(t, err)
	t.Cleanup(func() { inst.Close(ctx) })
	return inst
}

func TestRawCall(t *testing.T) {
	require.True(t, rawLayout, "wasmtime-go's types changed layout: New refuses to make engines")
	inst := instantiateMixed(t)
	ctx := context.Background()

	require.ErrorContains(t, inst.Function("pair").Call(ctx, make([]uint64, 2)), "0 parameters and 2 results",
		"no ABI export returns two values; such a call is refused, not misread")

	stack := []uint64{0xFFFFFFFF, 1 << 40, uint64(0xFFFFFFFE), 0} // i32 -2 sign-extends
	require.NoError(t, inst.Function("mix").Call(ctx, stack))
	require.Equal(t, uint64(0xFFFFFFFF)+1<<40-2, stack[0])

	stack = []uint64{0x1_2345_6789}
	require.NoError(t, inst.Function("low").Call(ctx, stack))
	require.Equal(t, uint64(0x2345_6789), stack[0], "an i32 result is zero-extended")

	stack = []uint64{7}
	require.NoError(t, inst.Function("none").Call(ctx, stack))
	require.Equal(t, uint64(7), stack[0], "no result leaves the stack alone")

	stack = []uint64{0}
	err := inst.Function("div").Call(ctx, stack)
	var trap *engine.TrapError
	require.ErrorAs(t, err, &trap)
	require.Equal(t, engine.TrapDivideByZero, trap.Kind)
	require.ErrorContains(t, err, "integer divide by zero")

	// A host function's panic comes back as itself, not as the trap that
	// stopped the guest, and does not leak into the next call.
	err = inst.Function("boom").Call(ctx, make([]uint64, 1))
	require.ErrorIs(t, err, errBoom)
	stack = []uint64{2}
	require.NoError(t, inst.Function("div").Call(ctx, stack))
	require.Equal(t, uint64(0), stack[0])
}

func syncMapLen(m *sync.Map) int {
	n := 0
	m.Range(func(any, any) bool { n++; return true })
	return n
}

// TestRawTablesDrain: closing instances (or their module, for the
// instances it keeps to reset) and engines forgets their stores and host
// functions, so reloads and fresh instances leak nothing.
func TestRawTablesDrain(t *testing.T) {
	storesBefore, hostsBefore := syncMapLen(&stores), syncMapLen(&hosts)
	wasm, err := wt.Wat2Wasm(mixedWAT)
	require.NoError(t, err)
	ctx := context.Background()
	host := engine.HostModule{Name: "host", Funcs: []engine.HostFunc{{Name: "boom",
		Fn: func(context.Context, engine.Memory, []uint64) {}}}}
	eng, err := New(ctx, engine.Config{Hosts: []engine.HostModule{host}})
	require.NoError(t, err)
	require.Equal(t, hostsBefore+1, syncMapLen(&hosts))
	mod, err := eng.Compile(ctx, wasm)
	require.NoError(t, err)
	for range 3 {
		inst, err := mod.Instantiate(ctx)
		require.NoError(t, err)
		require.Equal(t, storesBefore+1, syncMapLen(&stores))
		require.NoError(t, inst.Function("boom").Call(ctx, make([]uint64, 1)))
		require.NoError(t, inst.Close(ctx))
		require.Equal(t, storesBefore+1, syncMapLen(&stores), "the instance is kept to be reset")
	}
	require.NoError(t, mod.Close(ctx))
	require.Equal(t, storesBefore, syncMapLen(&stores))
	require.NoError(t, eng.Close(ctx))
	require.Equal(t, hostsBefore, syncMapLen(&hosts), "the linker's finalizer releases its functions")
}

// TestStartFunctionPanic: a host function's panic during the start
// function fails the instantiation with that panic, and the store is gone.
func TestStartFunctionPanic(t *testing.T) {
	wasm, err := wt.Wat2Wasm(`(module (import "host" "boom" (func $boom)) (func $s (call $boom)) (start $s))`)
	require.NoError(t, err)
	ctx := context.Background()
	host := engine.HostModule{Name: "host", Funcs: []engine.HostFunc{{Name: "boom",
		Fn: func(context.Context, engine.Memory, []uint64) { panic(errBoom) }}}}
	eng, err := New(ctx, engine.Config{Hosts: []engine.HostModule{host}})
	require.NoError(t, err)
	defer eng.Close(ctx)
	mod, err := eng.Compile(ctx, wasm)
	require.NoError(t, err)
	defer mod.Close(ctx)
	storesBefore := syncMapLen(&stores)
	_, err = mod.Instantiate(ctx)
	require.ErrorIs(t, err, errBoom)
	require.Equal(t, storesBefore, syncMapLen(&stores))
}
