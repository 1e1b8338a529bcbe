package runtime_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/internal/testguests"
	"github.com/civetbox/civetbox/internal/testutil"
	"github.com/civetbox/civetbox/runtime"
	"github.com/civetbox/civetbox/runtime/engine"
)

// guestServer is a test guest served over a real socket.
type guestServer struct {
	*httptest.Server
	handler *runtime.Handler
	logs    *syncBuffer
}

// serveGuest loads a test guest and serves it on 127.0.0.1 with an
// OS-chosen port.
func serveGuest(t *testing.T, eng engine.Engine, name string, cfg runtime.Config) *guestServer {
	t.Helper()
	return serveGuestProto(t, eng, name, cfg, false)
}

// serveGuestProto is serveGuest over HTTP/2 with TLS when h2 is set.
func serveGuestProto(t *testing.T, eng engine.Engine, name string, cfg runtime.Config, h2 bool) *guestServer {
	t.Helper()
	logs := &syncBuffer{}
	cfg.Logger = slog.New(slog.NewTextHandler(logs, nil))
	if cfg.Name == "" {
		cfg.Name = name
	}
	h, err := runtime.Load(context.Background(), eng, testguests.Read(t, name), cfg)
	require.NoError(t, err)
	srv := httptest.NewUnstartedServer(h)
	if h2 {
		srv.EnableHTTP2 = true
		srv.StartTLS()
	} else {
		srv.Start()
	}
	// Tests look at redirects themselves.
	srv.Client().CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	t.Cleanup(func() {
		srv.Close()
		require.NoError(t, h.Close(context.Background()))
	})
	return &guestServer{Server: srv, handler: h, logs: logs}
}

// get sends a GET and returns the response with its body read.
func (s *guestServer) get(t *testing.T, path string) (*http.Response, string) {
	t.Helper()
	return s.do(t, http.MethodGet, path, nil)
}

func (s *guestServer) do(t *testing.T, method, path string, body io.Reader) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, body)
	require.NoError(t, err)
	resp, err := s.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err, "reading the body of %s %s", method, path)
	return resp, string(b)
}

// getReusing sends a GET and reports whether it went over a connection an
// earlier request had opened.
func (s *guestServer) getReusing(t *testing.T, path string) bool {
	t.Helper()
	var reused bool
	trace := &httptrace.ClientTrace{GotConn: func(c httptrace.GotConnInfo) { reused = c.Reused }}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), http.MethodGet, s.URL+path, nil)
	require.NoError(t, err)
	resp, err := s.Client().Do(req)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	require.NoError(t, resp.Body.Close())
	return reused
}

// protocols runs body over HTTP/1.1 and over HTTP/2 (TLS).
func protocols(t *testing.T, body func(t *testing.T, h2 bool)) {
	t.Run("http1", func(t *testing.T) { body(t, false) })
	t.Run("http2", func(t *testing.T) { body(t, true) })
}

// modes runs body once per instance mode.
func modes(t *testing.T, body func(t *testing.T, mode runtime.Mode)) {
	for _, mode := range []runtime.Mode{runtime.ModeFresh, runtime.ModePooled} {
		t.Run(string(mode), func(t *testing.T) { body(t, mode) })
	}
}

// syncBuffer is the test log; eventually waits for a line in it.
type syncBuffer struct{ testutil.SyncBuffer }

// eventually waits up to a second for the logs to contain s; log lines of a
// request may be written just after its response.
func (b *syncBuffer) eventually(t *testing.T, s string) {
	t.Helper()
	require.Eventually(t, func() bool { return strings.Contains(b.String(), s) }, time.Second, 10*time.Millisecond,
		"log lacks %q; log:\n%s", s, b.String())
}
