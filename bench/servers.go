package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/civetbox/civetbox/internal/nativecivet"
)

// binaries are the programs build made.
type binaries struct {
	root     string
	civetbox string
	nativeGo string
	civetweb map[string]string // native CivetWeb server per module name
}

// build compiles civetbox, the native Go server and one native CivetWeb
// server per handler file the scenarios use.
func build(ctx context.Context, root, work string, scens []scenario) (binaries, error) {
	b := binaries{root: root, civetbox: filepath.Join(work, "civetbox"), nativeGo: filepath.Join(work, "nativego"),
		civetweb: map[string]string{}}
	for pkg, out := range map[string]string{"./cmd/civetbox": b.civetbox, "./bench/nativego": b.nativeGo} {
		cmd := exec.CommandContext(ctx, "go", "build", "-o", out, pkg)
		cmd.Dir = root
		if msg, err := cmd.CombinedOutput(); err != nil {
			return b, fmt.Errorf("go build %s: %w\n%s", pkg, err, msg)
		}
	}
	for _, sc := range scens {
		if _, ok := b.civetweb[sc.mod.name]; ok {
			continue
		}
		bin := filepath.Join(work, sc.mod.name+"-native")
		// -O2: the native server should be as fast as a real deployment.
		cflags := append([]string{"-O2"}, sc.mod.cflags...)
		if err := nativecivet.Compile(ctx, "cc", filepath.Join(root, sc.mod.source), bin, cflags...); err != nil {
			return b, err
		}
		b.civetweb[sc.mod.name] = bin
	}
	return b, nil
}

// command returns how to start s for sc.
func (b binaries) command(ctx context.Context, s server, sc scenario, work string) *exec.Cmd {
	switch s.kind {
	case "go":
		return exec.CommandContext(ctx, b.nativeGo)
	case "civetweb":
		// CivetWeb gives each kept-alive connection a worker thread, so
		// it needs a thread per connection to serve them all at once.
		// tcp_nodelay as Go sets it: otherwise Nagle's algorithm holds a
		// handler's second small write for the client's delayed ACK
		// (40 ms), which measures the option, not the server.
		return exec.CommandContext(ctx, b.civetweb[sc.mod.name], "num_threads", strconv.Itoa(sc.conns+8), "tcp_nodelay", "1")
	}
	args := []string{"run", "--engine", s.engine, "--mode", s.mode, "--listen", "127.0.0.1:0",
		"--cache-dir", filepath.Join(work, "cache")}
	if s.noDead {
		args = append(args, "--bench-no-preemption")
	}
	return exec.CommandContext(ctx, b.civetbox, append(args, filepath.Join(b.root, sc.mod.wasm))...)
}

// proc is a running server.
type proc struct {
	name   string
	cmd    *exec.Cmd
	addr   string
	stdin  io.Closer // native CivetWeb serves until its stdin ends
	stderr *os.File
	exited chan error
}

// listenRE finds the address in civetbox's and nativego's start line;
// native CivetWeb prints only its port.
var listenRE = regexp.MustCompile(`listening on http://(\S+)|^(\d+)$`)

// start runs cmd and waits until it says where it listens.
func start(name string, cmd *exec.Cmd, work string) (*proc, error) {
	p := &proc{name: name, cmd: cmd, exited: make(chan error, 1)}
	var err error
	if p.stderr, err = os.CreateTemp(work, "stderr-"); err != nil {
		return nil, err
	}
	cmd.Stderr = p.stderr
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 10 * time.Second
	dieWithParent(cmd)
	if p.stdin, err = cmd.StdinPipe(); err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	addr := make(chan string, 1)
	go scanAddr(out, addr)
	go func() { p.exited <- cmd.Wait() }()
	select {
	case p.addr = <-addr:
		return p, nil
	case err := <-p.exited:
		return nil, fmt.Errorf("%s exited before listening: %v\n%s", name, err, p.stderrTail())
	case <-time.After(60 * time.Second):
		p.stop()
		return nil, fmt.Errorf("%s did not listen within 60s\n%s", name, p.stderrTail())
	}
}

// scanAddr sends the listening address, then drains stdout so the server
// never blocks writing to it.
func scanAddr(out io.Reader, addr chan<- string) {
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		m := listenRE.FindStringSubmatch(strings.TrimSpace(sc.Text()))
		switch {
		case m == nil:
		case m[1] != "":
			addr <- m[1]
		default:
			addr <- "127.0.0.1:" + m[2]
		}
	}
}

// stop asks the server to exit (SIGTERM; end of stdin for native
// CivetWeb) and kills it if it lingers.
func (p *proc) stop() {
	_ = p.stdin.Close()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.exited
	}
	p.stderr.Close()
}

func (p *proc) stderrTail() string {
	b, _ := os.ReadFile(p.stderr.Name())
	if len(b) > 2048 {
		b = b[len(b)-2048:]
	}
	return string(b)
}

// peakRSS is the server's peak resident set size in bytes (VmHWM).
func (p *proc) peakRSS() (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/%d/status", p.cmd.Process.Pid)
}

// check makes one request so a server that answers wrongly (a 404, a short
// body) is reported instead of measured.
func check(ctx context.Context, addr string, sc scenario) error {
	method, body := http.MethodGet, []byte(nil)
	if sc.bodySize > 0 {
		method, body = http.MethodPost, bytes.Repeat([]byte("x"), sc.bodySize)
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, "http://"+addr+sc.path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK || len(got) != sc.wantLen {
		return fmt.Errorf("%s %s: status %d, %d body bytes; want 200 and %d", method, sc.path, resp.StatusCode, len(got), sc.wantLen)
	}
	return nil
}
