package runtime_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/internal/enginetest"
	"github.com/civetbox/civetbox/runtime"
	"github.com/civetbox/civetbox/runtime/engine"
)

// noCache are the headers CivetWeb adds to the responses it generates.
var noCache = map[string]string{
	"Cache-Control": "no-cache, no-store, must-revalidate, private, max-age=0",
	"Expires":       "0",
}

// TestResponses sends every kind of guest response through the translator,
// over HTTP/1.1 and HTTP/2, and checks what the client receives.
func TestResponses(t *testing.T) {
	tests := []struct {
		path       string
		status     int
		headers    map[string]string
		body       string
		bodyPrefix bool
	}{
		{path: "/raw/chunked", status: 200, headers: map[string]string{"Content-Type": "text/plain"}, body: "Hello, world"},
		{path: "/raw/chunks-loop", status: 200, body: "112123123412345123456123456712345678123456789123456789A"},
		{path: "/raw/nohead", status: 200, body: "just a body\n"},
		{path: "/raw/close", status: 200, body: "bye"},
		{path: "/raw/interim", status: 201, body: "made"},
		{path: "/raw/both-lengths", status: 200, body: "ok"},
		{path: "/raw/long", status: 200, headers: map[string]string{"Content-Length": "1048576"}, body: fmt.Sprintf("%063d\n", 0), bodyPrefix: true},
		{path: "/structured/chunks", status: 200, headers: merge(noCache, map[string]string{"Content-Type": "text/plain"}), body: "one two three"},
		{path: "/structured/404", status: 404, headers: merge(noCache, map[string]string{"Content-Type": "text/plain; charset=utf-8"}), body: "Error 404: Not Found\nNo thing here"},
		{path: "/structured/redirect", status: 303, headers: map[string]string{"Location": "/elsewhere", "Content-Length": "0"}},
		{path: "/empty/204", status: 204},
		{path: "/empty/1", status: 200, headers: map[string]string{"Content-Length": "0"}},
		{path: "/empty/0", status: 404, body: "Error 404: Not Found\nNot Found"},
		{path: "/empty/-1", status: 404, body: "Error 404: Not Found\nNot Found"},
		{path: "/partial-head", status: 500, body: "Error 500: Internal Server Error\nThe request handler failed."},
		{path: "/start-no-send", status: 500, body: "Error 500: Internal Server Error\nThe request handler failed."},
		{path: "/codes", status: 200, headers: map[string]string{"X-One": "1", "X-Two": "2"},
			body: "add_before_start=-3 bad_status=-1 start=0 twice=-3 bad_name=-1 lines=2 send=0 again=-3\n"},
	}
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		protocols(t, func(t *testing.T, h2 bool) {
			srv := serveGuestProto(t, eng, "responses.wasm", runtime.Config{Mode: runtime.ModePooled}, h2)
			for _, tc := range tests {
				t.Run(tc.path, func(t *testing.T) {
					resp, body := srv.get(t, tc.path)
					require.Equal(t, tc.status, resp.StatusCode, body)
					for name, want := range tc.headers {
						require.Equal(t, want, resp.Header.Get(name), "header %s", name)
					}
					if tc.bodyPrefix {
						require.True(t, strings.HasPrefix(body, tc.body), "body starts %q", body[:min(len(body), 80)])
					} else {
						require.Equal(t, tc.body, body)
					}
				})
			}
		})
	})
}

func merge(maps ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range maps {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// TestResponses_connectionClose checks that a guest's "Connection: close"
// closes the HTTP/1.1 connection after the response.
func TestResponses_connectionClose(t *testing.T) {
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		srv := serveGuest(t, eng, "responses.wasm", runtime.Config{})
		resp, body := srv.get(t, "/raw/close")
		require.Equal(t, "bye", body)
		require.True(t, resp.Close, "the client was told the connection closes")
	})
}

// TestResponses_http2KeepsConnection: over HTTP/2 a "Connection: close"
// (a guest's, or the one the host's error pages carry, as CivetWeb's do)
// would make Go's server shut down the whole connection and every stream on
// it; the header is dropped there, so the next request reuses the
// connection.
func TestResponses_http2KeepsConnection(t *testing.T) {
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		srv := serveGuestProto(t, eng, "responses.wasm", runtime.Config{}, true)
		srv.get(t, "/count") // opens the connection
		for _, path := range []string{"/raw/close", "/nowhere", "/partial-head"} {
			resp, body := srv.get(t, path)
			require.Equal(t, "HTTP/2.0", resp.Proto)
			require.Empty(t, resp.Header.Get("Connection"), body)
			require.True(t, srv.getReusing(t, "/count"), "after %s, the next request opened a new connection", path)
		}
	})
}

// TestResponses_overlong: body bytes past the guest's own Content-Length
// are dropped, and the log says how many.
func TestResponses_overlong(t *testing.T) {
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		srv := serveGuest(t, eng, "responses.wasm", runtime.Config{})
		resp, body := srv.get(t, "/raw/overlong")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Equal(t, "ok", body)
		srv.logs.eventually(t, "the excess was dropped")
		srv.logs.eventually(t, "bytes=5")
	})
}

// TestResponses_cutChunk: a guest that stops inside one of its chunks must
// not look like a complete response to the client.
func TestResponses_cutChunk(t *testing.T) {
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		srv := serveGuest(t, eng, "responses.wasm", runtime.Config{})
		resp, err := srv.Client().Get(srv.URL + "/raw/cut-chunk")
		if err == nil {
			_, err = io.ReadAll(resp.Body)
			resp.Body.Close()
		}
		require.Error(t, err)
		srv.logs.eventually(t, "stopped inside a chunk")
	})
}

// TestResponses_readAfterWrite streams a request body back while reading it,
// which CivetWeb handlers may do: the response starts before the body is read.
func TestResponses_readAfterWrite(t *testing.T) {
	body := strings.Repeat("0123456789abcdef", 64<<10) // 1 MiB
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		protocols(t, func(t *testing.T, h2 bool) {
			srv := serveGuestProto(t, eng, "responses.wasm", runtime.Config{}, h2)
			resp, got := srv.do(t, http.MethodPost, "/read-after-write", strings.NewReader(body))
			require.Equal(t, http.StatusOK, resp.StatusCode)
			require.Equal(t, len(body), len(got))
			require.Equal(t, body, got)
		})
	})
}

// TestModes_isolation shows what the modes mean to a guest's globals: a
// fresh instance per request starts from scratch every time, a pooled one
// keeps its state between requests.
func TestModes_isolation(t *testing.T) {
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		fresh := serveGuest(t, eng, "responses.wasm", runtime.Config{Mode: runtime.ModeFresh})
		pooled := serveGuest(t, eng, "responses.wasm", runtime.Config{Mode: runtime.ModePooled, PoolSize: 1})
		for i := 1; i <= 3; i++ {
			_, body := fresh.get(t, "/count")
			require.Equal(t, "1", body)
			_, body = pooled.get(t, "/count")
			require.Equal(t, fmt.Sprint(i), body)
		}
	})
}

// TestPooled_hammer runs many concurrent requests through a small pool, with
// faults mixed in, and checks every good request succeeds.
func TestPooled_hammer(t *testing.T) {
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		srv := serveGuest(t, eng, "hostile.wasm", runtime.Config{Mode: runtime.ModePooled, PoolSize: 2})
		var wg sync.WaitGroup
		for g := range 16 {
			wg.Go(func() {
				for i := range 20 {
					path, want := "/ok", http.StatusOK
					if (g+i)%5 == 0 {
						path, want = "/trap/unreachable", http.StatusInternalServerError
					}
					resp, _ := srv.get(t, path)
					require.Equal(t, want, resp.StatusCode, path)
				}
			})
		}
		wg.Wait()
		require.LessOrEqual(t, srv.handler.LiveInstances(), int64(2), "the pool stays within its bound")
	})
}

// TestHandler_close refuses requests after Close and releases the module.
func TestHandler_close(t *testing.T) {
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		modes(t, func(t *testing.T, mode runtime.Mode) {
			srv := serveGuest(t, eng, "hostile.wasm", runtime.Config{Mode: mode, PoolSize: 2})
			for _, path := range []string{"/ok", "/trap/unreachable", "/ok"} {
				srv.get(t, path)
			}
			wantLive := map[runtime.Mode]int64{runtime.ModeFresh: 0, runtime.ModePooled: 1}[mode]
			require.Equal(t, wantLive, srv.handler.LiveInstances(), "fresh instances are closed after each request; the pool keeps one")
			require.NoError(t, srv.handler.Close(t.Context()))
			require.Zero(t, srv.handler.LiveInstances(), "Close closes every instance")
			require.NoError(t, srv.handler.Close(t.Context()), "Close is idempotent")
			resp, body := srv.get(t, "/ok")
			require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode, body)
		})
	})
}

// TestHandler_requestWithoutBody serves a request built by hand with a nil
// Body, as middleware and tests do, through a handler that reads the body:
// the handler sees an empty body rather than panicking.
func TestHandler_requestWithoutBody(t *testing.T) {
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		srv := serveGuest(t, eng, "responses.wasm", runtime.Config{})
		req, err := http.NewRequest(http.MethodPost, "http://test/read-after-write", nil)
		require.NoError(t, err)
		req.RequestURI = "/read-after-write"
		req.RemoteAddr = "127.0.0.1:40000"
		rec := httptest.NewRecorder()
		srv.handler.ServeHTTP(rec, req)
		require.Equal(t, http.StatusOK, rec.Code)
		require.Empty(t, rec.Body.String())
	})
}

// TestResponses_printfScan: mg_printf tells a format without conversions
// from one with them, and measures it, whatever its alignment in memory
// (the SDK scans 16-byte blocks).
func TestResponses_printfScan(t *testing.T) {
	const text = "0123456789abcdefghijklmnopqrstuv%%wxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	var want strings.Builder
	for off := 0; off <= len(text); off++ {
		if off > 0 && text[off-1] == '%' && off < len(text) && text[off] == '%' {
			continue
		}
		want.WriteString(strings.ReplaceAll(text[off:], "%%", "%") + "|")
	}
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		srv := serveGuest(t, eng, "responses.wasm", runtime.Config{})
		resp, body := srv.get(t, "/printf-scan")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Equal(t, want.String(), body)
	})
}
