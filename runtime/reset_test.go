package runtime_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/internal/enginetest"
	"github.com/civetbox/civetbox/runtime"
	"github.com/civetbox/civetbox/runtime/engine"
)

// stateFailures are the ways a request can end badly after dirtying its
// instance, with the status each gets.
var stateFailures = map[string]int{
	"/trap": http.StatusInternalServerError,
	"/exit": http.StatusInternalServerError,
	"/spin": http.StatusGatewayTimeout,
}

// TestFresh_nothingCarriesOver: in fresh mode every request finds the
// state a new instance has, however the request before it ended (an
// engine may reset a used instance instead of instantiating: wazero
// does), on both engines. The pooled run shows the probe notices state
// a request left behind.
func TestFresh_nothingCarriesOver(t *testing.T) {
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		fresh := serveGuest(t, eng, "state.wasm", runtime.Config{Mode: runtime.ModeFresh, RequestTimeout: 300 * time.Millisecond})
		_, first := fresh.get(t, "/probe")
		require.Regexp(t, `^data=5eed bss=0 text=pristine heap=[0-9a-f]+/0 stack=[0-9a-f]+ top=[0-9a-f]+ pages=\d+$`, first)
		for _, path := range []string{"/probe", "/grow", "/probe", "/trap", "/probe", "/exit", "/probe", "/spin", "/probe", "/grow", "/grow", "/probe"} {
			resp, body := fresh.get(t, path)
			switch path {
			case "/probe":
				require.Equal(t, first, body, "a fresh request found what an earlier one left")
			case "/grow":
				require.Equal(t, http.StatusOK, resp.StatusCode, body)
				require.Equal(t, "pages="+fmt.Sprint(pages(t, first)+64), body)
			default:
				require.Equal(t, stateFailures[path], resp.StatusCode, "%s: %s", path, body)
			}
		}

		pooled := serveGuest(t, eng, "state.wasm", runtime.Config{Mode: runtime.ModePooled, PoolSize: 1})
		_, before := pooled.get(t, "/probe")
		require.Equal(t, first, before)
		_, after := pooled.get(t, "/probe")
		require.Regexp(t, `^data=dead bss=bad text=dirty heap=[0-9a-f]+/[0-9a-f]+ stack=[0-9a-f]+ top=[0-9a-f]+ pages=\d+$`, after)
		for _, part := range strings.Fields(after)[3:6] {
			require.NotContains(t, strings.Fields(first), part, "the probe did not see what the last request left")
		}
	})
}

// TestFresh_concurrentNothingCarriesOver is the same under concurrency:
// instances that ended every way are handed out again while others run.
func TestFresh_concurrentNothingCarriesOver(t *testing.T) {
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		fresh := serveGuest(t, eng, "state.wasm", runtime.Config{Mode: runtime.ModeFresh, RequestTimeout: 300 * time.Millisecond})
		_, first := fresh.get(t, "/probe")
		paths := []string{"/probe", "/grow", "/probe", "/trap", "/probe", "/exit", "/probe"}
		var wg sync.WaitGroup
		for g := range 8 {
			wg.Go(func() {
				for i := range 30 {
					path := paths[(g+i)%len(paths)]
					resp, body := fresh.get(t, path)
					if path == "/probe" {
						require.Equal(t, first, body)
					} else if path != "/grow" {
						require.Equal(t, stateFailures[path], resp.StatusCode)
					}
				}
			})
		}
		wg.Wait()
		require.Zero(t, fresh.handler.LiveInstances())
	})
}

func pages(t *testing.T, probe string) int {
	t.Helper()
	var n int
	_, err := fmt.Sscanf(probe[strings.LastIndex(probe, "pages="):], "pages=%d", &n)
	require.NoError(t, err)
	return n
}

// memoryRecorder wraps an engine and keeps a copy of every instance's
// whole memory as Instantiate hands it out.
type memoryRecorder struct {
	engine.Engine
	mu       sync.Mutex
	memories [][]byte
}

func (e *memoryRecorder) Compile(ctx context.Context, wasm []byte) (engine.Module, error) {
	m, err := e.Engine.Compile(ctx, wasm)
	if err != nil {
		return nil, err
	}
	return &memoryRecordingModule{Module: m, e: e}, nil
}

type memoryRecordingModule struct {
	engine.Module
	e *memoryRecorder
}

func (m *memoryRecordingModule) Instantiate(ctx context.Context) (engine.Instance, error) {
	in, err := m.Module.Instantiate(ctx)
	if err != nil {
		return nil, err
	}
	mem := in.Memory()
	b, ok := mem.Read(0, mem.Size())
	if !ok {
		return nil, fmt.Errorf("cannot read the memory")
	}
	m.e.mu.Lock()
	m.e.memories = append(m.e.memories, bytes.Clone(b))
	m.e.mu.Unlock()
	return in, nil
}

// TestFresh_handsOutInitialMemory: every instance a module hands out has
// exactly the memory of its first, byte for byte, whatever the requests
// before did to theirs.
func TestFresh_handsOutInitialMemory(t *testing.T) {
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		rec := &memoryRecorder{Engine: eng}
		fresh := serveGuest(t, rec, "state.wasm", runtime.Config{Mode: runtime.ModeFresh, RequestTimeout: 300 * time.Millisecond})
		for _, path := range []string{"/probe", "/probe", "/grow", "/trap", "/probe", "/exit", "/probe"} {
			fresh.get(t, path)
		}
		rec.mu.Lock()
		defer rec.mu.Unlock()
		require.Len(t, rec.memories, 8, "Load's instance and one per request")
		for i, m := range rec.memories[1:] {
			require.True(t, bytes.Equal(rec.memories[0], m), "instance %d's memory differs from the first's", i+1)
		}
	})
}

// TestFresh_logsWhyNotReset: a module whose instances the engine does not
// reset says why, once, at load.
func TestFresh_logsWhyNotReset(t *testing.T) {
	enginetest.RunConfig(t, engine.Config{DisableReset: true}, func(t *testing.T, eng engine.Engine) {
		srv := serveGuest(t, eng, "state.wasm", runtime.Config{Mode: runtime.ModeFresh})
		srv.logs.eventually(t, `msg="fresh instances are instantiated for every request, not reset" module=state.wasm reason="resetting instances is disabled"`)
	})
}

// TestCompile_refusesReservedExports: on both engines, a module exporting a
// name the host reserves for what it adds is refused with that name.
func TestCompile_refusesReservedExports(t *testing.T) {
	// (module (global (mut i32) (i32.const 0)) (export "civetbox.budget" (global 0)))
	wasm := []byte("\x00asm\x01\x00\x00\x00" +
		"\x06\x06\x01\x7f\x01\x41\x00\x0b" +
		"\x07\x13\x01\x0fcivetbox.budget\x03\x00")
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		_, err := eng.Compile(t.Context(), wasm)
		require.ErrorContains(t, err, `the module exports "civetbox.budget"`)
		require.ErrorContains(t, err, "reserved for the host")
	})
}
