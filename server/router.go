// Package server puts many tenants behind one HTTP handler: it picks a
// request's tenant by host name or path mount, enforces the tenant's
// request-level limits, and hands the request to the tenant's modules.
package server

import (
	"net"
	"net/http"
	"sort"
	"strings"

	"github.com/civetbox/civetbox/hostfuncs"
	"github.com/civetbox/civetbox/internal/reqinfo"
	"github.com/civetbox/civetbox/runtime"
)

// Tenant is what the router needs of one tenant.
type Tenant struct {
	Name string
	// Hosts are lower-case host names without port.
	Hosts []string
	// Mounts are path prefixes without a trailing slash ("" takes every
	// path).
	Mounts []string
	// Handler serves the tenant's requests, mount prefix removed.
	Handler http.Handler
}

// Router routes requests to tenants: a request whose Host names a tenant
// goes to it; any other goes to the tenant with the longest mount that is
// a prefix of its path (decoded and cleaned as CivetWeb's local_uri, so
// "/demo/../x" is not under "/demo"), with the prefix removed. Anything
// else gets CivetWeb's 404 page.
type Router struct {
	byHost map[string]*Tenant
	mounts []mount // longest prefix first
}

type mount struct {
	prefix string
	tenant *Tenant
}

var _ http.Handler = (*Router)(nil)

// NewRouter builds a router over tenants; host names and mounts must be
// unique (config.Load checks them).
func NewRouter(tenants []Tenant) *Router {
	rt := &Router{byHost: map[string]*Tenant{}}
	for i := range tenants {
		t := &tenants[i]
		for _, h := range t.Hosts {
			rt.byHost[h] = t
		}
		for _, m := range t.Mounts {
			rt.mounts = append(rt.mounts, mount{prefix: m, tenant: t})
		}
	}
	sort.SliceStable(rt.mounts, func(i, j int) bool { return len(rt.mounts[i].prefix) > len(rt.mounts[j].prefix) })
	return rt
}

func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if t, ok := rt.byHost[hostName(r.Host)]; ok {
		t.Handler.ServeHTTP(w, r)
		return
	}
	var info hostfuncs.RequestInfo
	if err := reqinfo.FillTarget(&info, r); err == nil && info.HasLocalURI {
		for _, m := range rt.mounts {
			if rest, ok := underMount(info.LocalURI, m.prefix); ok {
				m.tenant.Handler.ServeHTTP(w, withPath(r, rest, &info))
				return
			}
		}
	}
	runtime.SendError(w, r, http.StatusNotFound, "Not Found")
}

// hostName is the Host header without port, lower-cased, without a
// trailing dot.
func hostName(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return strings.TrimSuffix(strings.ToLower(host), ".")
}

// underMount reports whether path is prefix or below it, and returns the
// rest ("/" for the mount itself).
func underMount(path, prefix string) (string, bool) {
	rest, ok := strings.CutPrefix(path, prefix)
	switch {
	case !ok:
		return "", false
	case rest == "":
		return "/", true
	case rest[0] == '/':
		return rest, true
	}
	return "", false // "/demox" is not under "/demo"
}

// withPath returns a shallow copy of r whose target is path (decoded and
// cleaned) with r's query, so the tenant's modules see local_uri and
// request_uri without the mount.
func withPath(r *http.Request, path string, info *hostfuncs.RequestInfo) *http.Request {
	r2 := r.WithContext(r.Context())
	u := *r.URL
	u.Path, u.RawPath = path, ""
	r2.URL = &u
	r2.RequestURI = escapePath(path)
	if info.HasQuery {
		r2.RequestURI += "?" + info.QueryString
	}
	return r2
}

// escapePath percent-encodes what decoding the target would change or
// misread, so that the module's decoding gives back exactly path.
func escapePath(path string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(path); i++ {
		c := path[i]
		if c == '%' || c == '?' || c == '#' || c == '+' || c <= ' ' || c >= 0x7f {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
