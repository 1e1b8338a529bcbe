package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"sync"

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
	// Deployments, if not nil, gives each tenant's deployed modules.
	Deployments Deployments
	// Recent, if not nil, keeps each tenant's last errors.
	Recent *Recent
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
	drains         sync.WaitGroup // generations replaced by deploys, still serving
}

// engineKey identifies an engine instance: engines are shared by tenants
// that use the same kind with the same memory limit.
type engineKey struct {
	name      string
	memoryMiB int
}

// Build loads every tenant of cfg, with its deployment if
// opts.Deployments is set. On error nothing stays open.
func Build(ctx context.Context, cfg *config.Config, opts Options) (_ *Built, err error) {
	b := &Built{engines: map[engineKey]engine.Engine{}}
	defer func() {
		if err != nil {
			_ = b.Close(context.Background())
		}
	}()
	var routes []Tenant
	for _, t := range cfg.Tenants {
		limits := cfg.Effective(t)
		lt, err := b.loadTenant(ctx, t, limits, opts)
		if err != nil {
			return nil, fmt.Errorf("tenant %q: %w", t.Name, err)
		}
		b.Tenants = append(b.Tenants, lt)
		routes = append(routes, Tenant{Name: t.Name, Hosts: t.Hosts, Mounts: t.Mounts,
			Handler: tagTenant(t.Name, limitHead(lt.Limiter, limits.MaxHeaderKiB<<10, lt.loader.log))})
		b.MaxHeaderBytes = max(b.MaxHeaderBytes, limits.MaxHeaderKiB<<10)
	}
	b.Handler = observe(NewRouter(routes), opts.Metrics, opts.AccessLog, opts.Recent)
	return b, nil
}

// Tenant returns the loaded tenant called name, or nil.
func (b *Built) Tenant(name string) *LoadedTenant {
	for _, t := range b.Tenants {
		if t.Name == name {
			return t
		}
	}
	return nil
}

func (b *Built) loadTenant(ctx context.Context, t config.Tenant, limits config.Effective, opts Options) (*LoadedTenant, error) {
	log := opts.Logger.With("tenant", t.Name)
	opts.Metrics.tenant(t.Name)
	eng, err := b.engine(ctx, t.Engine, limits.MemoryMiB, opts)
	if err != nil {
		return nil, err
	}
	lt := &LoadedTenant{Name: t.Name, drains: &b.drains,
		loader: moduleLoader{eng: eng, tenant: t, limits: limits, opts: opts, log: log}}
	if err := lt.loadConfigured(ctx); err != nil {
		return nil, err
	}
	var d Deployment
	if opts.Deployments != nil {
		if d, err = opts.Deployments(t.Name); err != nil {
			lt.releaseConfigured()
			return nil, err
		}
	}
	lt.cur, _ = lt.prepare(ctx, d, false) // what does not load is logged and left out
	lt.serving = NewSwappable(lt.cur)
	lt.Limiter = NewLimiter(lt.serving, limits.MaxConcurrent, limits.Queue, limits.QueueTimeout, log)
	return lt, nil
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

// Close closes every tenant's modules, once generations replaced by
// deploys have drained, then the engines.
func (b *Built) Close(ctx context.Context) error {
	b.drains.Wait()
	for _, t := range b.Tenants {
		t.cur.release()
		t.releaseConfigured()
	}
	var errs []error
	for _, eng := range b.engines {
		errs = append(errs, eng.Close(ctx))
	}
	return errors.Join(errs...)
}
