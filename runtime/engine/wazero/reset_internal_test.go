package wazero

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/tetratelabs/wazero/api"

	"github.com/civetbox/civetbox/hostfuncs"
	"github.com/civetbox/civetbox/internal/testguests"
	"github.com/civetbox/civetbox/runtime/engine"
	"github.com/civetbox/civetbox/runtime/engine/recycle"
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

// state is an instance's memory and mutable globals.
type state struct {
	memory  []byte
	globals []uint64
}

func stateOf(t *testing.T, in *instance) state {
	t.Helper()
	mem := in.mod.Memory()
	b, ok := mem.Read(0, mem.Size())
	require.True(t, ok)
	s := state{memory: bytes.Clone(b)}
	for _, name := range in.owner.reset.globals {
		g := in.mod.ExportedGlobal(name)
		require.NotNil(t, g, name)
		s.globals = append(s.globals, g.Get())
	}
	return s
}

// scribble overwrites all of an instance's memory and mutable globals.
func scribble(t *testing.T, in *instance) {
	t.Helper()
	mem := in.mod.Memory()
	require.True(t, mem.Write(0, bytes.Repeat([]byte{0x5a}, int(mem.Size()))))
	for _, name := range in.owner.reset.globals {
		in.mod.ExportedGlobal(name).(api.MutableGlobal).Set(0x1234567)
	}
}

// TestReset_restoresMemoryAndGlobals: a closed instance comes back from
// Instantiate with the memory and globals of a new one, whatever was
// written to them.
func TestReset_restoresMemoryAndGlobals(t *testing.T) {
	eng, m := stateModule(t, engine.Config{})
	require.Empty(t, m.ResetBlocker())
	first := instantiate(t, m)
	initial := stateOf(t, first)
	require.Len(t, initial.globals, 3, "__stack_pointer and instrumentation's two counters")
	scribble(t, first)
	require.NotEqual(t, initial, stateOf(t, first))
	require.NoError(t, first.Close(t.Context()))
	require.NoError(t, first.Close(t.Context()), "Close twice")
	require.Equal(t, int64(1), eng.idle.Idle(), "a second Close must not keep the instance twice")

	again := instantiate(t, m)
	require.Same(t, first, again, "the closed instance is handed out again")
	require.Equal(t, initial, stateOf(t, again))
	require.Zero(t, eng.idle.Idle())

	// An instance compiled and made in another engine starts the same.
	_, other := stateModule(t, engine.Config{DisableReset: true})
	require.Equal(t, "resetting instances is disabled", other.ResetBlocker())
	require.True(t, bytes.Equal(initial.memory, stateOfNoPlan(t, instantiate(t, other))))
	require.Nil(t, other.reset.pool.Snapshot(), "a module that is not reset takes no snapshot")
}

func stateOfNoPlan(t *testing.T, in *instance) []byte {
	mem := in.mod.Memory()
	b, ok := mem.Read(0, mem.Size())
	require.True(t, ok)
	return bytes.Clone(b)
}

// TestReset_notAfterFailedCall: an instance a call failed in is closed, not
// handed out again.
func TestReset_notAfterFailedCall(t *testing.T) {
	eng, m := stateModule(t, engine.Config{})
	in := instantiate(t, m)
	// Dispatch to handler 0, a null function pointer: the guest traps.
	stack := []uint64{1, 0, 0}
	err := in.Function("civetbox_abi_entry").Call(t.Context(), stack)
	var trap *engine.TrapError
	require.ErrorAs(t, err, &trap)
	require.NoError(t, in.Close(t.Context()))
	require.Zero(t, eng.idle.Idle())
	require.NotSame(t, in, instantiate(t, m))
}

// TestReset_notAfterGrowth: an instance whose memory grew is closed.
func TestReset_notAfterGrowth(t *testing.T) {
	eng, m := stateModule(t, engine.Config{})
	in := instantiate(t, m)
	_, ok := in.mod.Memory().Grow(1)
	require.True(t, ok)
	require.NoError(t, in.Close(t.Context()))
	require.Zero(t, eng.idle.Idle())
	require.NotSame(t, in, instantiate(t, m))
}

// TestReset_bounded: a module keeps at most recycle.MaxIdlePerModule
// instances, the engine counts them, and closing the module closes them.
func TestReset_bounded(t *testing.T) {
	eng, m := stateModule(t, engine.Config{})
	var ins []*instance
	for range recycle.MaxIdlePerModule + 3 {
		ins = append(ins, instantiate(t, m))
	}
	for _, in := range ins {
		require.NoError(t, in.Close(t.Context()))
	}
	require.Equal(t, int64(recycle.MaxIdlePerModule), eng.idle.Idle())
	require.Equal(t, recycle.MaxIdlePerModule, m.IdleInstances())
	require.NoError(t, m.Close(t.Context()))
	require.Zero(t, m.IdleInstances())
	require.Zero(t, eng.idle.Idle())
	for _, in := range ins {
		require.True(t, in.mod.IsClosed(), "an instance outlived its module")
	}
}
