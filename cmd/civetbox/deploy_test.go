package main

import (
	"encoding/json"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/deploy/api"
)

// writeModule writes a module file of the given content and returns its
// path; the fake server does not look inside.
func writeModule(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

func TestDeploy_uploadsActivatesAndRoutes(t *testing.T) {
	f, _ := startFakeAdmin(t)
	path := writeModule(t, "hello.wasm", strings.Repeat("w", 18634))

	code, stdout, stderr := runCmd(t, "deploy", "--tenant", "blog", "--route", "/api", path, "--route", "/v1")
	require.Equal(t, exitOK, code, stderr)
	require.Regexp(t, `^deployed blog/hello version 1 \(sha256 [0-9a-f]{12}…, 18\.2 KiB\), active; routes: /api /v1\n$`, stdout)
	require.Empty(t, stderr, "no progress under 1 MiB")
	require.Equal(t, []api.Route{
		{Prefix: "/api", Module: "hello", Source: api.SourceStore},
		{Prefix: "/v1", Module: "hello", Source: api.SourceStore},
	}, f.routes)

	code, stdout, _ = runCmd(t, "deploy", "--tenant", "blog", "--name", "hello", "--no-activate",
		"--route", "/x", "--host", "blog.example", path)
	require.Equal(t, exitOK, code)
	require.Contains(t, stdout, "uploaded blog/hello version 2 (sha256 ")
	require.Contains(t, stdout, "), not active; routes: blog.example/x\n")
	require.Equal(t, 1, f.modules["blog/hello"].Active)
}

func TestDeploy_json(t *testing.T) {
	startFakeAdmin(t)
	code, stdout, stderr := runCmd(t, "deploy", "--json", "--tenant", "blog", writeModule(t, "a.wasm", "wasm"))
	require.Equal(t, exitOK, code, stderr)
	var v api.Version
	require.NoError(t, json.Unmarshal([]byte(stdout), &v))
	require.Equal(t, 1, v.Version)
	require.True(t, v.Active)
	require.Equal(t, int64(4), v.Size)
}

// TestDeploy_progress: a large upload says how far it got, one line per
// 10% when stderr is not a terminal.
func TestDeploy_progress(t *testing.T) {
	startFakeAdmin(t)
	path := writeModule(t, "big.wasm", strings.Repeat("w", 3<<20))
	code, stdout, stderr := runCmd(t, "deploy", "--tenant", "blog", path)
	require.Equal(t, exitOK, code, stderr)
	require.Contains(t, stdout, "deployed blog/big version 1")
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	require.Len(t, lines, 10, stderr)
	require.Equal(t, "uploading big.wasm:  10% of 3.0 MiB", lines[0])
	require.Equal(t, "uploading big.wasm: 100% of 3.0 MiB", lines[9])
}

// TestDeploy_exitCodes: a refusal is 1, a wrong command line 2, a server
// that cannot be reached or fails 3; the token is never echoed.
func TestDeploy_exitCodes(t *testing.T) {
	f, srv := startFakeAdmin(t)
	good := writeModule(t, "hello.wasm", "wasm")
	bad := writeModule(t, "bad.wasm", "bad module")
	missing := filepath.Join(t.TempDir(), "missing.wasm")
	empty := writeModule(t, "empty.wasm", "")
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "upstream down", http.StatusBadGateway)
	}))
	defer failing.Close()
	tests := []struct {
		name string
		env  map[string]string
		args []string
		code int
		want string
	}{
		{"rejected", nil, []string{"--tenant", "blog", bad}, exitError,
			"civetbox deploy: refused (422 rejected): not a WebAssembly module\n"},
		{"wrong token", map[string]string{envToken: "cbx_wrong"}, []string{"--tenant", "blog", good}, exitError,
			"civetbox deploy: refused (401 unauthorized): unknown token\n"},
		{"token flag wins", nil, []string{"--token", "cbx_wrong", "--tenant", "blog", good}, exitError,
			"(401 unauthorized)"},
		{"no tenant", nil, []string{good}, exitUsage, "civetbox deploy: --tenant is required\n"},
		{"no token", map[string]string{envToken: ""}, []string{"--tenant", "blog", good}, exitUsage,
			"civetbox deploy: no token: set $CIVETBOX_TOKEN"},
		{"missing file", nil, []string{"--tenant", "blog", missing}, exitUsage,
			`civetbox deploy: module file "` + missing + `": no such file or directory`},
		{"empty file", nil, []string{"--tenant", "blog", empty}, exitUsage, `module file "` + empty + `" is empty`},
		{"directory", nil, []string{"--tenant", "blog", t.TempDir()}, exitUsage, "is not a regular file"},
		{"no file", nil, []string{"--tenant", "blog"}, exitUsage, "want exactly one module, got 0"},
		{"two files", nil, []string{"--tenant", "blog", good, good}, exitUsage, "want exactly one module, got 2"},
		{"host without route", nil, []string{"--tenant", "blog", "--host", "h", good}, exitUsage, "--host needs a --route"},
		{"bad tenant name", nil, []string{"--tenant", "..", good}, exitUsage, `client: tenant name ".." is not valid`},
		{"bad admin URL", nil, []string{"--admin", "ftp://x", "--tenant", "blog", good}, exitUsage, "scheme is not http"},
		{"server error", map[string]string{envAdmin: failing.URL}, []string{"--tenant", "blog", good}, exitUnavailable,
			"civetbox deploy: server error (502): upstream down (not an admin API answer)\n"},
		{"refused connection", map[string]string{envAdmin: closedAddr(t)}, []string{"--tenant", "blog", good},
			exitUnavailable, "connection refused"},
		{"TLS failure", map[string]string{envAdmin: tlsURL(t)}, []string{"--tenant", "blog", good},
			exitUnavailable, "certificate"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			code, stdout, stderr := runCmd(t, append([]string{"deploy"}, tc.args...)...)
			require.Equal(t, tc.code, code, stderr)
			require.Contains(t, stderr, tc.want)
			require.Empty(t, stdout)
			require.NotContains(t, stderr, testToken)
			require.NotContains(t, stderr, "cbx_wrong")
		})
	}
	require.Equal(t, 1, f.uploads, "a wrong command line sends nothing")
	require.Equal(t, srv.URL, os.Getenv(envAdmin))
}

// TestDeploy_uploadedButNotRouted: when a route fails after the upload,
// the error says the version is there.
func TestDeploy_uploadedButNotRouted(t *testing.T) {
	f, _ := startFakeAdmin(t)
	code, stdout, stderr := runCmd(t, "deploy", "--tenant", "blog", "--route", "api", writeModule(t, "a.wasm", "wasm"))
	require.Equal(t, exitError, code)
	require.Empty(t, stdout)
	require.Equal(t, "civetbox deploy: uploaded blog/a version 1, but route api: "+
		`refused (400 bad_request): prefix "api" does not start with /`+"\n", stderr)
	require.Equal(t, 1, f.modules["blog/a"].Active)
}

// closedAddr is an address nothing listens on.
func closedAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return "http://" + addr
}

// tlsURL is an https server whose certificate nothing trusts.
func tlsURL(t *testing.T) string {
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is the point
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv.URL
}
