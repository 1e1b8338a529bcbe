package admin

import (
	"net/http"
	"strconv"
	"time"

	"github.com/civetbox/civetbox/config"
	"github.com/civetbox/civetbox/deploy/api"
	"github.com/civetbox/civetbox/deploy/store"
	"github.com/civetbox/civetbox/runtime"
	"github.com/civetbox/civetbox/server"
)

func (a *API) listModules(w http.ResponseWriter, r *http.Request, _ caller) {
	writeJSON(w, http.StatusOK, api.ModuleList{Modules: a.modules(r.PathValue("tenant"))})
}

// modules are the tenant's configuration modules, then its stored ones.
func (a *API) modules(tenant string) []api.Module {
	var out []api.Module
	served := a.served(tenant)
	for _, name := range a.configModules(tenant) {
		out = append(out, api.Module{Name: name, Source: api.SourceConfig, Versions: []api.Version{}, Routes: routesOf(served, name)})
	}
	if a.opts.Store == nil {
		return out
	}
	for _, m := range a.opts.Store.Modules(tenant) {
		out = append(out, moduleJSON(m, served))
	}
	return out
}

func (a *API) showModule(w http.ResponseWriter, r *http.Request, _ caller) {
	tenant, module := r.PathValue("tenant"), r.PathValue("module")
	for _, m := range a.modules(tenant) {
		if m.Name == module {
			writeJSON(w, http.StatusOK, m)
			return
		}
	}
	a.fail(w, r, noModule(tenant, module))
}

func noModule(tenant, module string) error {
	return failf(http.StatusNotFound, api.CodeNotFound, "tenant "+strconv.Quote(tenant)+" has no module "+strconv.Quote(module))
}

func (a *API) showVersion(w http.ResponseWriter, r *http.Request, _ caller) {
	tenant, module := r.PathValue("tenant"), r.PathValue("module")
	n, err := versionParam(r)
	if err == nil && a.opts.Store == nil {
		err = noModule(tenant, module)
	}
	var v store.VersionInfo
	if err == nil {
		v, err = a.opts.Store.Version(tenant, module, n)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a.versionJSON(tenant, module, v))
}

func (a *API) versionJSON(tenant, module string, v store.VersionInfo) api.Version {
	active := false
	if m, err := a.opts.Store.Module(tenant, module); err == nil {
		active = m.Active == v.Version
	}
	return v.API(active)
}

func moduleJSON(m store.Module, served []server.Served) api.Module {
	out := m.API()
	out.Routes = routesOf(served, m.Name)
	return out
}

// served is what the tenant serves now (nil if it is gone).
func (a *API) served(tenant string) (out []server.Served) {
	a.opts.Live.View(func(_ *config.Config, b *server.Built) {
		if t := b.Tenant(tenant); t != nil {
			out = t.Served()
		}
	})
	return out
}

// tenantConfig is tenant's section of the configuration being served
// (zero if a reload removed it).
func (a *API) tenantConfig(tenant string) (out config.Tenant) {
	a.opts.Live.View(func(cfg *config.Config, _ *server.Built) {
		for _, t := range cfg.Tenants {
			if t.Name == tenant {
				out = t
			}
		}
	})
	return out
}

func (a *API) configModules(tenant string) (names []string) {
	for _, m := range a.tenantConfig(tenant).Modules {
		names = append(names, m.Name)
	}
	return names
}

// servedHandler is module's handler among served, or nil.
func servedHandler(served []server.Served, module string) *runtime.Handler {
	for _, s := range served {
		if s.Handler.Name() == module {
			return s.Handler
		}
	}
	return nil
}

// routesOf is what module registered, if the tenant serves it.
func routesOf(served []server.Served, module string) []string {
	if h := servedHandler(served, module); h != nil {
		return h.Routes()
	}
	return nil
}

func (a *API) status(w http.ResponseWriter, _ *http.Request, c caller) {
	st := api.Status{Version: a.opts.Version, UptimeSeconds: time.Since(a.start).Seconds(), Tenants: []api.TenantStatus{}}
	var names []string
	a.opts.Live.View(func(cfg *config.Config, _ *server.Built) {
		for _, t := range cfg.Tenants {
			if c.mayChange(t.Name) {
				names = append(names, t.Name)
			}
		}
	})
	for _, name := range names {
		st.Tenants = append(st.Tenants, a.tenantStatus(name))
	}
	writeJSON(w, http.StatusOK, st)
}

func (a *API) tenantStatus(tenant string) api.TenantStatus {
	ts := api.TenantStatus{Name: tenant, Modules: []api.ModuleStatus{}, RecentErrors: []api.RecentError{}}
	for _, s := range a.served(tenant) {
		ms := api.ModuleStatus{Name: s.Handler.Name(), Source: api.SourceConfig, LiveInstances: s.Handler.LiveInstances()}
		if s.SHA256 != "" {
			ms.Source, ms.ActiveVersion, ms.SHA256 = api.SourceStore, s.Version, s.SHA256
			if m, err := a.opts.Store.Module(tenant, ms.Name); err == nil {
				ms.Versions = len(m.Versions)
			}
		}
		ts.Modules = append(ts.Modules, ms)
	}
	for _, e := range a.opts.Recent.Of(tenant) {
		ts.RecentErrors = append(ts.RecentErrors, api.RecentError{Time: e.Time, Module: e.Module, Message: e.Message})
	}
	return ts
}
