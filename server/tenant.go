package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"

	"github.com/civetbox/civetbox/config"
	"github.com/civetbox/civetbox/runtime"
	"github.com/civetbox/civetbox/runtime/engine"
)

// LoadedTenant is one tenant's modules and limiter. What it serves is a
// generation: deploys replace it while requests that started on the old
// one finish there.
type LoadedTenant struct {
	Name    string
	Limiter *Limiter

	loader     moduleLoader
	configured []*loadedModule // the configuration file's, in every generation
	serving    *Swappable
	drains     *sync.WaitGroup // the Built's: replaced generations still serving

	mu  sync.Mutex // orders deploys; guards cur
	cur *generation
}

// moduleLoader is what starting one of a tenant's modules needs.
type moduleLoader struct {
	eng    engine.Engine
	tenant config.Tenant
	limits config.Effective
	opts   Options
	log    *slog.Logger
}

// Modules returns the modules the tenant serves now: the configuration
// file's, then deployed ones by name.
func (t *LoadedTenant) Modules() runtime.Set {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.cur.set
}

// Bindings returns the routes bound to the tenant's modules now.
func (t *LoadedTenant) Bindings() []Binding {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]Binding, len(t.cur.binds))
	for i, b := range t.cur.binds {
		out[i] = b.Binding
	}
	return out
}

// Served is one module a tenant serves.
type Served struct {
	Handler *runtime.Handler
	// SHA256 and Version are a deployed module's; "" and 0 for the
	// configuration file's.
	SHA256  string
	Version int
}

// Served returns the modules the tenant serves now, as Modules.
func (t *LoadedTenant) Served() []Served {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]Served, len(t.cur.modules))
	for i, m := range t.cur.modules {
		out[i] = Served{Handler: m.h, SHA256: m.sha256, Version: m.version}
	}
	return out
}

// Engine is the engine the tenant's modules run on, for checking an
// upload before it is deployed.
func (t *LoadedTenant) Engine() engine.Engine { return t.loader.eng }

// MemoryMiB is the tenant's memory limit per instance.
func (t *LoadedTenant) MemoryMiB() int { return t.loader.limits.MemoryMiB }

// Deploy makes the tenant serve its configuration's modules plus d. The
// modules d adds are started first; if one fails nothing changes and the
// error is a *DeployError. Then persist records the change (a failure
// undoes it) and new requests go to the new generation, while requests
// in flight finish on the old one, whose modules that d dropped are closed
// once they have.
func (t *LoadedTenant) Deploy(ctx context.Context, d Deployment, persist func() error) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	g, err := t.prepare(ctx, d, true)
	if err != nil {
		return err
	}
	if err := persist(); err != nil {
		g.release()
		return err
	}
	old := t.cur
	t.cur = g
	waitOld := t.serving.Swap(g)
	t.drains.Add(1)
	go func() {
		defer t.drains.Done()
		waitOld()
		old.release()
	}()
	return nil
}

// loadConfigured starts the modules of the configuration file.
func (t *LoadedTenant) loadConfigured(ctx context.Context) error {
	for _, m := range t.loader.tenant.Modules {
		wasm, err := os.ReadFile(m.Path)
		if err == nil {
			var lm *loadedModule
			if lm, err = t.loader.load(ctx, m, wasm); err == nil {
				lm.refs.Add(1) // the tenant's own reference, dropped by releaseConfigured
				t.configured = append(t.configured, lm)
				continue
			}
		}
		t.releaseConfigured()
		return err
	}
	return nil
}

func (t *LoadedTenant) releaseConfigured() {
	for _, m := range t.configured {
		m.unref()
	}
}

// prepare starts what d needs that the current generation does not serve
// and returns the generation that serves it. With strict, any module or
// binding that cannot be served is an error; without, it is logged and
// left out (a restart must not fail for one tenant's deployment).
func (t *LoadedTenant) prepare(ctx context.Context, d Deployment, strict bool) (*generation, error) {
	mods := append([]*loadedModule(nil), t.configured...)
	var started []*loadedModule
	fail := func(err error) (*generation, error) {
		for _, m := range started {
			m.release(m.h)
		}
		return nil, err
	}
	for _, dm := range d.Modules {
		m, isNew, err := t.deployedModule(ctx, dm)
		if err != nil {
			if strict {
				return fail(err)
			}
			t.skipped(dm.Name, err)
			continue
		}
		if isNew {
			started = append(started, m)
		}
		mods = append(mods, m)
	}
	var binds []boundRoute
	for _, b := range d.Routes {
		m := findModule(mods, b.Module)
		if m == nil {
			err := &DeployError{Tenant: t.Name, Module: b.Module,
				Err: fmt.Errorf("route %s%s is bound to it, but the tenant has no such module", b.Host, b.Prefix)}
			if strict {
				return fail(err)
			}
			t.skipped(b.Module, err)
			continue
		}
		binds = append(binds, boundRoute{Binding: b, h: m.h})
	}
	return newGeneration(mods, binds), nil
}

func findModule(mods []*loadedModule, name string) *loadedModule {
	for _, m := range mods {
		if m.h.Name() == name {
			return m
		}
	}
	return nil
}

// deployedModule returns dm loaded: the current generation's if it serves
// that very version, else newly started.
func (t *LoadedTenant) deployedModule(ctx context.Context, dm Deployed) (*loadedModule, bool, error) {
	fail := func(err error) (*loadedModule, bool, error) {
		return nil, false, &DeployError{Tenant: t.Name, Module: dm.Name, Err: err}
	}
	if findModule(t.configured, dm.Name) != nil {
		return fail(errors.New("the configuration file already has a module of that name"))
	}
	if t.cur != nil {
		if m := findModule(t.cur.modules, dm.Name); m != nil && m.sha256 == dm.SHA256 {
			return m, false, nil
		}
	}
	wasm, err := dm.Wasm()
	if err != nil {
		return fail(err)
	}
	m, err := t.loader.load(ctx, config.Module{Name: dm.Name}, wasm)
	if err != nil {
		return fail(err)
	}
	m.sha256, m.version = dm.SHA256, dm.Version
	return m, true, nil
}

func (t *LoadedTenant) skipped(module string, err error) {
	t.loader.log.Error("deployed module left out", "module", module, "error", err)
	t.loader.opts.Recent.add(t.Name, module, "left out at start: "+err.Error())
}

// load starts module m of the tenant from wasm.
func (l moduleLoader) load(ctx context.Context, m config.Module, wasm []byte) (*loadedModule, error) {
	cfg := moduleConfig(l.tenant, m, l.limits, l.log)
	cfg.Observer = l.opts.Metrics.module(l.tenant.Name, m.Name)
	h, err := runtime.Load(ctx, l.eng, wasm, cfg)
	if err != nil {
		return nil, err
	}
	l.opts.Metrics.watch(l.tenant.Name, h)
	metrics, log := l.opts.Metrics, l.log
	return &loadedModule{h: h, release: func(h *runtime.Handler) {
		metrics.unwatch(h)
		if err := h.Close(context.Background()); err != nil {
			log.Warn("closing a module", "module", h.Name(), "error", err)
		}
	}}, nil
}
