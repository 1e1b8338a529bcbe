package compat

import (
	"bufio"
	"context"
	"log"
	"log/slog"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	goruntime "runtime"
	"strconv"
	"strings"
	"sync"
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

// nativeServer is a running native_main.
type nativeServer struct {
	addr    string
	logPath string // CivetWeb's log messages, each ended by a NUL byte
	logged  int    // bytes of the log already taken by observed
}

// observed returns the observations (see observePrefix) logged since the
// last call.
func (s *nativeServer) observed(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(s.logPath)
	require.NoError(t, err)
	msgs := strings.Split(string(b[s.logged:]), "\x00")
	s.logged = len(b)
	return observations(msgs[:len(msgs)-1])
}

// startNative runs a native server. When t ends it is stopped (stdin
// closed; killed if it has not exited 5s later) and waited for, so no
// process outlives the test.
func startNative(t *testing.T, bin string, options ...string) *nativeServer {
	t.Helper()
	srv := &nativeServer{logPath: filepath.Join(t.TempDir(), "civetweb.log")}
	cmd := exec.Command(bin, options...)
	cmd.Env = append(os.Environ(), "COMPAT_LOG="+srv.logPath)
	dieWithParent(cmd)
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
	srv.addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	return srv
}

// boxServer is a module served by civetbox.
type boxServer struct {
	addr string
	logs *testutil.SyncBuffer // the module's and http.Server's log
	cry  *cryRecorder
}

// serveSandboxed loads a module in the given instance mode, with the given
// request timeout (0 for the default), and serves it with net/http on
// 127.0.0.1, as "civetbox run" does.
func serveSandboxed(t *testing.T, eng engine.Engine, name string, wasm []byte, mode runtime.Mode, timeout time.Duration) *boxServer {
	t.Helper()
	logs := &testutil.SyncBuffer{}
	cry := &cryRecorder{Handler: slog.NewTextHandler(logs, nil), msgs: new([]string), mu: new(sync.Mutex)}
	h, err := runtime.Load(context.Background(), eng, wasm, runtime.Config{
		Name:           name,
		Mode:           mode,
		RequestTimeout: timeout,
		Logger:         slog.New(cry),
	})
	require.NoError(t, err)
	srv := httptest.NewUnstartedServer(h)
	// What net/http logs (a recovered panic, a refused request) goes with
	// the module's log, shown when the test fails.
	srv.Config.ErrorLog = log.New(logs, "http.Server: ", 0)
	srv.Start()
	t.Cleanup(func() {
		srv.Close()
		require.NoError(t, h.Close(context.Background()))
		if t.Failed() && logs.String() != "" {
			t.Logf("civetbox log (last 4 KiB):\n%s", tail(logs.String(), 4096))
		}
	})
	return &boxServer{addr: srv.Listener.Addr().String(), logs: logs, cry: cry}
}

// cryRecorder is a slog.Handler that passes records on and keeps the
// messages guests logged with mg_cry. The host logs them synchronously,
// before the response is complete.
type cryRecorder struct {
	slog.Handler
	mu   *sync.Mutex
	msgs *[]string
}

func (c *cryRecorder) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == "mg_cry" {
		r.Attrs(func(a slog.Attr) bool {
			if a.Key == "msg" {
				c.mu.Lock()
				*c.msgs = append(*c.msgs, a.Value.String())
				c.mu.Unlock()
			}
			return true
		})
	}
	return c.Handler.Handle(ctx, r)
}

func (c *cryRecorder) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &cryRecorder{Handler: c.Handler.WithAttrs(attrs), mu: c.mu, msgs: c.msgs}
}

func (c *cryRecorder) WithGroup(name string) slog.Handler {
	return &cryRecorder{Handler: c.Handler.WithGroup(name), mu: c.mu, msgs: c.msgs}
}

// observed returns the observations guests logged since the last call.
func (c *cryRecorder) observed() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	msgs := *c.msgs
	*c.msgs = nil
	return observations(msgs)
}

// observePrefix starts the mg_cry messages handlers write to report what
// cannot go into a response (a return value once the response is sent);
// the suite compares them like responses.
const observePrefix = "compat-observe: "

func observations(msgs []string) []string {
	var obs []string
	for _, m := range msgs {
		if rest, ok := strings.CutPrefix(m, observePrefix); ok {
			obs = append(obs, rest)
		}
	}
	return obs
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}
