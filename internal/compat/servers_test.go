package compat

import (
	"bufio"
	"context"
	"log/slog"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	goruntime "runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/internal/testutil"
	"github.com/civetbox/civetbox/runtime"
	"github.com/civetbox/civetbox/runtime/engine"
)

// dir is testdata/compat, where the handler files and their builds are.
func dir() string {
	_, file, _, _ := goruntime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata", "compat")
}

// buildNative compiles native_main.c with the handler file, unchanged,
// against the system's civetweb.h and libcivetweb.
func buildNative(t *testing.T, cc, name string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), name+"-native")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, cc, "-Wall", "-Werror", "-O1", "-o", bin,
		filepath.Join(dir(), "native_main.c"), filepath.Join(dir(), name+".c"), "-lcivetweb").CombinedOutput()
	require.NoError(t, err, "build the native %s:\n%s", name, out)
	return bin
}

// startNative runs a native server and returns its address. When t ends it
// is stopped (stdin closed; killed if it has not exited 5s later) and waited
// for, so no process outlives the test.
func startNative(t *testing.T, bin string, options ...string) string {
	t.Helper()
	cmd := exec.Command(bin, options...)
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	portR, portW, err := os.Pipe()
	require.NoError(t, err)
	defer portR.Close()
	cmd.Stdout = portW
	stderr := &testutil.SyncBuffer{}
	cmd.Stderr = stderr
	require.NoError(t, cmd.Start())
	portW.Close()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = stdin.Close() // native_main.c stops CivetWeb at the end of stdin
		select {
		case err := <-exited:
			if err != nil {
				t.Errorf("native server %s: %v\n%s", filepath.Base(bin), err, stderr)
			}
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
			t.Errorf("native server %s did not stop within 5s of stdin closing; killed\n%s", filepath.Base(bin), stderr)
		}
		if t.Failed() && stderr.String() != "" {
			t.Logf("native server stderr (last 4 KiB):\n%s", tail(stderr.String(), 4096))
		}
	})

	require.NoError(t, portR.SetReadDeadline(time.Now().Add(20*time.Second)))
	line, err := bufio.NewReader(portR).ReadString('\n')
	require.NoError(t, err, "read the native server's port; stderr:\n%s", stderr)
	port, err := strconv.Atoi(strings.TrimSpace(line))
	require.NoError(t, err, "port line %q", line)
	require.Greater(t, port, 0)
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
}

// serveSandboxed loads a module in the given instance mode and serves it
// with net/http on 127.0.0.1, as "civetbox run" does.
func serveSandboxed(t *testing.T, eng engine.Engine, name string, wasm []byte, mode runtime.Mode) (addr string, logs *testutil.SyncBuffer) {
	t.Helper()
	logs = &testutil.SyncBuffer{}
	h, err := runtime.Load(context.Background(), eng, wasm, runtime.Config{
		Name:   name,
		Mode:   mode,
		Logger: slog.New(slog.NewTextHandler(logs, nil)),
	})
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		srv.Close()
		require.NoError(t, h.Close(context.Background()))
		if t.Failed() && logs.String() != "" {
			t.Logf("civetbox log (last 4 KiB):\n%s", tail(logs.String(), 4096))
		}
	})
	return srv.Listener.Addr().String(), logs
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}
