package wazero_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/hostfuncs"
	"github.com/civetbox/civetbox/internal/testguests"
	"github.com/civetbox/civetbox/runtime/engine"
	"github.com/civetbox/civetbox/runtime/engine/wazero"
)

func newEngine(t *testing.T, cfg engine.Config) *wazero.Engine {
	t.Helper()
	cfg.Hosts = hostfuncs.Modules()
	eng, err := wazero.New(context.Background(), cfg)
	require.NoError(t, err)
	t.Cleanup(func() { _ = eng.Close(context.Background()) })
	return eng
}

// TestCompile_cachesToDisk: compiled code lands in the cache directory, and
// a second engine on the same directory compiles from it.
func TestCompile_cachesToDisk(t *testing.T) {
	dir := t.TempDir()
	wasm := testguests.Read(t, "hostile.wasm")
	for range 2 {
		eng := newEngine(t, engine.Config{CacheDir: dir})
		mod, err := eng.Compile(context.Background(), wasm)
		require.NoError(t, err)
		require.NoError(t, mod.Close(context.Background()))
		require.NoError(t, eng.Close(context.Background()))
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.NotEmpty(t, entries, "the compilation cache stayed empty")
}

func TestModule_importsAndExports(t *testing.T) {
	eng := newEngine(t, engine.Config{})
	mod, err := eng.Compile(context.Background(), testguests.Read(t, "bad/bad_signature.wasm"))
	require.NoError(t, err)
	defer mod.Close(context.Background())
	require.Contains(t, mod.Imports(), engine.Import{Module: "civetbox", Name: "mg_read",
		Params: []engine.ValueType{engine.I32}, Results: []engine.ValueType{engine.I32}})
	require.ElementsMatch(t, []engine.Export{
		{Name: "_initialize", Params: []engine.ValueType{}, Results: []engine.ValueType{}},
		{Name: "civetbox_abi_init", Params: []engine.ValueType{}, Results: []engine.ValueType{engine.I32}},
		{Name: "civetbox_abi_dispatch", Params: []engine.ValueType{engine.I32, engine.I32}, Results: []engine.ValueType{engine.I32}},
	}, mod.Exports())
}

func TestCompile_rejectsGarbage(t *testing.T) {
	eng := newEngine(t, engine.Config{})
	_, err := eng.Compile(context.Background(), []byte("\x00asm\x01\x00\x00\x00\x01\xff"))
	require.ErrorContains(t, err, "wazero: compile")
}

// TestCompile_wazeroPanicIsAnError: a module that crashes wazero's own
// validator is refused, with or without instrumentation (which refuses typed
// references before wazero sees them).
func TestCompile_wazeroPanicIsAnError(t *testing.T) {
	// (func (result (ref null func)) ref.null func ref.null func i32.const 1
	//  select (result (ref null func)))
	wasm := []byte{0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00,
		0x01, 0x06, 0x01, 0x60, 0x00, 0x01, 0x63, 0x70,
		0x03, 0x02, 0x01, 0x00,
		0x0a, 0x0e, 0x01, 0x0c, 0x00, 0xd0, 0x70, 0xd0, 0x70, 0x41, 0x01, 0x1c, 0x01, 0x63, 0x70, 0x0b}
	for _, cfg := range []engine.Config{{}, {DisablePreemption: true}} {
		_, err := newEngine(t, cfg).Compile(context.Background(), wasm)
		require.ErrorContains(t, err, "wazero: compile", "preemption disabled: %v", cfg.DisablePreemption)
	}
}

// TestCall_trapsAndDeadlines: traps come back as *engine.TrapError and a
// deadline as an error matching context.DeadlineExceeded.
func TestCall_trapsAndDeadlines(t *testing.T) {
	eng := newEngine(t, engine.Config{})
	mod, err := eng.Compile(context.Background(), testguests.Read(t, "bad/abi_v2.wasm"))
	require.NoError(t, err)
	defer mod.Close(context.Background())
	inst, err := mod.Instantiate(context.Background())
	require.NoError(t, err)
	defer inst.Close(context.Background())

	require.Nil(t, inst.Function("no_such_export"))
	dispatch := inst.Function("civetbox_abi_dispatch")
	require.Same(t, dispatch, inst.Function("civetbox_abi_dispatch"), "functions are cached per instance")
	stack := []uint64{2, 3}
	require.NoError(t, dispatch.Call(context.Background(), stack))
	require.Equal(t, uint64(5), stack[0])

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = dispatch.Call(ctx, []uint64{1, 1})
	require.True(t, errors.Is(err, context.Canceled), "got %v", err)
}

// TestInstances_recycledMemoryIsClean: linear memories are recycled between
// instances (memory.go); a new instance must find exactly the memory a
// first-ever instance finds, whatever the closed ones wrote.
func TestInstances_recycledMemoryIsClean(t *testing.T) {
	ctx := context.Background()
	eng := newEngine(t, engine.Config{})
	mod, err := eng.Compile(ctx, testguests.Read(t, "hostile.wasm"))
	require.NoError(t, err)
	defer mod.Close(ctx)

	memoryOf := func(inst engine.Instance) []byte {
		mem := inst.Memory()
		b, ok := mem.Read(0, mem.Size())
		require.True(t, ok)
		return b
	}
	first, err := mod.Instantiate(ctx)
	require.NoError(t, err)
	pristine := bytes.Clone(memoryOf(first))
	require.NoError(t, first.Close(ctx))

	for i := range 20 {
		inst, err := mod.Instantiate(ctx)
		require.NoError(t, err)
		b := memoryOf(inst)
		require.Equal(t, len(pristine), len(b))
		require.True(t, bytes.Equal(pristine, b), "instance %d sees what an earlier instance wrote", i)
		for j := range b {
			b[j] = 0xA5 // a canary everywhere, for the next instance to miss
		}
		require.NoError(t, inst.Close(ctx))
	}
}
