package admin_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/deploy/api"
)

const appModule = "/v1/tenants/shop/modules/app"

// deployV1 uploads and activates deploy.wasm as shop's "app" and binds
// /app to it.
func deployV1(t *testing.T, as *adminServer) api.Version {
	t.Helper()
	var v api.Version
	status, body := as.call(t, "shop", "POST", appModule+"?activate=1", guest(t, "deploy.wasm"), &v)
	require.Equal(t, http.StatusCreated, status, body)
	status, body = as.call(t, "shop", "POST", "/v1/tenants/shop/routes", []byte(`{"prefix": "/app", "module": "app"}`), nil)
	require.Equal(t, http.StatusOK, status, body)
	return v
}

func TestDeploy_uploadActivateRollbackDelete(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng string) {
		as := startAdmin(t, serverSetup{engine: eng})
		v1 := deployV1(t, as)
		require.Equal(t, 1, v1.Version)
		require.True(t, v1.Active)
		require.Equal(t, sha(guest(t, "deploy.wasm")), v1.SHA256)
		require.EqualValues(t, len(guest(t, "deploy.wasm")), v1.Size)
		require.EqualValues(t, 1, v1.ABIVersion)
		require.Contains(t, v1.Exports, "civetbox_abi_dispatch")
		require.Contains(t, v1.Imports, "civetbox.mg_write")
		require.Equal(t, "tenant:shop", v1.UploadedBy)
		status, body := as.get(t, "shop", "/app/version")
		require.Equal(t, http.StatusOK, status)
		require.Equal(t, "v1", body)

		var v2 api.Version
		status, body = as.call(t, "operator", "POST", appModule+"?activate=1", guest(t, "deploy_v2.wasm"), &v2)
		require.Equal(t, http.StatusCreated, status, body)
		require.Equal(t, 2, v2.Version)
		_, body = as.get(t, "shop", "/app/version")
		require.Equal(t, "v2", body)

		var m api.Module
		status, body = as.call(t, "shop", "POST", appModule+"/rollback", nil, &m)
		require.Equal(t, http.StatusOK, status, body)
		require.Equal(t, 1, m.Active)
		require.Len(t, m.Versions, 2)
		require.Equal(t, []string{"/version", "/slow"}, m.Routes)
		_, body = as.get(t, "shop", "/app/version")
		require.Equal(t, "v1", body)

		status, body = as.call(t, "shop", "POST", appModule+"/rollback", nil, nil)
		require.Equal(t, http.StatusConflict, status, "nothing before version 1: %s", body)
		status, _ = as.call(t, "shop", "DELETE", appModule+"/versions/1", nil, nil)
		require.Equal(t, http.StatusConflict, status, "the active version stays")
		status, _ = as.call(t, "shop", "DELETE", appModule+"/versions/2", nil, nil)
		require.Equal(t, http.StatusNoContent, status)
		status, _ = as.call(t, "shop", "GET", appModule+"/versions/2", nil, nil)
		require.Equal(t, http.StatusNotFound, status)

		var shown api.Version
		status, _ = as.call(t, "shop", "GET", appModule+"/versions/1", nil, &shown)
		require.Equal(t, http.StatusOK, status)
		require.True(t, shown.Active)
		require.Equal(t, v1.SHA256, shown.SHA256)

		lines := as.auditLines(t)
		require.NotEmpty(t, lines)
		first := lines[0]
		require.Equal(t, "upload and activate", first["action"])
		require.Equal(t, "tenant:shop", first["who"])
		require.Equal(t, v1.SHA256, first["sha256"])
		require.Equal(t, "done", first["result"])
		require.EqualValues(t, 2, as.counter(t, "civetbox_admin_changes_total",
			map[string]string{"tenant": "shop", "action": "upload", "result": "done"}))
	})
}

func TestDeploy_activateAnOlderVersion(t *testing.T) {
	as := startAdmin(t, serverSetup{})
	deployV1(t, as)
	status, body := as.call(t, "shop", "POST", appModule, guest(t, "deploy_v2.wasm"), nil)
	require.Equal(t, http.StatusCreated, status, body)
	_, body = as.get(t, "shop", "/app/version")
	require.Equal(t, "v1", body, "an upload without activate=1 does not serve")
	var m api.Module
	status, body = as.call(t, "shop", "POST", appModule+"/versions/2/activate", nil, &m)
	require.Equal(t, http.StatusOK, status, body)
	require.Equal(t, 2, m.Active)
	_, body = as.get(t, "shop", "/app/version")
	require.Equal(t, "v2", body)
	status, _ = as.call(t, "shop", "POST", appModule+"/versions/9/activate", nil, nil)
	require.Equal(t, http.StatusNotFound, status)
	status, _ = as.call(t, "shop", "POST", appModule+"/versions/x/activate", nil, nil)
	require.Equal(t, http.StatusBadRequest, status)
}

func TestDeploy_listsAndStatus(t *testing.T) {
	as := startAdmin(t, serverSetup{})
	deployV1(t, as)
	var list api.ModuleList
	status, _ := as.call(t, "blog", "GET", "/v1/tenants/blog/modules", nil, &list)
	require.Equal(t, http.StatusOK, status)
	require.Len(t, list.Modules, 1)
	require.Equal(t, api.SourceConfig, list.Modules[0].Source)
	require.Equal(t, "hello.wasm", list.Modules[0].Name)

	var routes api.RouteList
	status, _ = as.call(t, "shop", "GET", "/v1/tenants/shop/routes", nil, &routes)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, []string{"shop.test"}, routes.Hosts)
	require.Equal(t, api.Route{Prefix: "/app", Module: "app", Source: api.RouteBinding}, routes.Routes[0])
	require.Contains(t, routes.Routes, api.Route{Prefix: "/version", Module: "app", Source: api.RouteModule})

	var st api.Status
	status, _ = as.call(t, "shop", "GET", "/v1/status", nil, &st)
	require.Equal(t, http.StatusOK, status)
	require.Len(t, st.Tenants, 1, "a tenant token sees its own tenant only")
	require.Equal(t, "shop", st.Tenants[0].Name)
	require.Equal(t, api.ModuleStatus{Name: "app", Source: api.SourceStore, ActiveVersion: 1,
		SHA256: sha(guest(t, "deploy.wasm")), Versions: 1}, st.Tenants[0].Modules[0])
	status, _ = as.call(t, "operator", "GET", "/v1/status", nil, &st)
	require.Equal(t, http.StatusOK, status)
	require.Len(t, st.Tenants, 2)

	// Refused deploys and failed requests are the tenant's recent errors.
	status, _ = as.call(t, "shop", "POST", appModule, guest(t, "bad/bad_import.wasm"), nil)
	require.Equal(t, http.StatusUnprocessableEntity, status)
	status, body := as.call(t, "shop", "POST", "/v1/tenants/shop/modules/hostile?activate=1", guest(t, "hostile.wasm"), nil)
	require.Equal(t, http.StatusCreated, status, body)
	status, _ = as.get(t, "shop", "/trap/unreachable")
	require.Equal(t, http.StatusInternalServerError, status)
	status, _ = as.call(t, "shop", "GET", "/v1/status", nil, &st)
	require.Equal(t, http.StatusOK, status)
	errs := st.Tenants[0].RecentErrors
	require.Len(t, errs, 2)
	require.Equal(t, "hostile", errs[0].Module, "newest first")
	require.Contains(t, errs[0].Message, "GET /trap/unreachable: trap")
	require.Contains(t, errs[1].Message, "upload refused: module rejected")
}

func TestDeploy_routes(t *testing.T) {
	as := startAdmin(t, serverSetup{})
	deployV1(t, as)
	for _, c := range []struct {
		body   string
		status int
		words  string
	}{
		{`{"prefix": "api", "module": "app"}`, http.StatusBadRequest, `must start with "/"`},
		{`{"prefix": "/a/../b", "module": "app"}`, http.StatusBadRequest, "clean path"},
		{`{"prefix": "/a/", "module": "app"}`, http.StatusBadRequest, "clean path"},
		{`{"prefix": "/a%2f", "module": "app"}`, http.StatusBadRequest, "must not hold"},
		{`{"prefix": "/x", "module": "nope"}`, http.StatusNotFound, `no module "nope"`},
		{`{"host": "blog.test", "prefix": "/x", "module": "app"}`, http.StatusBadRequest, `not one of tenant "shop"'s host names`},
		{`{"prefix": "/x", "module": "app", "extra": 1}`, http.StatusBadRequest, "unknown field"},
		{`not json`, http.StatusBadRequest, "the body must be a route"},
	} {
		status, body := as.call(t, "shop", "POST", "/v1/tenants/shop/routes", []byte(c.body), nil)
		require.Equal(t, c.status, status, c.body)
		require.Contains(t, body, c.words, c.body)
	}
	// A host-specific binding, then the root: the longest prefix wins.
	status, body := as.call(t, "shop", "POST", "/v1/tenants/shop/routes", []byte(`{"host": "SHOP.test", "prefix": "/", "module": "app"}`), nil)
	require.Equal(t, http.StatusOK, status, body)
	status, body = as.get(t, "shop", "/version")
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, "v1", body)
	status, _ = as.call(t, "shop", "DELETE", "/v1/tenants/shop/routes?host=shop.test&prefix=/", nil, nil)
	require.Equal(t, http.StatusNoContent, status)
	status, _ = as.get(t, "shop", "/version")
	require.Equal(t, http.StatusOK, status, "the module's own route still serves it")
	status, _ = as.call(t, "shop", "DELETE", "/v1/tenants/shop/routes?prefix=/nothing", nil, nil)
	require.Equal(t, http.StatusNotFound, status)
	status, _ = as.get(t, "shop", "/app/version")
	require.Equal(t, http.StatusOK, status)
}

func TestDeploy_auth(t *testing.T) {
	as := startAdmin(t, serverSetup{})
	for _, c := range []struct {
		who, method, path string
		status            int
	}{
		{"", "GET", "/v1/status", http.StatusUnauthorized},
		{"cbx_not-a-token", "GET", "/v1/status", http.StatusUnauthorized},
		{"blog", "GET", "/v1/tenants/shop/modules", http.StatusForbidden},
		{"blog", "POST", appModule, http.StatusForbidden},
		{"blog", "GET", "/v1/tenants/nosuch/modules", http.StatusForbidden},
		{"operator", "GET", "/v1/tenants/nosuch/modules", http.StatusNotFound},
		{"operator", "GET", "/v1/tenants/shop/modules", http.StatusOK},
		{"shop", "GET", "/v1/tenants/shop/modules", http.StatusOK},
		{"operator", "GET", "/v1/nothing", http.StatusNotFound},
	} {
		status, body := as.call(t, c.who, c.method, c.path, nil, nil)
		require.Equal(t, c.status, status, "%s %s as %q: %s", c.method, c.path, c.who, body)
		require.NotContains(t, body, as.tokens["operator"])
	}
	require.Contains(t, as.audit.String(), `"why":"tenant \"shop\" is not the token's"`)
	require.EqualValues(t, 2, as.counter(t, "civetbox_admin_refusals_total", map[string]string{"reason": "unauthorized"}))
	require.EqualValues(t, 3, as.counter(t, "civetbox_admin_refusals_total", map[string]string{"reason": "forbidden"}))
}

func TestDeploy_badTokensAreRateLimited(t *testing.T) {
	as := startAdmin(t, serverSetup{})
	for range 10 {
		status, _ := as.call(t, "cbx_guess", "GET", "/v1/status", nil, nil)
		require.Equal(t, http.StatusUnauthorized, status)
	}
	req, err := http.NewRequest("GET", as.apiURL+"/v1/status", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+as.tokens["operator"])
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusTooManyRequests, resp.StatusCode, "even a good token waits out the window")
	require.NotEmpty(t, resp.Header.Get("Retry-After"))
}

func TestDeploy_deploysOff(t *testing.T) {
	as := startAdmin(t, serverSetup{noStore: true})
	status, body := as.call(t, "shop", "POST", appModule, guest(t, "deploy.wasm"), nil)
	require.Equal(t, http.StatusServiceUnavailable, status)
	require.Contains(t, body, "[admin] store")
	status, _ = as.call(t, "blog", "GET", "/v1/tenants/blog/modules", nil, nil)
	require.Equal(t, http.StatusOK, status)
}

func TestDeploy_configModuleNameIsTaken(t *testing.T) {
	as := startAdmin(t, serverSetup{})
	status, body := as.call(t, "blog", "POST", "/v1/tenants/blog/modules/hello.wasm", guest(t, "deploy.wasm"), nil)
	require.Equal(t, http.StatusConflict, status)
	require.Contains(t, body, "configuration file")
	status, body = as.call(t, "blog", "POST", "/v1/tenants/blog/modules/..bad", guest(t, "deploy.wasm"), nil)
	require.Equal(t, http.StatusBadRequest, status, body)
	require.True(t, strings.Contains(body, "..bad"), body)
}
