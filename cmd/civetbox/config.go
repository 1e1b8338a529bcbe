package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/civetbox/civetbox/config"
	"github.com/civetbox/civetbox/server"
)

const checkConfigUsage = `usage: civetbox check-config FILE

Validates a configuration file (syntax, keys, limits, paths; modules are
compiled and started as "serve" would) without serving anything.
`

func cmdCheckConfig(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("check-config", stderr)
	fs.Usage = func() { fmt.Fprint(stderr, checkConfigUsage); fs.PrintDefaults() }
	cacheDir := fs.String("cache-dir", defaultCacheDir(), `compiled-code cache directory ("" disables it)`)
	files, _, err := parseArgs(fs, args)
	if err != nil {
		return flagError(stderr, fs, err)
	}
	if len(files) != 1 {
		fmt.Fprintf(stderr, "civetbox check-config: want exactly one file, got %d\n\n%s", len(files), checkConfigUsage)
		return exitUsage
	}
	opts := server.Options{CacheDir: *cacheDir, Logger: slog.New(slog.DiscardHandler)}
	cfg, built, code := loadConfig(ctx, files[0], opts, stderr)
	if code != exitOK {
		return code
	}
	defer built.Close(context.Background())
	fmt.Fprintf(stdout, "%s: ok, %d tenants\n", files[0], len(cfg.Tenants))
	for _, t := range built.Tenants {
		fmt.Fprintf(stdout, "  tenant %s:%s\n", t.Name, moduleRoutes(t))
	}
	return exitOK
}

// loadConfig loads a configuration file and builds its tenants.
func loadConfig(ctx context.Context, file string, opts server.Options, stderr io.Writer) (*config.Config, *server.Built, int) {
	cfg, err := config.Load(file)
	if err != nil {
		fmt.Fprintf(stderr, "civetbox: %v\n", err)
		return nil, nil, exitError
	}
	built, code := buildConfig(ctx, file, cfg, opts, stderr)
	return cfg, built, code
}

// buildConfig builds a loaded configuration's tenants.
func buildConfig(ctx context.Context, file string, cfg *config.Config, opts server.Options, stderr io.Writer) (*server.Built, int) {
	opts.NewEngine = newEngine
	built, err := server.Build(ctx, cfg, opts)
	if err != nil {
		fmt.Fprintf(stderr, "civetbox: %s: %v\n", file, err)
		return nil, exitError
	}
	return built, exitOK
}

func moduleRoutes(t *server.LoadedTenant) string {
	var b strings.Builder
	for _, h := range t.Modules() {
		fmt.Fprintf(&b, " %s (%s)", h.Name(), strings.Join(h.Routes(), " "))
	}
	return b.String()
}

// serveConfig serves a configuration file's tenants until ctx is done,
// reloading the file on SIGHUP, with the admin API on the admin listener.
func serveConfig(ctx context.Context, file, cacheDir string, stdout, stderr io.Writer) int {
	log := slog.New(slog.NewTextHandler(stderr, nil))
	cfg, err := config.Load(file)
	if err != nil {
		fmt.Fprintf(stderr, "civetbox: %v\n", err)
		return exitError
	}
	access, closeAccess, err := openAccessLog(cfg.Log.Access, stdout, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "civetbox: %v\n", err)
		return exitError
	}
	defer closeAccess()
	dep, err := openDeploys(cfg, cacheDir, stdout, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "civetbox: %v\n", err)
		return exitError
	}
	defer dep.close()
	metrics := server.NewMetrics()
	opts := dep.options(server.Options{NewEngine: newEngine, CacheDir: cacheDir, Logger: log, Metrics: metrics, AccessLog: access})
	built, code := buildConfig(ctx, file, cfg, opts, stderr)
	if code != exitOK {
		return code
	}
	live := server.NewLive(cfg, built)
	defer live.Close()
	warnClearTextAdmin(cfg, log)
	lns, err := server.Listen(cfg, live, dep.adminHandler(cfg, live, metrics, log), built.MaxHeaderBytes, log)
	if err != nil {
		fmt.Fprintf(stderr, "civetbox: %v\n", err)
		return exitError
	}
	r := &reloader{file: file, opts: opts, live: live, log: log, stdout: stdout}
	r.printTenants("tenant")
	for _, l := range lns {
		fmt.Fprintf(stdout, "civetbox: listening on %s (%s)\n", l.URL(), l.Kind)
	}
	stopWatching := r.watch(ctx)
	defer stopWatching()
	if err := server.Serve(ctx, lns, shutdownGrace); err != nil {
		fmt.Fprintf(stderr, "civetbox: %v\n", err)
		return exitError
	}
	return exitOK
}

// openAccessLog returns the access logger for dest (see config.Log.Access),
// nil for "off", and what closes its file.
func openAccessLog(dest string, stdout, stderr io.Writer) (*slog.Logger, func(), error) {
	if dest == config.AccessOff {
		return nil, func() {}, nil
	}
	return openLog("access log", dest, stdout, stderr)
}
