package admin

import (
	"context"
	"slices"
	"strings"

	"github.com/civetbox/civetbox/deploy/store"
	"github.com/civetbox/civetbox/server"
)

// Deployments reads each tenant's deployment from st, for
// server.Options.Deployments: its active module versions and its bindings.
func Deployments(st *store.Store) server.Deployments {
	return func(tenant string) (server.Deployment, error) { return deploymentOf(st, tenant), nil }
}

func deploymentOf(st *store.Store, tenant string) server.Deployment {
	var d server.Deployment
	for _, m := range st.Active(tenant) {
		d.Modules = append(d.Modules, deployed(st, m.Name, m.Version))
	}
	for _, r := range st.Routes(tenant) {
		d.Routes = append(d.Routes, server.Binding{Host: r.Host, Prefix: r.Prefix, Module: r.Module})
	}
	return d
}

func deployed(st *store.Store, module string, v store.VersionInfo) server.Deployed {
	sha := v.SHA256
	return server.Deployed{Name: module, Version: v.Version, SHA256: sha,
		Wasm: func() ([]byte, error) { return st.Read(sha) }}
}

// withVersion is d serving version v of module.
func withVersion(st *store.Store, d server.Deployment, module string, v store.VersionInfo) server.Deployment {
	d.Modules = slices.DeleteFunc(slices.Clone(d.Modules), func(m server.Deployed) bool { return m.Name == module })
	d.Modules = append(d.Modules, deployed(st, module, v))
	slices.SortFunc(d.Modules, func(a, b server.Deployed) int { return strings.Compare(a.Name, b.Name) })
	return d
}

// deploy makes tenant serve the store's deployment as edit changes it, and
// records the change with persist once what it adds has started. It runs
// while no reload and no other deploy does, so the store read is current.
func (a *API) deploy(ctx context.Context, tenant string, edit func(d *server.Deployment) error, persist func() error) error {
	return a.opts.Live.Change(tenant, func(t *server.LoadedTenant) error {
		d := deploymentOf(a.opts.Store, tenant)
		if err := edit(&d); err != nil {
			return err
		}
		return t.Deploy(ctx, d, persist)
	})
}
