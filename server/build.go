package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"os"
	"slices"

	"github.com/civetbox/civetbox/config"
	"github.com/civetbox/civetbox/hostfuncs"
	"github.com/civetbox/civetbox/runtime"
	"github.com/civetbox/civetbox/runtime/engine"
)

// NewEngine starts the named engine with cfg (the command knows which
// engines are compiled in).
type NewEngine func(ctx context.Context, name string, cfg engine.Config) (engine.Engine, error)

// Options are what Build needs besides the configuration.
type Options struct {
	NewEngine NewEngine
	// CacheDir is the engines' compiled-code cache; "" disables it.
	CacheDir string
	Logger   *slog.Logger
	// Metrics, if not nil, count every request and module.
	Metrics *Metrics
	// AccessLog, if not nil, gets a line per request.
	AccessLog *slog.Logger
}

// Built is a configuration loaded and ready to serve: every tenant's
// modules compiled and started.
type Built struct {
	Handler http.Handler
	Tenants []*LoadedTenant
	// MaxHeaderBytes is the largest head any tenant accepts, for the
	// http.Server; each tenant checks its own.
	MaxHeaderBytes int
	engines        map[engineKey]engine.Engine
	metrics        *Metrics // stops watching the modules on Close
}

// LoadedTenant is one tenant's modules and limiter.
type LoadedTenant struct {
	Name    string
	Modules runtime.Set
	Limiter *Limiter
}

// engineKey identifies an engine instance: engines are shared by tenants
// that use the same kind with the same memory limit.
type engineKey struct {
	name      string
	memoryMiB int
}

// Build loads every tenant of cfg. On error nothing stays open.
func Build(ctx context.Context, cfg *config.Config, opts Options) (_ *Built, err error) {
	b := &Built{engines: map[engineKey]engine.Engine{}, metrics: opts.Metrics}
	defer func() {
		if err != nil {
			_ = b.Close(context.Background())
		}
	}()
	var routes []Tenant
	for _, t := range cfg.Tenants {
		limits := cfg.Effective(t)
		log := opts.Logger.With("tenant", t.Name)
		opts.Metrics.tenant(t.Name)
		set, err := b.loadTenant(ctx, t, limits, opts, log)
		if err != nil {
			return nil, fmt.Errorf("tenant %q: %w", t.Name, err)
		}
		limiter := NewLimiter(set, limits.MaxConcurrent, limits.Queue, limits.QueueTimeout, log)
		b.Tenants = append(b.Tenants, &LoadedTenant{Name: t.Name, Modules: set, Limiter: limiter})
		routes = append(routes, Tenant{Name: t.Name, Hosts: t.Hosts, Mounts: t.Mounts,
			Handler: tagTenant(t.Name, limitHead(limiter, limits.MaxHeaderKiB<<10, log))})
		b.MaxHeaderBytes = max(b.MaxHeaderBytes, limits.MaxHeaderKiB<<10)
	}
	b.Handler = observe(NewRouter(routes), opts.Metrics, opts.AccessLog)
	return b, nil
}

func (b *Built) loadTenant(ctx context.Context, t config.Tenant, limits config.Effective, opts Options, log *slog.Logger) (runtime.Set, error) {
	eng, err := b.engine(ctx, t.Engine, limits.MemoryMiB, opts)
	if err != nil {
		return nil, err
	}
	var set runtime.Set
	for _, m := range t.Modules {
		wasm, err := os.ReadFile(m.Path)
		if err != nil {
			_ = set.Close(ctx)
			return nil, err
		}
		mcfg := moduleConfig(t, m, limits, log)
		mcfg.Observer = opts.Metrics.module(t.Name, m.Name)
		h, err := runtime.Load(ctx, eng, wasm, mcfg)
		if err != nil {
			_ = set.Close(ctx)
			return nil, err
		}
		opts.Metrics.watch(t.Name, h)
		set = append(set, h)
	}
	return set, nil
}

// moduleConfig is the runtime configuration of one module of t.
func moduleConfig(t config.Tenant, m config.Module, limits config.Effective, log *slog.Logger) runtime.Config {
	maxBody := int64(limits.MaxBodyMiB) << 20
	if maxBody == 0 {
		maxBody = -1 // no limit
	}
	return runtime.Config{
		Name: m.Name, Mode: runtime.Mode(t.Mode), PoolSize: t.PoolSize,
		RequestTimeout: limits.Timeout, GuestOutputLimit: limits.GuestLogKiB << 10, MaxRequestBody: maxBody,
		DocumentRoot: m.DocumentRoot, UploadDir: m.UploadDir, Logger: log,
		Env: environ(t.Env), RealClock: t.RealClock,
	}
}

// environ turns a tenant's env table into "NAME=value" entries, sorted so
// every instance and every run sees the same order.
func environ(env map[string]string) []string {
	var out []string
	for _, name := range slices.Sorted(maps.Keys(env)) {
		out = append(out, name+"="+env[name])
	}
	return out
}

// engine returns the shared engine for name and memory limit, starting it
// on first use.
func (b *Built) engine(ctx context.Context, name string, memoryMiB int, opts Options) (engine.Engine, error) {
	key := engineKey{name, memoryMiB}
	if eng, ok := b.engines[key]; ok {
		return eng, nil
	}
	eng, err := opts.NewEngine(ctx, name, engine.Config{
		Hosts: hostfuncs.Modules(), CacheDir: opts.CacheDir, MemoryLimitPages: uint32(memoryMiB) * 16,
	})
	if err != nil {
		return nil, err
	}
	b.engines[key] = eng
	return eng, nil
}

// Close closes every tenant's modules, then the engines.
func (b *Built) Close(ctx context.Context) error {
	var errs []error
	for _, t := range b.Tenants {
		errs = append(errs, t.Modules.Close(ctx))
		for _, h := range t.Modules {
			b.metrics.unwatch(h)
		}
	}
	for _, eng := range b.engines {
		errs = append(errs, eng.Close(ctx))
	}
	return errors.Join(errs...)
}
