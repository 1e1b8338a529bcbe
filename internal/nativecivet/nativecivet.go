// Package nativecivet runs CivetWeb handler files under real CivetWeb
// (Debian's libcivetweb-dev, 1.15) and reads raw HTTP/1.x answers, for the
// tests that compare civetbox with it: the differential suite in
// internal/compat and the examples' native test. Keeping the oracle and the
// wire reading in one place makes both compare civetbox with the same
// server, read the same way.
//
// The native server is testdata/native_main.c linked with the handler file,
// which is compiled unchanged. Find the compiler with
// toolchain.NativeCivetWeb, which skips the test (or fails it, with
// CIVETBOX_REQUIRE_TOOLCHAIN=1) when it or libcivetweb is missing.
package nativecivet

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/internal/testutil"
)

// logEnv names the file native_main.c appends CivetWeb's log messages to.
const logEnv = "NATIVE_CIVETWEB_LOG"

// mainSource is the path of native_main.c, found from this file's so that
// tests in any directory can build it. It is under testdata, which the go
// command ignores: beside the Go files, a .c file would demand cgo.
func mainSource() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "testdata", "native_main.c")
}

// Build compiles the handler file, unchanged, with native_main.c against the
// system's civetweb.h and libcivetweb, using the C compiler cc, and returns
// the program's path. cflags are added to "-Wall -O1".
func Build(t testing.TB, cc, handler string, cflags ...string) string {
	t.Helper()
	name := strings.TrimSuffix(filepath.Base(handler), ".c")
	bin := filepath.Join(t.TempDir(), name+"-native")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	require.NoError(t, Compile(ctx, cc, handler, bin, cflags...))
	return bin
}

// Compile is Build for programs (the load benchmark): it writes the native
// server to bin and returns the compiler's output in its error.
func Compile(ctx context.Context, cc, handler, bin string, cflags ...string) error {
	args := append([]string{"-Wall", "-O1"}, cflags...)
	args = append(args, "-o", bin, mainSource(), handler, "-lcivetweb")
	out, err := exec.CommandContext(ctx, cc, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("build the native %s: %w\n%s", filepath.Base(handler), err, out)
	}
	return nil
}

// Server is a running native server.
type Server struct {
	Addr    string // 127.0.0.1:port
	logPath string // CivetWeb's log messages, each ended by a NUL byte
	logged  int    // bytes of the log already returned by NewLog
}

// Start runs a program from Build with extra CivetWeb options (name value
// pairs) and waits until it listens. When t ends the server is stopped
// (stdin closed; killed if it has not exited 5s later) and waited for, so
// no process outlives the test.
func Start(t testing.TB, bin string, options ...string) *Server {
	t.Helper()
	return StartIn(t, "", bin, options...)
}

// StartIn is Start with the server running in the working directory dir
// ("" for the test's), where CivetWeb resolves relative file paths (those
// given to mg_store_body or chosen by a form's field_found).
func StartIn(t testing.TB, dir, bin string, options ...string) *Server {
	t.Helper()
	srv := &Server{logPath: filepath.Join(t.TempDir(), "civetweb.log")}
	p := &process{name: filepath.Base(bin), cmd: exec.Command(bin, options...), stderr: &testutil.SyncBuffer{}}
	p.cmd.Dir = dir
	p.cmd.Env = append(os.Environ(), logEnv+"="+srv.logPath)
	p.cmd.Stderr = p.stderr
	dieWithParent(p.cmd)
	var err error
	p.stdin, err = p.cmd.StdinPipe()
	require.NoError(t, err)
	portR, portW, err := os.Pipe()
	require.NoError(t, err)
	defer portR.Close()
	p.cmd.Stdout = portW
	require.NoError(t, p.cmd.Start())
	portW.Close()
	p.exited = make(chan error, 1)
	go func() { p.exited <- p.cmd.Wait() }()
	t.Cleanup(func() { p.stop(t) })
	srv.Addr = readAddr(t, portR, p.stderr)
	return srv
}

// process is a started native server.
type process struct {
	name   string
	cmd    *exec.Cmd
	stdin  io.Closer
	stderr *testutil.SyncBuffer
	exited chan error // cmd.Wait's result
}

// stop ends the server (native_main.c stops CivetWeb at the end of its
// stdin) and reports on t how it ended, if not cleanly.
func (p *process) stop(t testing.TB) {
	_ = p.stdin.Close()
	select {
	case err := <-p.exited:
		if err != nil {
			t.Errorf("native server %s: %v\n%s", p.name, err, p.stderr)
		}
	case <-time.After(5 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.exited
		t.Errorf("native server %s did not stop within 5s of stdin closing; killed\n%s", p.name, p.stderr)
	}
	if t.Failed() && p.stderr.String() != "" {
		t.Logf("native server stderr (last 4 KiB):\n%s", tail(p.stderr.String(), 4096))
	}
}

// readAddr reads the port line the server prints once it listens.
func readAddr(t testing.TB, portR *os.File, stderr *testutil.SyncBuffer) string {
	t.Helper()
	require.NoError(t, portR.SetReadDeadline(time.Now().Add(20*time.Second)))
	line, err := bufio.NewReader(portR).ReadString('\n')
	require.NoError(t, err, "read the native server's port; stderr:\n%s", stderr)
	port, err := strconv.Atoi(strings.TrimSpace(line))
	require.NoError(t, err, "port line %q", line)
	require.Greater(t, port, 0)
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
}

// NewLog returns CivetWeb's log messages (mg_cry's included) written since
// the last call. native_main.c writes each before the handler goes on, so
// once a response is complete, what its handler logged is there.
func (s *Server) NewLog(t testing.TB) []string {
	t.Helper()
	b, err := os.ReadFile(s.logPath)
	require.NoError(t, err)
	msgs := strings.Split(string(b[s.logged:]), "\x00")
	s.logged = len(b)
	return msgs[:len(msgs)-1]
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}
