package admin

import (
	"cmp"
	"encoding/json"
	"io"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/civetbox/civetbox/config"
	"github.com/civetbox/civetbox/deploy/api"
	"github.com/civetbox/civetbox/deploy/store"
	"github.com/civetbox/civetbox/server"
)

func (a *API) listRoutes(w http.ResponseWriter, r *http.Request, _ caller) {
	tenant := r.PathValue("tenant")
	tc := a.tenantConfig(tenant)
	list := api.RouteList{Hosts: orEmpty(tc.Hosts), Mounts: mountsOf(tc.Mounts)}
	a.opts.Live.View(func(_ *config.Config, b *server.Built) {
		lt := b.Tenant(tenant)
		if lt == nil {
			return
		}
		for _, bd := range lt.Bindings() {
			list.Routes = append(list.Routes, api.Route{Host: bd.Host, Prefix: bd.Prefix, Module: bd.Module, Source: api.RouteBinding})
		}
		for _, s := range lt.Served() {
			for _, uri := range s.Handler.Routes() {
				list.Routes = append(list.Routes, api.Route{Prefix: uri, Module: s.Handler.Name(), Source: api.RouteModule})
			}
		}
	})
	if list.Routes == nil {
		list.Routes = []api.Route{}
	}
	writeJSON(w, http.StatusOK, list)
}

// mountsOf shows the mount that takes every path ("") as "/".
func mountsOf(mounts []string) []string {
	out := []string{}
	for _, m := range mounts {
		out = append(out, cmp.Or(m, "/"))
	}
	return out
}

func (a *API) bindRoute(w http.ResponseWriter, r *http.Request, c caller) {
	tenant := r.PathValue("tenant")
	b, err := a.readBinding(r, tenant)
	if err == nil {
		err = a.changeRoutes(r, tenant, func(d *server.Deployment) {
			d.Routes = slices.DeleteFunc(d.Routes, func(x server.Binding) bool { return x.Host == b.Host && x.Prefix == b.Prefix })
			d.Routes = append(d.Routes, b)
		}, func() error {
			return a.opts.Store.Bind(tenant, store.Route{Host: b.Host, Prefix: b.Prefix, Module: b.Module})
		})
	}
	a.audit(r, c, change{action: "bind " + b.Host + b.Prefix, tenant: tenant, module: b.Module}, err)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.listRoutes(w, r, c)
}

func (a *API) unbindRoute(w http.ResponseWriter, r *http.Request, c caller) {
	tenant := r.PathValue("tenant")
	host, prefix := strings.ToLower(r.URL.Query().Get("host")), r.URL.Query().Get("prefix")
	err := a.changeRoutes(r, tenant, func(d *server.Deployment) {
		d.Routes = slices.DeleteFunc(d.Routes, func(x server.Binding) bool { return x.Host == host && x.Prefix == prefix })
	}, func() error { return a.opts.Store.Unbind(tenant, host, prefix) })
	a.audit(r, c, change{action: "unbind " + host + prefix, tenant: tenant}, err)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) changeRoutes(r *http.Request, tenant string, edit func(d *server.Deployment), persist func() error) error {
	if a.opts.Store == nil {
		return errNoStore
	}
	return a.deploy(r.Context(), tenant, func(d *server.Deployment) error {
		edit(d)
		return nil
	}, persist)
}

// readBinding decodes and checks a binding: a clean path prefix, a host
// that is the tenant's (a tenant cannot claim another's host names), a
// module the tenant serves.
func (a *API) readBinding(r *http.Request, tenant string) (server.Binding, error) {
	var in api.Route
	dec := json.NewDecoder(io.LimitReader(r.Body, 64<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return server.Binding{}, failf(http.StatusBadRequest, api.CodeBadRequest, `the body must be a route like {"prefix": "/api", "module": "hello"}: `+err.Error())
	}
	b := server.Binding{Host: strings.ToLower(in.Host), Prefix: in.Prefix, Module: in.Module}
	if err := checkPrefix(b.Prefix); err != nil {
		return b, err
	}
	hosts := a.tenantConfig(tenant).Hosts
	if b.Host != "" && !slices.Contains(hosts, b.Host) {
		return b, failf(http.StatusBadRequest, api.CodeBadRequest, "host "+strconv.Quote(b.Host)+
			" is not one of tenant "+strconv.Quote(tenant)+"'s host names ("+strings.Join(hosts, ", ")+")")
	}
	if servedHandler(a.served(tenant), b.Module) == nil {
		return b, noModule(tenant, b.Module)
	}
	return b, nil
}

// checkPrefix accepts "/" and clean absolute paths without a trailing
// slash, as matched against the decoded, cleaned local_uri.
func checkPrefix(p string) error {
	bad := func(why string) error {
		return failf(http.StatusBadRequest, api.CodeBadRequest, "prefix "+strconv.Quote(p)+" "+why)
	}
	switch {
	case p == "/":
		return nil
	case !strings.HasPrefix(p, "/"):
		return bad(`must start with "/"`)
	case path.Clean(p) != p:
		return bad(`must be a clean path (no "//", "." or ".." segments, no trailing "/")`)
	case strings.ContainsAny(p, "?#%\\\x00"):
		return bad("must not hold ?, #, %, \\ or NUL (it is matched against the decoded path)")
	}
	return nil
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
