package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/internal/testguests"
)

// TestRun_envAndRealClock: --env sets the guest's whole environment (a
// repeated name keeps its last value) and --real-clock its clocks.
func TestRun_envAndRealClock(t *testing.T) {
	t.Setenv("Y", "from the host")
	srv := startCmd(t, "run", "--listen", "127.0.0.1:0", "--cache-dir", "",
		"--env", "X=first", "--env", "EMPTY=", "--env", "X=a=b", "--real-clock", testguests.Path("wasienv.wasm"))
	require.Equal(t, "X=a=b\nentry=EMPTY=\nentry=X=a=b\ncount=2\n", srv.get(t, "/env"))
	requireGuestTime(t, srv.get(t, "/clock"), time.Now())
	require.Equal(t, exitOK, srv.stop(t))
}

func TestRun_badEnv(t *testing.T) {
	for _, env := range []string{"NOEQUALS", "=value"} {
		code, _, stderr := runCmd(t, "run", "--env", env, testguests.Path("wasienv.wasm"))
		require.Equal(t, exitUsage, code, stderr)
		require.Contains(t, stderr, strconv.Quote(env)+" is not NAME=value")
	}
}

// TestServe_configEnvAndRealClock: a tenant's env and real_clock reach its
// guests, and only its own.
func TestServe_configEnvAndRealClock(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "civetbox.toml")
	text := strings.ReplaceAll(`
[listen]
http = ["127.0.0.1:0"]
admin = "off"

[[tenant]]
name = "real"
hosts = ["real.test"]
env = { X = "hello world", B = "2" }
real_clock = true
  [[tenant.module]]
  path = "GUEST"

[[tenant]]
name = "plain"
hosts = ["plain.test"]
  [[tenant.module]]
  path = "GUEST"
`, "GUEST", testguests.Path("wasienv.wasm"))
	require.NoError(t, os.WriteFile(path, []byte(text), 0o600))
	srv := startCmd(t, "serve", "--config", path, "--cache-dir", "")
	get := func(host, path string) string {
		_, body := do(t, http.DefaultClient, "GET", srv.url+path, host, nil)
		return body
	}
	require.Equal(t, "X=hello world\nentry=B=2\nentry=X=hello world\ncount=2\n", get("real.test", "/env"), "sorted by name")
	requireGuestTime(t, get("real.test", "/clock"), time.Now())
	require.Equal(t, "X=(unset)\ncount=0\n", get("plain.test", "/env"))
	requireGuestTime(t, get("plain.test", "/clock"), time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC))
	require.Equal(t, exitOK, srv.stop(t))
}

// requireGuestTime checks the time(NULL) line of the wasienv guest's /clock
// report against want.
func requireGuestTime(t *testing.T, report string, want time.Time) {
	t.Helper()
	line, _, _ := strings.Cut(report, "\n")
	secs, ok := strings.CutPrefix(line, "time=")
	require.True(t, ok, "report %q", report)
	n, err := strconv.ParseInt(secs, 10, 64)
	require.NoError(t, err)
	require.WithinDuration(t, want, time.Unix(n, 0), 5*time.Second)
}
