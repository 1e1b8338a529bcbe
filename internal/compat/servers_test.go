package compat

import (
	"context"
	"log"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	goruntime "runtime"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/internal/testutil"
	"github.com/civetbox/civetbox/runtime"
	"github.com/civetbox/civetbox/runtime/engine"
)

// dir is testdata/compat, where the handler files and their builds are.
func dir() string {
	_, file, _, _ := goruntime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata", "compat")
}

// boxServer is a module served by civetbox.
type boxServer struct {
	addr string
	logs *testutil.SyncBuffer // the module's and http.Server's log
	cry  *cryRecorder
}

// serveSandboxed loads a suite's module in the given instance mode, with
// the suite's configuration, and serves it with net/http on 127.0.0.1, as
// "civetbox run" does.
func serveSandboxed(t *testing.T, eng engine.Engine, s suite, wasm []byte, mode runtime.Mode) *boxServer {
	t.Helper()
	logs := &testutil.SyncBuffer{}
	cry := &cryRecorder{Handler: slog.NewTextHandler(logs, nil), msgs: new([]string), mu: new(sync.Mutex)}
	cfg := runtime.Config{
		Name:           s.name,
		Mode:           mode,
		RequestTimeout: s.requestTimeout,
		Logger:         slog.New(cry),
	}
	if s.configure != nil {
		s.configure(t, &cfg)
	}
	h, err := runtime.Load(context.Background(), eng, wasm, cfg)
	require.NoError(t, err)
	srv := httptest.NewUnstartedServer(h)
	// What net/http logs (a recovered panic, a refused request) goes with
	// the module's log, shown when the test fails.
	srv.Config.ErrorLog = log.New(logs, "http.Server: ", 0)
	srv.Start()
	t.Cleanup(func() {
		srv.Close()
		require.NoError(t, h.Close(context.Background()))
		if t.Failed() && logs.String() != "" {
			t.Logf("civetbox log (last 4 KiB):\n%s", tail(logs.String(), 4096))
		}
	})
	return &boxServer{addr: srv.Listener.Addr().String(), logs: logs, cry: cry}
}

// cryRecorder is a slog.Handler that passes records on and keeps the
// messages guests logged with mg_cry. The host logs them synchronously,
// before the response is complete.
type cryRecorder struct {
	slog.Handler
	mu   *sync.Mutex
	msgs *[]string
}

func (c *cryRecorder) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == "mg_cry" {
		r.Attrs(func(a slog.Attr) bool {
			if a.Key == "text" {
				c.mu.Lock()
				*c.msgs = append(*c.msgs, a.Value.String())
				c.mu.Unlock()
			}
			return true
		})
	}
	return c.Handler.Handle(ctx, r)
}

func (c *cryRecorder) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &cryRecorder{Handler: c.Handler.WithAttrs(attrs), mu: c.mu, msgs: c.msgs}
}

func (c *cryRecorder) WithGroup(name string) slog.Handler {
	return &cryRecorder{Handler: c.Handler.WithGroup(name), mu: c.mu, msgs: c.msgs}
}

// observed returns the observations guests logged since the last call.
func (c *cryRecorder) observed() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	msgs := *c.msgs
	*c.msgs = nil
	return observations(msgs)
}

// observePrefix starts the mg_cry messages handlers write to report what
// cannot go into a response (a return value once the response is sent);
// the suite compares them like responses. Native CivetWeb's come from
// nativecivet.Server.NewLog.
const observePrefix = "compat-observe: "

func observations(msgs []string) []string {
	var obs []string
	for _, m := range msgs {
		if rest, ok := strings.CutPrefix(m, observePrefix); ok {
			obs = append(obs, rest)
		}
	}
	return obs
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}
