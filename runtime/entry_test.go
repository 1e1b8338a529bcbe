package runtime_test

import (
	"context"
	"maps"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/abi"
	"github.com/civetbox/civetbox/internal/enginetest"
	"github.com/civetbox/civetbox/runtime"
	"github.com/civetbox/civetbox/runtime/engine"
)

// lookupRecorder wraps an engine to record which exports the runtime looks
// up; with hideEntry it also plays a module built before abi.ExportEntry.
type lookupRecorder struct {
	engine.Engine
	hideEntry bool
	mu        sync.Mutex
	looked    map[string]int
}

func (e *lookupRecorder) Compile(ctx context.Context, wasm []byte) (engine.Module, error) {
	m, err := e.Engine.Compile(ctx, wasm)
	if err != nil {
		return nil, err
	}
	return &recordedModule{Module: m, e: e}, nil
}

func (e *lookupRecorder) counts() map[string]int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return maps.Clone(e.looked)
}

type recordedModule struct {
	engine.Module
	e *lookupRecorder
}

func (m *recordedModule) Exports() []engine.Export {
	exports := m.Module.Exports()
	if !m.e.hideEntry {
		return exports
	}
	var out []engine.Export
	for _, x := range exports {
		if x.Name != abi.ExportEntry {
			out = append(out, x)
		}
	}
	return out
}

func (m *recordedModule) Instantiate(ctx context.Context) (engine.Instance, error) {
	in, err := m.Module.Instantiate(ctx)
	if err != nil {
		return nil, err
	}
	return &recordedInstance{Instance: in, e: m.e}, nil
}

type recordedInstance struct {
	engine.Instance
	e *lookupRecorder
}

func (in *recordedInstance) Function(name string) engine.Function {
	in.e.mu.Lock()
	in.e.looked[name]++
	in.e.mu.Unlock()
	if in.e.hideEntry && name == abi.ExportEntry {
		return nil
	}
	return in.Instance.Function(name)
}

// TestEntry_oneExportPerInstance: a guest built with this SDK is
// initialized and dispatched through civetbox_abi_entry alone, so engines
// prepare one call per instance; a guest without it still works through
// civetbox_abi_init and civetbox_abi_dispatch.
func TestEntry_oneExportPerInstance(t *testing.T) {
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		for _, hide := range []bool{false, true} {
			name := "with entry"
			if hide {
				name = "without entry"
			}
			t.Run(name, func(t *testing.T) {
				rec := &lookupRecorder{Engine: eng, hideEntry: hide, looked: map[string]int{}}
				srv := serveGuest(t, rec, "hostile.wasm", runtime.Config{Mode: runtime.ModeFresh})
				const requests = 3
				for range requests {
					resp, body := srv.get(t, "/ok")
					require.Equal(t, http.StatusOK, resp.StatusCode)
					require.Equal(t, "ok", body)
				}
				got := rec.counts()
				instances := got[abi.ExportEntry] // every instance looks for it once
				require.GreaterOrEqual(t, instances, requests)
				if hide {
					require.Equal(t, instances, got[abi.ExportInit])
					require.Equal(t, requests, got[abi.ExportDispatch])
				} else {
					require.Zero(t, got[abi.ExportInit])
					require.Zero(t, got[abi.ExportDispatch])
				}
			})
		}
	})
}
