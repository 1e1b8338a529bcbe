package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/deploy/api"
	"github.com/civetbox/civetbox/deploy/client"
)

const testToken = "cbx_secret-test-token"

// fake is a minimal admin API: one tenant "blog" whose modules keep their
// uploads in memory. It records the last request's escaped URI.
type fake struct {
	lastURI  string
	lastBody []byte
	modules  map[string]*api.Module
	routes   []api.Route
}

func newFake(t *testing.T) (*fake, *httptest.Server) {
	f := &fake{modules: map[string]*api.Module{}}
	srv := httptest.NewServer(f.handler())
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fake) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/status", func(w http.ResponseWriter, r *http.Request) {
		reply(w, 200, api.Status{Version: "test"})
	})
	mux.HandleFunc("GET /v1/tenants/{t}/modules", func(w http.ResponseWriter, r *http.Request) {
		list := api.ModuleList{Modules: []api.Module{}}
		for _, m := range f.modules {
			list.Modules = append(list.Modules, *m)
		}
		reply(w, 200, list)
	})
	mux.HandleFunc("POST /v1/tenants/{t}/modules/{m}", f.upload)
	mux.HandleFunc("GET /v1/tenants/{t}/modules/{m}", func(w http.ResponseWriter, r *http.Request) {
		if m := f.module(w, r); m != nil {
			reply(w, 200, m)
		}
	})
	mux.HandleFunc("GET /v1/tenants/{t}/modules/{m}/versions/{n}", func(w http.ResponseWriter, r *http.Request) {
		if m := f.module(w, r); m != nil {
			n, _ := strconv.Atoi(r.PathValue("n"))
			reply(w, 200, m.Versions[n-1])
		}
	})
	mux.HandleFunc("POST /v1/tenants/{t}/modules/{m}/versions/{n}/activate", func(w http.ResponseWriter, r *http.Request) {
		if m := f.module(w, r); m != nil {
			m.Active, _ = strconv.Atoi(r.PathValue("n"))
			reply(w, 200, m)
		}
	})
	mux.HandleFunc("POST /v1/tenants/{t}/modules/{m}/rollback", func(w http.ResponseWriter, r *http.Request) {
		if m := f.module(w, r); m != nil {
			m.Active--
			reply(w, 200, m)
		}
	})
	mux.HandleFunc("DELETE /v1/tenants/{t}/modules/{m}/versions/{n}", func(w http.ResponseWriter, r *http.Request) {
		if m := f.module(w, r); m != nil {
			reply(w, 409, api.Error{Message: "version 1 is active", Code: api.CodeConflict})
		}
	})
	mux.HandleFunc("GET /v1/tenants/{t}/routes", func(w http.ResponseWriter, r *http.Request) {
		reply(w, 200, api.RouteList{Routes: f.routes})
	})
	mux.HandleFunc("POST /v1/tenants/{t}/routes", func(w http.ResponseWriter, r *http.Request) {
		var rt api.Route
		if err := json.Unmarshal(f.lastBody, &rt); err != nil {
			reply(w, 400, api.Error{Message: err.Error(), Code: api.CodeBadRequest})
			return
		}
		f.routes = append(f.routes, rt)
		reply(w, 200, api.RouteList{Routes: f.routes})
	})
	mux.HandleFunc("DELETE /v1/tenants/{t}/routes", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(204)
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.lastURI = r.RequestURI
		f.lastBody, _ = io.ReadAll(r.Body)
		if r.Header.Get("Authorization") != "Bearer "+testToken {
			reply(w, 401, api.Error{Message: "unknown token", Code: api.CodeUnauthorized})
			return
		}
		mux.ServeHTTP(w, r)
	})
}

func (f *fake) upload(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Content-Type") != "application/wasm" || r.ContentLength != int64(len(f.lastBody)) {
		reply(w, 400, api.Error{Message: "want application/wasm with a length", Code: api.CodeBadRequest})
		return
	}
	name := r.PathValue("m")
	m := f.modules[name]
	if m == nil {
		m = &api.Module{Name: name, Source: api.SourceStore}
		f.modules[name] = m
	}
	v := api.Version{Version: len(m.Versions) + 1, Size: int64(len(f.lastBody)), UploadedBy: "operator"}
	if r.URL.Query().Get("activate") == "1" {
		m.Active, v.Active = v.Version, true
	}
	m.Versions = append(m.Versions, v)
	reply(w, 201, v)
}

func (f *fake) module(w http.ResponseWriter, r *http.Request) *api.Module {
	m := f.modules[r.PathValue("m")]
	if m == nil {
		reply(w, 404, api.Error{Message: "no module " + strconv.Quote(r.PathValue("m")), Code: api.CodeNotFound})
	}
	return m
}

func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func newClient(t *testing.T, url string, opts ...client.Option) *client.Client {
	t.Helper()
	c, err := client.New(url, testToken, opts...)
	require.NoError(t, err)
	return c
}

func TestClient_modulesRoundTrip(t *testing.T) {
	ctx := context.Background()
	_, srv := newFake(t)
	c := newClient(t, srv.URL+"/") // a trailing slash is fine

	v, err := c.Upload(ctx, "blog", "hello", strings.NewReader("\x00asm"), 4, true, nil)
	require.NoError(t, err)
	require.Equal(t, api.Version{Version: 1, Size: 4, UploadedBy: "operator", Active: true}, v)
	_, err = c.Upload(ctx, "blog", "hello", strings.NewReader("\x00asm2"), 5, false, nil)
	require.NoError(t, err)

	m, err := c.Module(ctx, "blog", "hello")
	require.NoError(t, err)
	require.Equal(t, 1, m.Active)
	require.Len(t, m.Versions, 2)

	v, err = c.Version(ctx, "blog", "hello", 2)
	require.NoError(t, err)
	require.Equal(t, int64(5), v.Size)

	m, err = c.Activate(ctx, "blog", "hello", 2)
	require.NoError(t, err)
	require.Equal(t, 2, m.Active)
	m, err = c.Rollback(ctx, "blog", "hello")
	require.NoError(t, err)
	require.Equal(t, 1, m.Active)

	list, err := c.Modules(ctx, "blog")
	require.NoError(t, err)
	require.Len(t, list, 1)

	s, err := c.Status(ctx)
	require.NoError(t, err)
	require.Equal(t, "test", s.Version)
}

func TestClient_routes(t *testing.T) {
	ctx := context.Background()
	f, srv := newFake(t)
	c := newClient(t, srv.URL)

	routes, err := c.Bind(ctx, "blog", api.Route{Host: "blog.example", Prefix: "/api", Module: "hello"})
	require.NoError(t, err)
	require.Equal(t, []api.Route{{Host: "blog.example", Prefix: "/api", Module: "hello"}}, routes)
	require.JSONEq(t, `{"host":"blog.example","prefix":"/api","module":"hello"}`, string(f.lastBody))

	routes, err = c.Routes(ctx, "blog")
	require.NoError(t, err)
	require.Len(t, routes, 1)

	require.NoError(t, c.Unbind(ctx, "blog", "", "/a b&c"))
	require.Equal(t, "/v1/tenants/blog/routes?host=&prefix=%2Fa+b%26c", f.lastURI)
}

// TestClient_escapesPathSegments: a name is one segment whatever it holds,
// and names that would walk to another route are refused before sending.
func TestClient_escapesPathSegments(t *testing.T) {
	ctx := context.Background()
	f, srv := newFake(t)
	c := newClient(t, srv.URL)

	_, err := c.Upload(ctx, "a b", "x/y?z", strings.NewReader("w"), 1, true, nil)
	require.NoError(t, err)
	require.Equal(t, "/v1/tenants/a%20b/modules/x%2Fy%3Fz?activate=1", f.lastURI)

	_, err = c.Version(ctx, "blog", "x/y?z", 1)
	require.NoError(t, err)
	require.Equal(t, "/v1/tenants/blog/modules/x%2Fy%3Fz/versions/1", f.lastURI)

	for _, name := range []string{"", ".", ".."} {
		f.lastURI = ""
		_, err := c.Module(ctx, name, "hello")
		require.ErrorContains(t, err, "client: tenant name "+strconv.Quote(name)+" is not valid")
		_, err = c.Module(ctx, "blog", name)
		require.ErrorContains(t, err, "client: module name "+strconv.Quote(name)+" is not valid")
		require.Empty(t, f.lastURI, "nothing was sent")
	}
}

func TestClient_progressReachesTotal(t *testing.T) {
	_, srv := newFake(t)
	c := newClient(t, srv.URL)
	body := strings.Repeat("x", 1<<20+3)
	var calls, last, total int64
	progress := func(sent, tot int64) {
		require.Greater(t, sent, last)
		calls, last, total = calls+1, sent, tot
	}
	_, err := c.Upload(context.Background(), "blog", "big", strings.NewReader(body), int64(len(body)), false, progress)
	require.NoError(t, err)
	require.Greater(t, calls, int64(1))
	require.Equal(t, int64(len(body)), last)
	require.Equal(t, int64(len(body)), total)
}

func TestClient_apiErrors(t *testing.T) {
	ctx := context.Background()
	_, srv := newFake(t)

	_, err := newClient(t, srv.URL).Module(ctx, "blog", "nothing")
	requireAPIError(t, err, &client.Error{Status: 404, Code: api.CodeNotFound, Message: `no module "nothing"`})
	require.EqualError(t, err, `client: 404 not_found: no module "nothing"`)

	err = newClient(t, srv.URL).Delete(ctx, "blog", "nothing", 1)
	requireAPIError(t, err, &client.Error{Status: 404, Code: api.CodeNotFound, Message: `no module "nothing"`})

	c, err := client.New(srv.URL, "cbx_wrong-token")
	require.NoError(t, err)
	_, err = c.Modules(ctx, "blog")
	requireAPIError(t, err, &client.Error{Status: 401, Code: api.CodeUnauthorized, Message: "unknown token"})
	require.NotContains(t, err.Error(), "wrong-token")
}

// TestClient_nonAPIErrorBodies: whatever answers (a proxy, the public
// listener by mistake), the error says the status and what came back.
func TestClient_nonAPIErrorBodies(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		header  http.Header
		body    string
		message string
	}{
		{"html", 502, nil, "<html>\r\n<h1>Bad\tGateway</h1>\x1b[31m</html>\n",
			"<html> <h1>Bad Gateway</h1> [31m</html> (not an admin API answer)"},
		{"empty", 503, nil, "", "Service Unavailable (not an admin API answer)"},
		{"json without code", 404, nil, `{"message":"nope"}`, `{"message":"nope"} (not an admin API answer)`},
		{"long", 500, nil, strings.Repeat("é", 300), strings.Repeat("é", 200) + "… (not an admin API answer)"},
		{"redirect", 308, http.Header{"Location": {"https://admin.example/v1/status"}}, "",
			"redirected to https://admin.example/v1/status (use that as the admin URL) (not an admin API answer)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tc.header {
					w.Header()[k] = v
				}
				w.WriteHeader(tc.status)
				_, _ = io.WriteString(w, tc.body)
			}))
			defer srv.Close()
			_, err := newClient(t, srv.URL).Status(context.Background())
			requireAPIError(t, err, &client.Error{Status: tc.status, Message: tc.message})
			require.Contains(t, err.Error(), strconv.Itoa(tc.status)+" "+http.StatusText(tc.status))
		})
	}
}

func requireAPIError(t *testing.T, err error, want *client.Error) {
	t.Helper()
	got, ok := errors.AsType[*client.Error](err)
	require.True(t, ok, "%v is not a *client.Error", err)
	require.Equal(t, want, got)
	require.NotContains(t, err.Error(), testToken)
}
