package examples_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/examples"
	"github.com/civetbox/civetbox/internal/enginetest"
	"github.com/civetbox/civetbox/runtime"
	"github.com/civetbox/civetbox/runtime/engine"
)

// serveExample serves one bundled example on 127.0.0.1 with an OS-chosen port.
func serveExample(t *testing.T, eng engine.Engine, name string, mode runtime.Mode) *httptest.Server {
	t.Helper()
	for _, ex := range examples.All() {
		if ex.Name != name {
			continue
		}
		h, err := runtime.Load(context.Background(), eng, ex.Wasm, runtime.Config{Name: name, Mode: mode})
		require.NoError(t, err)
		srv := httptest.NewServer(h)
		srv.Client().CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		t.Cleanup(func() {
			srv.Close()
			require.NoError(t, h.Close(context.Background()))
		})
		return srv
	}
	t.Fatalf("no example %q", name)
	return nil
}

func send(t *testing.T, srv *httptest.Server, method, path string, body io.Reader, header http.Header) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, body)
	require.NoError(t, err)
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, b
}

// eachExample runs body per engine and instance mode with the example served.
func eachExample(t *testing.T, name string, body func(t *testing.T, srv *httptest.Server)) {
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		for _, mode := range []runtime.Mode{runtime.ModeFresh, runtime.ModePooled} {
			t.Run(string(mode), func(t *testing.T) { body(t, serveExample(t, eng, name, mode)) })
		}
	})
}

func TestAll(t *testing.T) {
	var names []string
	for _, ex := range examples.All() {
		names = append(names, ex.Name)
		require.True(t, bytes.HasPrefix(ex.Wasm, []byte("\x00asm")), ex.Name)
	}
	require.Equal(t, []string{"echo", "hello", "info", "query", "status"}, names)
}

func TestHello(t *testing.T) {
	eachExample(t, "hello", func(t *testing.T, srv *httptest.Server) {
		resp, body := send(t, srv, http.MethodGet, "/hello", nil, nil)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Equal(t, "text/plain", resp.Header.Get("Content-Type"))
		require.Equal(t, "14", resp.Header.Get("Content-Length"))
		require.Equal(t, "Hello, world!\n", string(body))

		resp, body = send(t, srv, http.MethodGet, "/nothing", nil, nil)
		require.Equal(t, http.StatusNotFound, resp.StatusCode)
		require.Equal(t, "Error 404: Not Found\nNot Found", string(body))
	})
}

func TestEcho(t *testing.T) {
	big := make([]byte, 3<<20)
	_, _ = rand.Read(big)
	eachExample(t, "echo", func(t *testing.T, srv *httptest.Server) {
		for _, size := range []int{0, 1, 4095, 4096, 4097, 1 << 20, len(big)} {
			resp, body := send(t, srv, http.MethodPost, "/echo", bytes.NewReader(big[:size]), nil)
			require.Equal(t, http.StatusOK, resp.StatusCode)
			require.Equal(t, int64(size), resp.ContentLength, "a known length is echoed as Content-Length")
			require.True(t, bytes.Equal(big[:size], body), "body of %d bytes echoed", size)
		}
		// io.MultiReader hides the length, so the client sends the body
		// chunked and the example answers chunked.
		resp, body := send(t, srv, http.MethodPut, "/echo", io.MultiReader(bytes.NewReader(big[:100000])), nil)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Equal(t, []string{"chunked"}, resp.TransferEncoding)
		require.True(t, bytes.Equal(big[:100000], body))
	})
}

func TestInfo(t *testing.T) {
	eachExample(t, "info", func(t *testing.T, srv *httptest.Server) {
		header := http.Header{"X-Custom": {"one", "two"}, "Cookie": {"a=1"}}
		resp, body := send(t, srv, http.MethodPost, "/info/some%20path/../x?q=%41&r", strings.NewReader("abc"), header)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		host := strings.TrimPrefix(srv.URL, "http://")
		want := strings.Join([]string{
			"request_method: POST",
			"request_uri: /info/some path/../x",
			"local_uri_raw: /info/some path/../x",
			"local_uri: /info/x",
			"http_version: 1.1",
			"query_string: q=%41&r",
			"remote_user: (null)",
			"remote_addr: 127.0.0.1",
			"content_length: 3",
			"is_ssl: 0",
			"num_headers: 7",
			"header: Host: " + host,
			"header: Accept-Encoding: gzip",
			"header: Content-Length: 3",
			"header: Cookie: a=1",
			"header: User-Agent: Go-http-client/1.1",
			"header: X-Custom: one",
			"header: X-Custom: two",
		}, "\n") + "\n"
		require.Equal(t, want, string(body))
	})
}

func TestQuery(t *testing.T) {
	tests := []struct{ query, want string }{
		{"", "Hello, world!\n"},
		{"?name=Ada", "Hello, Ada!\n"},
		{"?name=Ada+Lovelace&tag=a&tag=b%20c", "Hello, Ada Lovelace! tags: a b c\n"},
		{"?tag=x&name=", "Hello, ! tags: x\n"},
	}
	eachExample(t, "query", func(t *testing.T, srv *httptest.Server) {
		for _, tc := range tests {
			resp, body := send(t, srv, http.MethodGet, "/query"+tc.query, nil, nil)
			require.Equal(t, http.StatusOK, resp.StatusCode)
			require.Equal(t, tc.want, string(body), tc.query)
		}
	})
}

func TestStatus(t *testing.T) {
	noCache := "no-cache, no-store, must-revalidate, private, max-age=0"
	tests := []struct {
		path, body string
		status     int
		header     map[string]string
	}{
		{"/status", "OK\n", 200, map[string]string{"Cache-Control": noCache, "Content-Type": "text/plain", "Pragma": "no-cache"}},
		{"/status/404", "Error 404: Not Found\nStatus 404 was requested.", 404, map[string]string{"Content-Type": "text/plain; charset=utf-8"}},
		{"/status/503", "Error 503: Service Unavailable\nStatus 503 was requested.", 503, nil},
		{"/status/299", "Error 299: Success\nStatus 299 was requested.", 299, nil},
		{"/status/204", "", 204, nil},
		{"/status/abc", "Error 400: Bad Request\nNot a status code: abc", 400, nil},
		{"/status/redirect?to=/hello", "", 302, map[string]string{"Location": "/hello"}},
		{"/status/teapot", "I refuse to brew coffee.\n", 418, map[string]string{"X-Teapot": "short-and-stout", "X-Handle": "yes", "X-Spout": "yes"}},
	}
	eachExample(t, "status", func(t *testing.T, srv *httptest.Server) {
		for _, tc := range tests {
			resp, body := send(t, srv, http.MethodGet, tc.path, nil, nil)
			require.Equal(t, tc.status, resp.StatusCode, tc.path)
			require.Equal(t, tc.body, string(body), tc.path)
			for k, v := range tc.header {
				require.Equal(t, v, resp.Header.Get(k), "%s: header %s", tc.path, k)
			}
			// CivetWeb closes the connection after mg_send_http_error.
			viaSendHTTPError := tc.status != 200 && tc.status != 302 && tc.status != 418
			require.Equal(t, viaSendHTTPError, resp.Close, "%s: connection closes", tc.path)
		}
	})
}
