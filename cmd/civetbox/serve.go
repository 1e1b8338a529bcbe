package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/civetbox/civetbox/examples"
	"github.com/civetbox/civetbox/hostfuncs"
	"github.com/civetbox/civetbox/internal/gcfloor"
	"github.com/civetbox/civetbox/runtime"
	"github.com/civetbox/civetbox/runtime/engine"
	"github.com/civetbox/civetbox/runtime/engine/wazero"
)

const runUsage = `usage: civetbox run [flags] handler.wasm

Serves one module built with "civetbox build" until interrupted.
`

const serveUsage = `usage: civetbox serve [flags]

Serves the bundled examples (/hello, /echo, /info, /query, /status) from the
built-in configuration until interrupted.
`

// DefaultListen is where run and serve listen unless told otherwise.
const DefaultListen = "127.0.0.1:8080"

// shutdownGrace is how long in-flight requests may finish after a signal.
const shutdownGrace = 10 * time.Second

// serverFlags are the flags run and serve share.
type serverFlags struct {
	listen    string
	mode      string
	engine    string
	cacheDir  string
	timeout   time.Duration
	poolSize  int
	memoryMiB uint
	maxBody   int64 // MiB; 0 = no limit
	docRoot   string
	uploadDir string
	env       []string // NAME=value, a later one replaces an earlier one
	realClock bool
	gcFloor   uint64 // MiB; 0 = Go's default collector pacing
	// noPreemption is for the load benchmark (bench/), which measures what
	// enforcing the deadline inside guest code costs under load.
	noPreemption bool
}

// DefaultMemoryMiB is the default limit of each instance's linear memory.
const DefaultMemoryMiB = 128

func (f *serverFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.listen, "listen", DefaultListen, "address to listen on (port 0 picks a free port)")
	fs.StringVar(&f.mode, "mode", string(runtime.ModeFresh), "instance mode: fresh (new instance per request) or pooled")
	fs.StringVar(&f.engine, "engine", wazero.Name, "wasm engine: "+strings.Join(engineNames(), ", "))
	fs.StringVar(&f.cacheDir, "cache-dir", defaultCacheDir(), `compiled-code cache directory ("" disables it)`)
	fs.DurationVar(&f.timeout, "timeout", runtime.DefaultRequestTimeout, "request deadline")
	fs.IntVar(&f.poolSize, "pool-size", 0, "pooled mode: most instances per module (0 = 2 x GOMAXPROCS)")
	fs.UintVar(&f.memoryMiB, "memory-mib", DefaultMemoryMiB, "most linear memory per instance, in MiB (at most 4096)")
	fs.Int64Var(&f.maxBody, "max-body-mib", runtime.DefaultMaxRequestBody>>20, "largest request body, in MiB (0 = no limit); larger ones get 413")
	fs.StringVar(&f.docRoot, "document-root", "", "directory the modules may read files from (mg_send_file, digest passwords files)")
	fs.StringVar(&f.uploadDir, "upload-dir", "", "directory the modules may store files in (mg_store_body, form uploads)")
	fs.BoolVar(&f.noPreemption, "bench-no-preemption", false, "benchmarks only: do not enforce the request deadline inside guest code (a looping guest runs forever)")
	fs.Func("env", "NAME=value: an environment variable for the guests (repeatable; they see no other)", f.addEnv)
	fs.BoolVar(&f.realClock, "real-clock", false, "give guests the real clocks (to 1 ms) instead of fake ones starting in 2022")
	fs.Uint64Var(&f.gcFloor, "gc-floor-mib", DefaultGCFloorMiB, "collect garbage no sooner than at this heap size, in MiB, while the live heap is small (0 = Go's default; ignored when GOGC is set)")
}

// DefaultGCFloorMiB is the default heap goal floor (see internal/gcfloor).
const DefaultGCFloorMiB = 16

// gcFloorOnce: the floor is the process's collector policy, set by the
// first server command it runs (tests run several in one process).
var gcFloorOnce sync.Once

// startGCFloor applies --gc-floor-mib for the rest of the process.
func (f *serverFlags) startGCFloor() {
	if floor := gcFloorBytes(f.gcFloor, os.Getenv("GOGC")); floor > 0 {
		gcFloorOnce.Do(func() { gcfloor.Start(floor) })
	}
}

// gcFloorBytes is the floor for --gc-floor-mib, or 0 for none: an
// operator's GOGC wins, and the flag is capped at 1 TiB.
func gcFloorBytes(mib uint64, gogc string) uint64 {
	if gogc != "" {
		return 0
	}
	return min(mib, 1<<20) << 20
}

// addEnv takes one --env; repeating a name replaces its value, as a shell
// assignment would, so the guest never sees a name twice.
func (f *serverFlags) addEnv(v string) error {
	name, _, ok := strings.Cut(v, "=")
	if !ok || name == "" {
		return fmt.Errorf("%q is not NAME=value", v)
	}
	f.env = slices.DeleteFunc(f.env, func(e string) bool { return strings.HasPrefix(e, name+"=") })
	f.env = append(f.env, v)
	return nil
}

func (f *serverFlags) moduleConfig(name string, log *slog.Logger) runtime.Config {
	maxBody := f.maxBody << 20
	if f.maxBody == 0 {
		maxBody = -1
	}
	return runtime.Config{Name: name, Mode: runtime.Mode(f.mode), PoolSize: f.poolSize, RequestTimeout: f.timeout, Logger: log,
		DocumentRoot: f.docRoot, UploadDir: f.uploadDir, MaxRequestBody: maxBody, Env: f.env, RealClock: f.realClock}
}

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("run", stderr)
	fs.Usage = func() { fmt.Fprint(stderr, runUsage); fs.PrintDefaults() }
	var f serverFlags
	f.register(fs)
	files, _, err := parseArgs(fs, args)
	if err != nil {
		return flagError(stderr, fs, err)
	}
	f.startGCFloor()
	if len(files) != 1 {
		fmt.Fprintf(stderr, "civetbox run: want exactly one module, got %d\n\n%s", len(files), runUsage)
		return exitUsage
	}
	wasm, err := os.ReadFile(files[0])
	if err != nil {
		fmt.Fprintf(stderr, "civetbox run: %v\n", err)
		return exitError
	}
	mods := []namedModule{{name: filepath.Base(files[0]), wasm: wasm}}
	return serve(ctx, f, mods, stdout, stderr)
}

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("serve", stderr)
	fs.Usage = func() { fmt.Fprint(stderr, serveUsage); fs.PrintDefaults() }
	var f serverFlags
	f.register(fs)
	configFile := fs.String("config", "", "serve the tenants of this TOML configuration file instead of the bundled examples")
	rest, _, err := parseArgs(fs, args)
	if err != nil {
		return flagError(stderr, fs, err)
	}
	if len(rest) > 0 {
		fmt.Fprintf(stderr, "civetbox serve: unexpected argument %q (a configuration file goes with --config)\n", rest[0])
		return exitUsage
	}
	f.startGCFloor()
	if *configFile != "" {
		return serveConfig(ctx, *configFile, f.cacheDir, stdout, stderr)
	}
	var mods []namedModule
	for _, ex := range examples.All() {
		mods = append(mods, namedModule{name: ex.Name, wasm: ex.Wasm})
	}
	return serve(ctx, f, mods, stdout, stderr)
}

type namedModule struct {
	name string
	wasm []byte
}

// serve loads the modules and serves them until ctx is done.
func serve(ctx context.Context, f serverFlags, mods []namedModule, stdout, stderr io.Writer) int {
	log := slog.New(slog.NewTextHandler(stderr, nil))
	if f.memoryMiB == 0 || f.memoryMiB > 4096 {
		fmt.Fprintf(stderr, "civetbox: --memory-mib %d is outside 1-4096\n", f.memoryMiB)
		return exitUsage
	}
	if f.maxBody < 0 || f.maxBody > 1<<20 {
		fmt.Fprintf(stderr, "civetbox: --max-body-mib %d is outside 0-1048576\n", f.maxBody)
		return exitUsage
	}
	eng, err := newEngine(ctx, f.engine, engine.Config{Hosts: hostfuncs.Modules(), CacheDir: f.cacheDir,
		MemoryLimitPages: uint32(f.memoryMiB) * 16, DisablePreemption: f.noPreemption})
	if err != nil {
		fmt.Fprintf(stderr, "civetbox: %v\n", err)
		return exitError
	}
	defer eng.Close(context.Background())
	set, err := loadModules(ctx, eng, f, mods, log)
	if err != nil {
		fmt.Fprintf(stderr, "civetbox: %v\n", err)
		return exitError
	}
	defer set.Close(context.Background())
	ln, err := net.Listen("tcp", f.listen)
	if err != nil {
		fmt.Fprintf(stderr, "civetbox: %v\n", err)
		return exitError
	}
	for _, h := range set {
		fmt.Fprintf(stdout, "civetbox: module %s routes %s\n", h.Name(), strings.Join(h.Routes(), " "))
	}
	fmt.Fprintf(stdout, "civetbox: listening on http://%s\n", ln.Addr())
	return listenAndServe(ctx, ln, set, stderr)
}

func loadModules(ctx context.Context, eng engine.Engine, f serverFlags, mods []namedModule, log *slog.Logger) (runtime.Set, error) {
	var set runtime.Set
	for _, m := range mods {
		h, err := runtime.Load(ctx, eng, m.wasm, f.moduleConfig(m.name, log))
		if err != nil {
			_ = set.Close(ctx)
			return nil, err
		}
		set = append(set, h)
	}
	return set, nil
}

// listenAndServe serves until ctx is done, then lets in-flight requests
// finish for up to shutdownGrace.
func listenAndServe(ctx context.Context, ln net.Listener, h http.Handler, stderr io.Writer) int {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       60 * time.Second,
		ErrorLog:          slog.NewLogLogger(slog.NewTextHandler(stderr, nil).WithAttrs([]slog.Attr{slog.String("source", "http")}), slog.LevelWarn),
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		fmt.Fprintf(stderr, "civetbox: %v\n", err)
		return exitError
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		fmt.Fprintf(stderr, "civetbox: shutdown: %v\n", err)
	}
	return exitOK
}

func defaultCacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "civetbox", "compiled")
}
