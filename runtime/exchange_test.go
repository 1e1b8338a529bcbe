package runtime_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/internal/enginetest"
	"github.com/civetbox/civetbox/runtime"
	"github.com/civetbox/civetbox/runtime/engine"
)

// Exchanges are recycled between requests: whatever one request left in
// its exchange (a refused body, a failed or chunked response, request info)
// must not reach the next, sequentially or with requests in parallel, over
// HTTP/1.1 and over HTTP/2 (whose requests share a connection).
func TestExchangeReuse_nothingCarriesOver(t *testing.T) {
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		modes(t, func(t *testing.T, mode runtime.Mode) {
			protocols(t, func(t *testing.T, h2 bool) {
				exchangesDoNotCarryOver(t, serveGuestProto(t, eng, "responses.wasm",
					runtime.Config{Mode: mode, MaxRequestBody: bodyLimit}, h2))
			})
		})
	})
}

func exchangesDoNotCarryOver(t *testing.T, srv *guestServer) {
	for range 5 {
		requestsThatLeaveState(t, srv)
	}
	t.Run("parallel", func(t *testing.T) {
		for i := range 4 {
			t.Run(fmt.Sprint(i), func(t *testing.T) {
				t.Parallel()
				for range 5 {
					requestsThatLeaveState(t, srv)
				}
			})
		}
	})
}

// requestsThatLeaveState sends requests that each change a different part
// of an exchange, and checks every answer is its own.
func requestsThatLeaveState(t *testing.T, srv *guestServer) {
	t.Helper()
	// A chunked body over the limit: the host answers 413 itself and
	// refuses what the guest sends afterwards.
	overLimit := struct{ io.Reader }{strings.NewReader(strings.Repeat("x", 3*bodyLimit))}
	resp, body := srv.do(t, http.MethodPost, "/readall", overLimit)
	require.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode, body)

	resp, body = srv.do(t, http.MethodPost, "/readall", strings.NewReader(strings.Repeat("y", 100)))
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	require.Equal(t, "read 100 bytes", body)

	resp, body = srv.get(t, "/raw/chunked")
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	require.Equal(t, "Hello, world", body)
	require.Equal(t, "text/plain", resp.Header.Get("Content-Type"))

	resp, body = srv.get(t, "/partial-head")
	require.Equal(t, http.StatusInternalServerError, resp.StatusCode, body)

	// No head of its own: no Content-Type from an earlier response.
	resp, body = srv.get(t, "/readall")
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	require.Equal(t, "read 0 bytes", body)
	require.NotContains(t, resp.Header, "Content-Type")
}
