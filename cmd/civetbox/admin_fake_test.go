package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/civetbox/civetbox/deploy/api"
)

// testToken is the token fakeAdmin accepts; tests check it is never echoed.
const testToken = "cbx_fake-admin-token-do-not-print"

// fakeAdmin is enough of the admin API for the commands' tests: one
// store of uploaded modules per tenant, routes, and the errors the real
// server gives. A body starting "bad" fails admission (422).
type fakeAdmin struct {
	mu      sync.Mutex
	modules map[string]*api.Module // by tenant + "/" + name
	routes  []api.Route
	uploads int // bodies received
}

// startFakeAdmin serves a fakeAdmin and points the commands at it.
func startFakeAdmin(t *testing.T) (*fakeAdmin, *httptest.Server) {
	f := &fakeAdmin{modules: map[string]*api.Module{}}
	srv := httptest.NewServer(f.handler())
	t.Cleanup(srv.Close)
	t.Setenv(envAdmin, srv.URL)
	t.Setenv(envToken, testToken)
	return f, srv
}

func (f *fakeAdmin) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/tenants/{t}/modules/{m}", f.upload)
	mux.HandleFunc("GET /v1/tenants/{t}/modules", func(w http.ResponseWriter, r *http.Request) {
		list := api.ModuleList{}
		for key, m := range f.modules {
			if strings.HasPrefix(key, r.PathValue("t")+"/") {
				list.Modules = append(list.Modules, *m)
			}
		}
		slices.SortFunc(list.Modules, func(a, b api.Module) int { return strings.Compare(a.Name, b.Name) })
		reply(w, 200, list)
	})
	mux.HandleFunc("GET /v1/tenants/{t}/modules/{m}", f.withModule(func(m *api.Module, n int) any { return *m }))
	mux.HandleFunc("GET /v1/tenants/{t}/modules/{m}/versions/{n}", f.withModule(func(m *api.Module, n int) any {
		return m.Versions[n-1]
	}))
	mux.HandleFunc("POST /v1/tenants/{t}/modules/{m}/versions/{n}/activate", f.withModule(func(m *api.Module, n int) any {
		activate(m, n)
		return *m
	}))
	mux.HandleFunc("POST /v1/tenants/{t}/modules/{m}/rollback", f.withModule(func(m *api.Module, n int) any {
		if m.Active < 2 {
			return api.Error{Message: "no version before the active one", Code: api.CodeConflict}
		}
		activate(m, m.Active-1)
		return *m
	}))
	mux.HandleFunc("DELETE /v1/tenants/{t}/modules/{m}/versions/{n}", f.withModule(func(m *api.Module, n int) any {
		if m.Active == n {
			return api.Error{Message: "version " + strconv.Itoa(n) + " is active", Code: api.CodeConflict}
		}
		return nil
	}))
	mux.HandleFunc("GET /v1/tenants/{t}/routes", func(w http.ResponseWriter, r *http.Request) {
		reply(w, 200, api.RouteList{Routes: f.routes})
	})
	mux.HandleFunc("POST /v1/tenants/{t}/routes", func(w http.ResponseWriter, r *http.Request) {
		var rt api.Route
		_ = json.NewDecoder(r.Body).Decode(&rt)
		if !strings.HasPrefix(rt.Prefix, "/") {
			reply(w, 400, api.Error{Message: "prefix " + strconv.Quote(rt.Prefix) + " does not start with /", Code: api.CodeBadRequest})
			return
		}
		if f.modules[r.PathValue("t")+"/"+rt.Module] == nil {
			reply(w, 404, api.Error{Message: "no module " + strconv.Quote(rt.Module), Code: api.CodeNotFound})
			return
		}
		rt.Source = api.SourceStore
		f.routes = append(f.routes, rt)
		reply(w, 200, api.RouteList{Routes: f.routes})
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		if r.Header.Get("Authorization") != "Bearer "+testToken {
			reply(w, 401, api.Error{Message: "unknown token", Code: api.CodeUnauthorized})
			return
		}
		mux.ServeHTTP(w, r)
	})
}

func (f *fakeAdmin) upload(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.uploads++
	if len(body) >= 3 && string(body[:3]) == "bad" {
		reply(w, 422, api.Error{Message: "not a WebAssembly module", Code: api.CodeRejected})
		return
	}
	key := r.PathValue("t") + "/" + r.PathValue("m")
	m := f.modules[key]
	if m == nil {
		m = &api.Module{Name: r.PathValue("m"), Source: api.SourceStore}
		f.modules[key] = m
	}
	sum := sha256.Sum256(body)
	m.Versions = append(m.Versions, api.Version{
		Version: len(m.Versions) + 1, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(body)), ABIVersion: 1,
		Exports: []string{"civetbox_abi_dispatch"}, Imports: []string{"civetweb.mg_write"},
		UploadedAt: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC), UploadedBy: "operator",
	})
	if r.URL.Query().Get("activate") == "1" {
		activate(m, len(m.Versions))
	}
	reply(w, 201, m.Versions[len(m.Versions)-1])
}

// withModule answers with what fn makes of the module named in the path:
// an api.Error becomes a 409, nil a 204.
func (f *fakeAdmin) withModule(fn func(m *api.Module, n int) any) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		m := f.modules[r.PathValue("t")+"/"+r.PathValue("m")]
		n, _ := strconv.Atoi(r.PathValue("n"))
		switch {
		case m == nil:
			reply(w, 404, api.Error{Message: "no module " + strconv.Quote(r.PathValue("m")), Code: api.CodeNotFound})
		case r.PathValue("n") != "" && (n < 1 || n > len(m.Versions)):
			reply(w, 404, api.Error{Message: "no version " + r.PathValue("n"), Code: api.CodeNotFound})
		default:
			switch v := fn(m, n).(type) {
			case api.Error:
				reply(w, 409, v)
			case nil:
				w.WriteHeader(204)
			default:
				reply(w, 200, v)
			}
		}
	}
}

func activate(m *api.Module, n int) {
	m.Active = n
	for i := range m.Versions {
		m.Versions[i].Active = i+1 == n
	}
}

func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
