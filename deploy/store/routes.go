package store

import (
	"cmp"
	"fmt"
	"slices"
)

// Bind adds r to tenant's routes, replacing the route of the same Host and
// Prefix. The module need not exist yet: a route may name a module of the
// configuration file, or one about to be uploaded.
func (s *Store) Bind(tenant string, r Route) error {
	if err := checkTenant(tenant); err != nil {
		return prefixed(err)
	}
	if err := checkRoute(r); err != nil {
		return prefixed(err)
	}
	return s.mutate(tenant, func(t *tenantState) error {
		i, found := slices.BinarySearchFunc(t.Routes, r, compareRoutes)
		if found {
			t.Routes[i] = r
		} else {
			t.Routes = slices.Insert(t.Routes, i, r)
		}
		return nil
	})
}

// Unbind removes tenant's route of host and prefix, or returns an
// ErrNotFound error.
func (s *Store) Unbind(tenant, host, prefix string) error {
	if err := checkTenant(tenant); err != nil {
		return prefixed(err)
	}
	return s.mutate(tenant, func(t *tenantState) error {
		i, found := slices.BinarySearchFunc(t.Routes, Route{Host: host, Prefix: prefix}, compareRoutes)
		if !found {
			return fmt.Errorf("store: tenant %q route host %q prefix %q: %w", tenant, host, prefix, ErrNotFound)
		}
		t.Routes = slices.Delete(t.Routes, i, i+1)
		return nil
	})
}

// Routes lists tenant's routes by Host, then Prefix.
func (s *Store) Routes(tenant string) []Route {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if t := s.st.Tenants[tenant]; t != nil {
		return slices.Clone(t.Routes)
	}
	return nil
}

// compareRoutes orders routes by Host, then Prefix; Module is not part of
// a route's identity.
func compareRoutes(a, b Route) int {
	return cmp.Or(cmp.Compare(a.Host, b.Host), cmp.Compare(a.Prefix, b.Prefix))
}
