package compat

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/internal/enginetest"
	"github.com/civetbox/civetbox/runtime"
	"github.com/civetbox/civetbox/runtime/engine"
)

// Bodies that do not arrive whole, which native CivetWeb cannot be
// compared on: a body over civetbox's limit, and a client that leaves
// mid-body. The handler must get CivetWeb's error value, the client a 413
// where it can still hear one, and no file may stay under its final name.

// uploadServer serves the named compat handler with a fresh upload
// directory and the given body limit.
func uploadServer(t *testing.T, eng engine.Engine, name string, mode runtime.Mode, limit int64) (*boxServer, string) {
	t.Helper()
	wasm, err := os.ReadFile(filepath.Join(dir(), name+".wasm"))
	require.NoError(t, err)
	uploads := t.TempDir()
	s := suite{name: name, configure: func(_ *testing.T, cfg *runtime.Config) {
		cfg.UploadDir = uploads
		cfg.MaxRequestBody = limit
	}}
	return serveSandboxed(t, eng, s, wasm, mode), uploads
}

// chunkedHead starts a chunked POST.
func chunkedHead(target string, headers ...string) string {
	return "POST " + target + " HTTP/1.1\r\n" + hostLine + headerLines(headers) + "Transfer-Encoding: chunked\r\n\r\n"
}

func chunksOf(s string) string {
	var b strings.Builder
	for _, c := range splitChunks(s) {
		fmt.Fprintf(&b, "%x\r\n%s\r\n", len(c), c)
	}
	return b.String()
}

// waitObserved waits for the handler's compat-observe report.
func waitObserved(t *testing.T, srv *boxServer) []string {
	t.Helper()
	var obs []string
	require.Eventually(t, func() bool {
		obs = append(obs, srv.cry.observed()...)
		return len(obs) > 0
	}, 10*time.Second, 10*time.Millisecond, "the handler never reported")
	return obs
}

// uploadTargets are the two ways a body reaches the upload directory.
var uploadTargets = []struct {
	handler, target, header, obsPrefix string
	body                               func(n int) string
}{
	{"store", "/store/up.bin", "", "mg_store_body returned ",
		func(n int) string { return pattern(n) }},
	{"forms", "/forms/all", mpType, "mg_handle_form_request returned ",
		func(n int) string { return multipartBody(boundary, mpFile("storeup", "up.bin", pattern(n))) }},
}

func TestUploadOverBodyLimit(t *testing.T) {
	const limit = 64 << 10
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		for _, tg := range uploadTargets {
			t.Run(tg.handler, func(t *testing.T) {
				srv, uploads := uploadServer(t, eng, tg.handler, runtime.ModePooled, limit)
				var headers []string
				if tg.header != "" {
					headers = append(headers, tg.header)
				}
				// Chunked: the guest runs, its read fails at the limit.
				resp := send(t, srv.addr, chunkedHead(tg.target, headers...)+chunksOf(tg.body(limit+1))+"0\r\n\r\n")
				require.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
				obs := waitObserved(t, srv)
				require.Contains(t, obs[0], tg.obsPrefix+map[string]string{"store": "-13", "forms": "-1"}[tg.handler])
				require.Empty(t, listDir(t, uploads))
				// Declared length: refused before the guest runs.
				resp = send(t, srv.addr, withBody("POST", tg.target, tg.body(limit+1), headers...))
				require.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
				require.Empty(t, srv.cry.observed(), "the guest ran")
				require.Empty(t, listDir(t, uploads))
				// Just under the limit is stored.
				resp = send(t, srv.addr, chunkedHead(tg.target, headers...)+chunksOf(tg.body(limit-1024))+"0\r\n\r\n")
				require.Equal(t, http.StatusOK, resp.StatusCode)
				require.Len(t, listDir(t, uploads), 1)
			})
		}
	})
}

func TestUploadClientLeavesMidBody(t *testing.T) {
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		for _, tg := range uploadTargets {
			for _, v := range []struct{ halfClose, chunkedBody bool }{{true, true}, {false, true}, {true, false}, {false, false}} {
				halfClose, chunkedBody := v.halfClose, v.chunkedBody
				t.Run(fmt.Sprintf("%s/half-close=%v/chunked=%v", tg.handler, halfClose, chunkedBody), func(t *testing.T) {
					srv, uploads := uploadServer(t, eng, tg.handler, runtime.ModePooled, -1)
					var headers []string
					if tg.header != "" {
						headers = append(headers, tg.header)
					}
					raw := chunkedHead(tg.target, headers...) + chunksOf(tg.body(200<<10))
					if !chunkedBody {
						raw = withBody("POST", tg.target, tg.body(200<<10), headers...)
					}
					conn, err := net.Dial("tcp", srv.addr)
					require.NoError(t, err)
					defer conn.Close()
					_, err = io.WriteString(conn, raw[:len(raw)/2])
					require.NoError(t, err)
					if halfClose {
						require.NoError(t, conn.(*net.TCPConn).CloseWrite())
					} else {
						require.NoError(t, conn.Close())
					}
					// net/http cancels the request once it sees the client
					// gone, which may stop the guest before it answers; if
					// it answered, it saw the error.
					want := tg.obsPrefix + map[string]string{"store": "-13", "forms": "-1"}[tg.handler]
					require.Eventually(t, func() bool {
						obs := srv.cry.observed()
						if len(obs) > 0 {
							require.Equal(t, want, obs[0])
							return true
						}
						return strings.Contains(srv.logs.String(), `msg="request failed"`)
					}, 10*time.Second, 10*time.Millisecond, "the request never ended")
					require.Eventually(t, func() bool { return len(listDir(t, uploads)) == 0 },
						5*time.Second, 10*time.Millisecond, "nothing stays in the upload directory")
					// The server goes on serving.
					resp := send(t, srv.addr, withBody("POST", tg.target, tg.body(10), headers...))
					require.Equal(t, http.StatusOK, resp.StatusCode)
				})
			}
		}
	})
}

// send writes one raw request on a new connection and reads the response.
func send(t *testing.T, addr, raw string) *http.Response {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	require.NoError(t, conn.SetDeadline(time.Now().Add(20*time.Second)))
	go func() { _, _ = io.WriteString(conn, raw) }()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	_, _ = io.ReadAll(resp.Body)
	return resp
}

// listDir lists everything under dir, temporary files included.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	require.NoError(t, filepath.WalkDir(dir, func(p string, _ os.DirEntry, err error) error {
		if err == nil && p != dir {
			names = append(names, p)
		}
		return err
	}))
	return names
}

// TestFormsWhereCivetWebSpins covers urlencoded bodies on which CivetWeb
// 1.15's mg_handle_form_request never returns (a worker thread spins,
// calling field_get with empty values): a last value ending in a cut
// escape, and a NUL byte in the body. civetbox returns -1 after the fields
// before it.
func TestFormsWhereCivetWebSpins(t *testing.T) {
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		srv, _ := uploadServer(t, eng, "forms", runtime.ModeFresh, -1)
		for _, body := range []string{"a=1&f=%4", "a=1&f=%", "a=1&b=x\x00y&c=3", "a=" + strings.Repeat("v", 9000) + "\x00"} {
			resp := send(t, srv.addr, withBody("POST", "/forms/all", body, formType))
			require.Equal(t, http.StatusBadRequest, resp.StatusCode, "the handler answers a malformed form with 400")
			obs := waitObserved(t, srv)
			require.Equal(t, []string{"mg_handle_form_request returned -1"}, obs, "body %q", body)
		}
	})
}
