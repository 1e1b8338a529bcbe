package server_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/config"
	"github.com/civetbox/civetbox/internal/testguests"
	"github.com/civetbox/civetbox/internal/testutil"
	"github.com/civetbox/civetbox/server"
)

const deployTenants = `
[listen]
http = ["127.0.0.1:0"]
[admin]
store = "STORE"
[[tenant]]
name = "shop"
hosts = ["shop.test"]
  [[tenant.module]]
  name = "configured"
  path = "GUESTS/deploy.wasm"
`

func buildDeployed(t *testing.T, d server.Deployment) (*server.Built, *server.Recent, *testutil.SyncBuffer) {
	t.Helper()
	text := replaceAll(deployTenants, "STORE", t.TempDir()+"/store", "GUESTS", testguests.Dir())
	cfg, err := config.Parse("deploy.toml", []byte(text))
	require.NoError(t, err)
	logs := &testutil.SyncBuffer{}
	recent := server.NewRecent()
	built, err := server.Build(context.Background(), cfg, server.Options{
		NewEngine: newEngine, Logger: slog.New(slog.NewTextHandler(logs, nil)), Recent: recent,
		Deployments: func(string) (server.Deployment, error) { return d, nil },
	})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, built.Close(context.Background())) })
	return built, recent, logs
}

func wasmOf(t *testing.T, name string) func() ([]byte, error) {
	b := testguests.Read(t, name)
	return func() ([]byte, error) { return b, nil }
}

// At start, a deployed module or binding that cannot be served is left
// out with a log line and a recent error; the tenant serves the rest.
func TestBuild_leavesOutWhatDoesNotLoad(t *testing.T) {
	built, recent, logs := buildDeployed(t, server.Deployment{
		Modules: []server.Deployed{
			{Name: "good", Version: 1, SHA256: "a", Wasm: wasmOf(t, "deploy_v2.wasm")},
			{Name: "broken", Version: 3, SHA256: "b", Wasm: func() ([]byte, error) { return []byte("junk"), nil }},
			{Name: "unreadable", Version: 1, SHA256: "c", Wasm: func() ([]byte, error) { return nil, errors.New("disk on fire") }},
			{Name: "configured", Version: 1, SHA256: "d", Wasm: wasmOf(t, "deploy.wasm")},
		},
		Routes: []server.Binding{{Prefix: "/g", Module: "good"}, {Prefix: "/b", Module: "broken"}},
	})
	served := built.Tenant("shop").Served()
	require.Len(t, served, 2)
	require.Equal(t, "configured", served[0].Handler.Name())
	require.Equal(t, "good", served[1].Handler.Name())
	require.Equal(t, []server.Binding{{Prefix: "/g", Module: "good"}}, built.Tenant("shop").Bindings())
	require.Len(t, recent.Of("shop"), 4, "broken, unreadable, configured (name taken), the binding to broken")
	require.Contains(t, logs.String(), "disk on fire")
	require.Contains(t, logs.String(), "the configuration file already has a module of that name")
}

// A deploy is all or nothing: one module that does not start, or a
// binding to a module the tenant lacks, changes nothing.
func TestDeploy_allOrNothing(t *testing.T) {
	built, _, _ := buildDeployed(t, server.Deployment{})
	shop := built.Tenant("shop")
	persisted := false
	persist := func() error { persisted = true; return nil }
	err := shop.Deploy(context.Background(), server.Deployment{Modules: []server.Deployed{
		{Name: "good", SHA256: "a", Wasm: wasmOf(t, "deploy_v2.wasm")},
		{Name: "bad", SHA256: "b", Wasm: wasmOf(t, "bad/init_fails.wasm")},
	}}, persist)
	var de *server.DeployError
	require.ErrorAs(t, err, &de)
	require.Equal(t, "bad", de.Module)
	err = shop.Deploy(context.Background(), server.Deployment{Routes: []server.Binding{{Prefix: "/x", Module: "nope"}}}, persist)
	require.ErrorAs(t, err, &de)
	require.False(t, persisted)
	require.Len(t, shop.Served(), 1)

	err = shop.Deploy(context.Background(), server.Deployment{Modules: []server.Deployed{
		{Name: "good", SHA256: "a", Wasm: wasmOf(t, "deploy_v2.wasm")}}}, func() error { return errors.New("disk full") })
	require.ErrorContains(t, err, "disk full")
	require.Len(t, shop.Served(), 1, "a change the store did not record is not served")
}

func replaceAll(s string, oldNew ...string) string { return strings.NewReplacer(oldNew...).Replace(s) }
