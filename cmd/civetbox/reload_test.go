//go:build unix

package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// appConfig is a configuration whose tenant "app" (host app.test) runs the
// given bundled example.
func appConfig(t *testing.T, example string) string {
	abs, err := filepath.Abs(filepath.Join("..", "..", "examples", example, example+".wasm"))
	require.NoError(t, err)
	return fmt.Sprintf("[listen]\nhttp = [\"127.0.0.1:0\"]\nadmin = \"127.0.0.1:0\"\n[log]\naccess = \"off\"\n\n"+
		"[[tenant]]\nname = \"app\"\nhosts = [\"app.test\"]\n  [[tenant.module]]\n  path = %q\n", abs)
}

// TestServe_reloadOnSIGHUP: a reload swaps the configuration for new
// requests while a request in flight finishes on the old one, and a broken
// file is refused with the running configuration kept.
func TestServe_reloadOnSIGHUP(t *testing.T) {
	path := filepath.Join(t.TempDir(), "civetbox.toml")
	require.NoError(t, os.WriteFile(path, []byte(appConfig(t, "echo")), 0o600))
	cs := startConfig(t, path, 2)
	srv := cs.cmdServer
	u, err := url.Parse(cs.urls["http"])
	require.NoError(t, err)

	// A request in flight: the echo handler is reading a body that has
	// not fully arrived.
	conn, err := net.Dial("tcp", u.Host)
	require.NoError(t, err)
	defer conn.Close()
	_, err = io.WriteString(conn, "POST /echo HTTP/1.1\r\nHost: app.test\r\nContent-Length: 10\r\n\r\n12345")
	require.NoError(t, err)
	time.Sleep(100 * time.Millisecond) // let it reach the guest

	hup := func(want string) {
		t.Helper()
		require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGHUP))
		require.Eventually(t, func() bool { return strings.Contains(srv.stdout.String(), want) },
			10*time.Second, 10*time.Millisecond, "stdout: %s", srv.stdout)
	}
	require.NoError(t, os.WriteFile(path, []byte(appConfig(t, "hello")), 0o600))
	hup("reloaded tenant app: hello.wasm (/hello)")
	require.Equal(t, "Hello, world!\n", hostGet(t, srv.url+"/hello", "app.test"), "new requests see the new configuration")

	_, err = io.WriteString(conn, "67890")
	require.NoError(t, err)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(5*time.Second)))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "1234567890", string(body), "the request in flight finished on the old configuration")

	// Metrics carry on across the reload, for the new modules only.
	metrics := hostGet(t, cs.urls["admin"]+"/metrics", "admin")
	require.Contains(t, metrics, `civetbox_requests_total{code_class="2xx",module="hello.wasm",route="/hello",tenant="app"} 1`)
	require.Contains(t, metrics, `civetbox_live_instances{module="hello.wasm",tenant="app"} 0`)
	// The old configuration is closed once its last request has returned,
	// which the client can see a moment before the server does.
	require.Eventually(t, func() bool {
		return !strings.Contains(hostGet(t, cs.urls["admin"]+"/metrics", "admin"), `civetbox_live_instances{module="echo.wasm"`)
	}, 5*time.Second, 5*time.Millisecond, "the old configuration's modules leave the metrics once drained")

	require.NoError(t, os.WriteFile(path, []byte("[listen\n"), 0o600))
	hup("reload refused: config: " + path + ":2: ")
	require.Equal(t, "Hello, world!\n", hostGet(t, srv.url+"/hello", "app.test"), "a refused reload keeps the running configuration")
	require.Equal(t, exitOK, srv.stop(t))
}

func hostGet(t *testing.T, url, host string) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	req.Host = host
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(b)
}
