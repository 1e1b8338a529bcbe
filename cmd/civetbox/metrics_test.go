package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestServe_configMetrics: the admin listener serves /metrics, and the
// access log goes to stdout by default.
func TestServe_configMetrics(t *testing.T) {
	dir := t.TempDir()
	writeTestCert(t, dir)
	srv := startConfig(t, testConfig(t, dir), 3)
	_, body := do(t, http.DefaultClient, "GET", srv.urls["http"]+"/hello", "hello.test", nil)
	require.Equal(t, "Hello, world!\n", body)

	want := `civetbox_requests_total{code_class="2xx",module="hello.wasm",route="/hello",tenant="hello"} 1`
	require.Eventually(t, func() bool {
		_, metrics := do(t, http.DefaultClient, "GET", srv.urls["admin"]+"/metrics", "x", nil)
		return strings.Contains(metrics, want)
	}, 2*time.Second, 10*time.Millisecond)
	_, metrics := do(t, http.DefaultClient, "GET", srv.urls["admin"]+"/metrics", "x", nil)
	require.Contains(t, metrics, `civetbox_live_instances{module="hello.wasm",tenant="hello"} 1`, "pooled: one idle instance")

	line := accessLine(t, srv.stdout.String, "/hello")
	require.Equal(t, "hello", line["tenant"])
	require.EqualValues(t, 200, line["status"])
	require.Equal(t, exitOK, srv.stop(t))
}

// TestServe_configAccessLogFile: [log] access names a file, relative to the
// configuration file.
func TestServe_configAccessLogFile(t *testing.T) {
	dir := t.TempDir()
	writeTestCert(t, dir)
	path := testConfig(t, dir)
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString("\n[log]\naccess = \"access.log\"\n")
	require.NoError(t, err)
	require.NoError(t, f.Close())

	srv := startConfig(t, path, 3)
	resp, _ := do(t, http.DefaultClient, "GET", srv.urls["http"]+"/demo/status/teapot", "x", nil)
	require.Equal(t, http.StatusTeapot, resp.StatusCode)
	line := accessLine(t, func() string {
		b, _ := os.ReadFile(filepath.Join(dir, "access.log"))
		return string(b)
	}, "/demo/status/teapot")
	require.Equal(t, "status", line["tenant"])
	require.EqualValues(t, 418, line["status"])
	require.NotContains(t, srv.stdout.String(), `"msg":"request"`, "not on stdout as well")
	require.Equal(t, exitOK, srv.stop(t))
}

// accessLine waits for the access log line for uri in what read returns:
// the line is written once the handler returns, which may be just after
// the client has the response.
func accessLine(t *testing.T, read func() string, uri string) map[string]any {
	t.Helper()
	var line map[string]any
	require.Eventually(t, func() bool {
		for _, l := range strings.Split(read(), "\n") {
			var m map[string]any
			if json.Unmarshal([]byte(l), &m) == nil && m["msg"] == "request" && m["uri"] == uri {
				line = m
				return true
			}
		}
		return false
	}, 2*time.Second, 10*time.Millisecond, "no access log line for %s", uri)
	return line
}
