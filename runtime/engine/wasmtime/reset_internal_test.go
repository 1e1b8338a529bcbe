//go:build cgo

package wasmtime

import (
	"bytes"
	"context"
	"testing"

	wt "github.com/bytecodealliance/wasmtime-go/v39"
	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/hostfuncs"
	"github.com/civetbox/civetbox/internal/testguests"
	"github.com/civetbox/civetbox/runtime/engine"
)

func stateModule(t *testing.T, cfg engine.Config) (*Engine, *module) {
	t.Helper()
	cfg.Hosts = hostfuncs.Modules()
	eng, err := New(t.Context(), cfg)
	require.NoError(t, err)
	t.Cleanup(func() { _ = eng.Close(context.Background()) })
	m, err := eng.Compile(t.Context(), testguests.Read(t, "state.wasm"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = m.Close(context.Background()) })
	return eng, m.(*module)
}

func instantiate(t *testing.T, m *module) *instance {
	t.Helper()
	in, err := m.Instantiate(t.Context())
	require.NoError(t, err)
	return in.(*instance)
}

func memoryOf(in *instance) []byte { return bytes.Clone(in.state.memory.UnsafeData(in.store)) }

// TestReset_restoresMemoryAndGlobals: a closed instance comes back from
// Instantiate with the memory and globals of a new one.
func TestReset_restoresMemoryAndGlobals(t *testing.T) {
	eng, m := stateModule(t, engine.Config{})
	require.Empty(t, m.ResetBlocker())
	first := instantiate(t, m)
	initial := memoryOf(first)
	globals, err := first.mutableGlobals(m.reset.globals)
	require.NoError(t, err)
	require.Len(t, globals, 1, "__stack_pointer")
	sp := globals[0].Get(first.store).I32()

	require.True(t, first.Memory().Write(0, bytes.Repeat([]byte{0x5a}, len(initial))))
	require.NoError(t, globals[0].Set(first.store, wt.ValI32(sp-64)))
	require.NoError(t, first.Close(t.Context()))
	require.NoError(t, first.Close(t.Context()), "Close twice")
	require.Equal(t, int64(1), eng.idle.Idle(), "a second Close must not keep the instance twice")
	require.Equal(t, 1, m.IdleInstances())

	again := instantiate(t, m)
	require.Same(t, first, again)
	require.Equal(t, initial, memoryOf(again))
	require.Equal(t, sp, globals[0].Get(again.store).I32())

	_, other := stateModule(t, engine.Config{DisableReset: true})
	require.Equal(t, "resetting instances is disabled", other.ResetBlocker())
	require.Equal(t, initial, memoryOf(instantiate(t, other)), "a new instance of the unprepared module starts the same")
}

// TestReset_notAfterFailedCallOrGrowth: an instance a call failed in, or
// whose memory grew, is released, not handed out again.
func TestReset_notAfterFailedCallOrGrowth(t *testing.T) {
	eng, m := stateModule(t, engine.Config{})
	trapped := instantiate(t, m)
	// Dispatch to handler 0, a null function pointer: the guest traps.
	err := trapped.Function("civetbox_abi_entry").Call(t.Context(), []uint64{1, 0, 0})
	var trap *engine.TrapError
	require.ErrorAs(t, err, &trap)
	require.NoError(t, trapped.Close(t.Context()))
	require.Nil(t, trapped.store, "released")

	grown := instantiate(t, m)
	_, err = grown.state.memory.Grow(grown.store, 1)
	require.NoError(t, err)
	require.NoError(t, grown.Close(t.Context()))
	require.Nil(t, grown.store, "released")
	require.Zero(t, eng.idle.Idle())
}
