package store

import (
	"fmt"
	"slices"
)

// Tenants lists, sorted, the tenants that have a module or a route.
func (s *Store) Tenants() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var names []string
	for _, name := range sortedKeys(s.st.Tenants) {
		if !s.st.Tenants[name].isEmpty() {
			names = append(names, name)
		}
	}
	return names
}

// Modules lists tenant's modules by name.
func (s *Store) Modules(tenant string) []Module {
	s.mu.RLock()
	defer s.mu.RUnlock()
	t := s.st.Tenants[tenant]
	if t == nil {
		return nil
	}
	var mods []Module
	for _, name := range sortedKeys(t.Modules) {
		if m := t.live(name); m != nil {
			mods = append(mods, m.view(name))
		}
	}
	return mods
}

// Module returns one of tenant's modules, or an ErrNotFound error.
func (s *Store) Module(tenant, name string) (Module, error) {
	if err := checkNames(tenant, name); err != nil {
		return Module{}, prefixed(err)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	m, err := liveModule(s.st.Tenants[tenant], tenant, name)
	if err != nil {
		return Module{}, err
	}
	return m.view(name), nil
}

// Version returns version v of tenant's module, or an ErrNotFound error.
func (s *Store) Version(tenant, module string, v int) (VersionInfo, error) {
	if err := checkNames(tenant, module); err != nil {
		return VersionInfo{}, prefixed(err)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	m, err := liveVersion(s.st.Tenants[tenant], tenant, module, v)
	if err != nil {
		return VersionInfo{}, err
	}
	i, _ := m.find(v)
	return m.Versions[i].clone(), nil
}

// Active lists, by name, tenant's modules that have an active version,
// with it: what the server should serve.
func (s *Store) Active(tenant string) []ActiveModule {
	var active []ActiveModule
	for _, m := range s.Modules(tenant) {
		if m.Active == 0 {
			continue
		}
		i := slices.IndexFunc(m.Versions, func(v VersionInfo) bool { return v.Version == m.Active })
		active = append(active, ActiveModule{Name: m.Name, Version: m.Versions[i]})
	}
	return active
}

func (m *moduleState) view(name string) Module {
	versions := make([]VersionInfo, len(m.Versions))
	for i, v := range m.Versions {
		versions[i] = v.clone()
	}
	return Module{Name: name, Active: m.Active, Versions: versions}
}

// Previous returns the version Rollback would make active, or an
// ErrNoPrevious error, without changing anything: a server starts that
// version before it rolls back.
func (s *Store) Previous(tenant, module string) (VersionInfo, error) {
	if err := checkNames(tenant, module); err != nil {
		return VersionInfo{}, prefixed(err)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	m, err := liveModule(s.st.Tenants[tenant], tenant, module)
	if err != nil {
		return VersionInfo{}, err
	}
	if len(m.History) == 0 {
		return VersionInfo{}, fmt.Errorf("store: tenant %q module %q: %w to roll back to", tenant, module, ErrNoPrevious)
	}
	i, _ := m.find(m.History[len(m.History)-1])
	return m.Versions[i].clone(), nil
}
