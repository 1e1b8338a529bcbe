package store

import "github.com/civetbox/civetbox/deploy/api"

// API is v as the admin API shows it.
func (v VersionInfo) API(active bool) api.Version {
	return api.Version{
		Version:    v.Version,
		SHA256:     v.SHA256,
		Size:       v.Size,
		ABIVersion: v.ABIVersion,
		Exports:    nonNil(v.Exports),
		Imports:    nonNil(v.Imports),
		UploadedAt: v.UploadedAt,
		UploadedBy: v.UploadedBy,
		Active:     active,
	}
}

// API is m as the admin API shows it, without the routes its active
// version registered (the server knows those).
func (m Module) API() api.Module {
	versions := make([]api.Version, len(m.Versions))
	for i, v := range m.Versions {
		versions[i] = v.API(v.Version == m.Active)
	}
	return api.Module{Name: m.Name, Source: api.SourceStore, Active: m.Active, Versions: versions}
}

// API is r as the admin API shows it.
func (r Route) API() api.Route {
	return api.Route{Host: r.Host, Prefix: r.Prefix, Module: r.Module, Source: api.RouteBinding}
}

// nonNil keeps JSON lists as [] rather than null.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
