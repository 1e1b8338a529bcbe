package server

import (
	"net/http"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/civetbox/civetbox/hostfuncs"
	"github.com/civetbox/civetbox/internal/reqinfo"
	"github.com/civetbox/civetbox/runtime"
)

// loadedModule is a started module shared by the tenant generations that
// serve it; the last generation to let go closes it.
type loadedModule struct {
	h       *runtime.Handler
	sha256  string // "" for a module of the configuration file
	version int
	refs    atomic.Int32
	release func(*runtime.Handler) // closes h and forgets its metrics
}

func (m *loadedModule) unref() {
	if m.refs.Add(-1) == 0 {
		m.release(m.h)
	}
}

// generation is what a tenant serves between two deploys: its modules
// (configuration file first, in file order, then deployed ones by name)
// and the bindings made through the admin API.
type generation struct {
	modules []*loadedModule
	set     runtime.Set
	binds   []boundRoute // longest prefix first, host-specific first
}

type boundRoute struct {
	Binding
	h *runtime.Handler
}

// newGeneration takes a reference on every module.
func newGeneration(modules []*loadedModule, binds []boundRoute) *generation {
	g := &generation{modules: modules, binds: binds}
	for _, m := range modules {
		m.refs.Add(1)
		g.set = append(g.set, m.h)
	}
	sort.SliceStable(g.binds, func(i, j int) bool {
		a, b := g.binds[i], g.binds[j]
		if len(a.Prefix) != len(b.Prefix) {
			return len(a.Prefix) > len(b.Prefix)
		}
		return a.Host != "" && b.Host == ""
	})
	return g
}

// release drops the generation's references.
func (g *generation) release() {
	for _, m := range g.modules {
		m.unref()
	}
}

func (g *generation) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if len(g.binds) > 0 {
		var info hostfuncs.RequestInfo
		if err := reqinfo.FillTarget(&info, r); err == nil && info.HasLocalURI {
			host := hostName(r.Host)
			for _, b := range g.binds {
				if b.Host != "" && b.Host != host {
					continue
				}
				if rest, ok := underBinding(info.LocalURI, b.Prefix); ok {
					b.h.ServeHTTP(w, withPath(r, rest, &info))
					return
				}
			}
		}
	}
	g.set.ServeHTTP(w, r)
}

// underBinding is underMount for a binding's prefix, where "/" takes
// every path.
func underBinding(path, prefix string) (string, bool) {
	return underMount(path, strings.TrimSuffix(prefix, "/"))
}
