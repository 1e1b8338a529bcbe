package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/internal/testguests"
	"github.com/civetbox/civetbox/internal/testutil"
	"github.com/civetbox/civetbox/internal/toolchain"
)

// runCmd runs the civetbox command line and returns its exit code and output.
func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestUsage(t *testing.T) {
	code, _, stderr := runCmd(t)
	require.Equal(t, exitUsage, code)
	require.Contains(t, stderr, "usage: civetbox <command>")

	code, _, stderr = runCmd(t, "frobnicate")
	require.Equal(t, exitUsage, code)
	require.Contains(t, stderr, `unknown command "frobnicate"`)

	code, stdout, _ := runCmd(t, "help")
	require.Equal(t, exitOK, code)
	require.Contains(t, stdout, "build    compile C handlers")
}

func TestVersion(t *testing.T) {
	code, stdout, _ := runCmd(t, "version")
	require.Equal(t, exitOK, code)
	require.Regexp(t, `(?m)^civetbox \S+$`, stdout)
	require.Contains(t, stdout, "ABI v1 (CivetWeb 1.15 API)")
	require.Regexp(t, `(?m)^engine wazero v\d+\.\d+\.\d+$`, stdout)
}

// TestRun_badModules: civetbox run exits non-zero and names the problem.
func TestRun_badModules(t *testing.T) {
	nowhere := filepath.Join(t.TempDir(), "nowhere")
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{testguests.Path("bad/not_wasm.wasm")}, exitError, "not a WebAssembly module"},
		{[]string{testguests.Path("bad/abi_v2.wasm")}, exitError, "built for ABI v2, this host speaks v1"},
		{[]string{testguests.Path("bad/no_version.wasm")}, exitError, "carries no civetbox ABI version"},
		{[]string{testguests.Path("bad/no_dispatch.wasm")}, exitError, `does not export "civetbox_abi_dispatch"`},
		{[]string{testguests.Path("bad/bad_import.wasm")}, exitError, `imports "env"."system"`},
		{[]string{testguests.Path("bad/init_fails.wasm")}, exitError, "civetbox_init returned 7"},
		{[]string{filepath.Join(t.TempDir(), "missing.wasm")}, exitError, "no such file or directory"},
		{[]string{"--engine", "v8", testguests.Path("routes.wasm")}, exitError,
			`engine "v8" is not compiled into this binary (available: ` + strings.Join(engineNames(), ", ") + ")"},
		{[]string{"--mode", "sometimes", testguests.Path("routes.wasm")}, exitError, `mode "sometimes"`},
		{[]string{"--memory-mib", "0", testguests.Path("routes.wasm")}, exitUsage, "--memory-mib 0 is outside 1-4096"},
		{[]string{"--max-body-mib", "-1", testguests.Path("routes.wasm")}, exitUsage, "--max-body-mib -1 is outside 0-1048576"},
		{[]string{"--document-root", nowhere, testguests.Path("routes.wasm")}, exitError,
			`document root "` + nowhere + `": no such file or directory`},
		{[]string{"--upload-dir", testguests.Path("routes.wasm"), testguests.Path("routes.wasm")}, exitError,
			"upload directory \"" + testguests.Path("routes.wasm") + "\": not a directory"},
		{[]string{}, exitUsage, "want exactly one module, got 0"},
		{[]string{"--bogus"}, exitUsage, "flag provided but not defined: -bogus"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			args := append([]string{"run", "--cache-dir", "", "--listen", "127.0.0.1:0"}, tc.args...)
			code, _, stderr := runCmd(t, args...)
			require.Equal(t, tc.code, code, stderr)
			require.Contains(t, stderr, tc.want)
		})
	}
}

// TestRun_serves runs a module on a real socket until interrupted, on every
// engine compiled in.
func TestRun_serves(t *testing.T) {
	for _, eng := range engineNames() {
		t.Run(eng, func(t *testing.T) {
			srv := startCmd(t, "run", "--listen", "127.0.0.1:0", "--mode", "pooled", "--engine", eng,
				"--cache-dir", t.TempDir(), testguests.Path("routes.wasm"))
			require.Equal(t, "a", srv.get(t, "/a"))
			require.Contains(t, srv.stdout.String(), "module routes.wasm routes /a /a/b")
			require.Equal(t, exitOK, srv.stop(t), "an interrupt is a clean exit")
		})
	}
}

// TestServe_builtInConfig serves the bundled examples, as the README's first
// command does.
func TestServe_builtInConfig(t *testing.T) {
	srv := startCmd(t, "serve", "--listen", "127.0.0.1:0", "--cache-dir", "")
	require.Equal(t, "Hello, world!\n", srv.get(t, "/hello"))
	require.Equal(t, "Hello, Ada!\n", srv.get(t, "/query?name=Ada"))
	require.Equal(t, "OK\n", srv.get(t, "/status"))
	require.Equal(t, "Error 404: Not Found\nNot Found", srv.get(t, "/nothing"))
	require.Equal(t, exitOK, srv.stop(t))
}

func TestServe_rejectsArguments(t *testing.T) {
	code, _, stderr := runCmd(t, "serve", "civetbox.toml")
	require.Equal(t, exitUsage, code)
	require.Contains(t, stderr, `unexpected argument "civetbox.toml"`)
}

// TestBuild_reproducesCommittedModules rebuilds examples with "civetbox
// build" and requires the committed bytes.
func TestBuild_reproducesCommittedModules(t *testing.T) {
	toolchain.Wasm(t)
	for _, name := range []string{"hello", "echo"} {
		out := filepath.Join(t.TempDir(), name+".wasm")
		src := filepath.Join("..", "..", "examples", name, name+".c")
		code, stdout, stderr := runCmd(t, "build", src, "-o", out)
		require.Equal(t, exitOK, code, stderr)
		require.Contains(t, stdout, "built "+out)
		built, err := os.ReadFile(out)
		require.NoError(t, err)
		committed, err := os.ReadFile(filepath.Join("..", "..", "examples", name, name+".wasm"))
		require.NoError(t, err)
		require.True(t, bytes.Equal(committed, built), "%s.wasm differs from a fresh build; run go generate ./...", name)
	}
}

func TestBuild_errors(t *testing.T) {
	t.Run("compile error", func(t *testing.T) {
		toolchain.Wasm(t)
		src := filepath.Join(t.TempDir(), "broken.c")
		require.NoError(t, os.WriteFile(src, []byte("int civetbox_init(struct mg_context *ctx) { return nope; }\n"), 0o644))
		code, _, stderr := runCmd(t, "build", src)
		require.Equal(t, exitError, code)
		require.Contains(t, stderr, "use of undeclared identifier 'nope'")
	})
	t.Run("no toolchain", func(t *testing.T) {
		t.Setenv("PATH", t.TempDir())
		code, _, stderr := runCmd(t, "build", "handler.c")
		require.Equal(t, exitError, code)
		require.Contains(t, stderr, "apt-get install clang lld wasi-libc libclang-rt-dev-wasm32")
	})
	t.Run("no sources", func(t *testing.T) {
		code, _, stderr := runCmd(t, "build", "-o", "x.wasm")
		require.Equal(t, exitUsage, code)
		require.Contains(t, stderr, "no C sources given")
	})
}

// cmdServer is a civetbox command serving in the background.
type cmdServer struct {
	url    string
	stdout *testutil.SyncBuffer
	cancel context.CancelFunc
	done   chan int
}

// startCmd runs a serving command and waits for its listening line.
func startCmd(t *testing.T, args ...string) *cmdServer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &cmdServer{stdout: &testutil.SyncBuffer{}, cancel: cancel, done: make(chan int, 1)}
	stderr := &testutil.SyncBuffer{}
	go func() { s.done <- run(ctx, args, s.stdout, stderr) }()
	listening := regexp.MustCompile(`listening on (http://\S+)`)
	require.Eventually(t, func() bool {
		m := listening.FindStringSubmatch(s.stdout.String())
		if m != nil {
			s.url = m[1]
		}
		return m != nil
	}, 10*time.Second, 10*time.Millisecond, "no listening line; stderr: %s", stderr)
	t.Cleanup(cancel)
	return s
}

func (s *cmdServer) get(t *testing.T, path string) string {
	t.Helper()
	resp, err := http.Get(s.url + path)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(b)
}

// stop interrupts the command and returns its exit code.
func (s *cmdServer) stop(t *testing.T) int {
	t.Helper()
	s.cancel()
	select {
	case code := <-s.done:
		return code
	case <-time.After(15 * time.Second):
		t.Fatal("the command did not stop after an interrupt")
		return -1
	}
}

func TestGCFloorBytes(t *testing.T) {
	require.Equal(t, uint64(DefaultGCFloorMiB)<<20, gcFloorBytes(DefaultGCFloorMiB, ""))
	require.Zero(t, gcFloorBytes(0, ""), "0 turns the floor off")
	require.Zero(t, gcFloorBytes(64, "200"), "the operator's GOGC wins")
	require.Zero(t, gcFloorBytes(64, "off"))
	require.Equal(t, uint64(1)<<40, gcFloorBytes(1<<60, ""), "capped, no overflow")
}
