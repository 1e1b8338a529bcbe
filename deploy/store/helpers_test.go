package store_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/deploy/store"
)

func open(t *testing.T, dir string) *store.Store {
	t.Helper()
	s, err := store.Open(dir)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// snapshot is everything a Store shows, for comparing two of them.
type snapshot struct {
	Tenants []string
	Modules map[string][]store.Module
	Active  map[string][]store.ActiveModule
	Routes  map[string][]store.Route
}

func snap(s *store.Store) snapshot {
	sn := snapshot{Tenants: s.Tenants(), Modules: map[string][]store.Module{},
		Active: map[string][]store.ActiveModule{}, Routes: map[string][]store.Route{}}
	for _, t := range sn.Tenants {
		sn.Modules[t] = s.Modules(t)
		sn.Active[t] = s.Active(t)
		sn.Routes[t] = s.Routes(t)
	}
	return sn
}

func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// requireTidy checks that tmp/ is empty and blobs/ holds exactly the
// blobs versions reference.
func requireTidy(t *testing.T, s *store.Store) {
	t.Helper()
	require.Empty(t, entries(t, filepath.Join(s.Dir(), "tmp")))
	want := map[string]bool{}
	for _, tenant := range s.Tenants() {
		for _, m := range s.Modules(tenant) {
			for _, v := range m.Versions {
				want[v.SHA256+".wasm"] = true
			}
		}
	}
	got := map[string]bool{}
	for _, name := range entries(t, filepath.Join(s.Dir(), "blobs")) {
		got[name] = true
	}
	require.Equal(t, want, got)
}
