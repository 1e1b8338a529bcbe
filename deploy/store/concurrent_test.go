package store_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/deploy/store"
)

// TestConcurrent_putActivateReadDelete runs writers and readers at once
// (meant for -race). Two writers share each module and all share bytes,
// so version numbering, blob sharing and blob deletion race too.
func TestConcurrent_putActivateReadDelete(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() { writer(t, s, fmt.Sprintf("m%d", w%2)) })
	}
	for range 2 {
		wg.Go(func() { reader(t, s) })
	}
	wg.Wait()
	requireTidy(t, s)
	for _, m := range s.Modules("t") {
		for i, v := range m.Versions {
			require.True(t, i == 0 || m.Versions[i-1].Version < v.Version, "numbers increase")
		}
	}
	before := snap(s)
	require.NoError(t, s.Close())
	require.Equal(t, before, snap(open(t, dir)))
}

// writer uploads and activates versions of module, and deletes its own
// version of two rounds ago, which it has activated since.
func writer(t *testing.T, s *store.Store, module string) {
	var mine []int
	for i := range 20 {
		v, err := s.Put("t", module, []byte{byte(i % 5)}, store.VersionInfo{})
		if !assert.NoError(t, err) {
			return
		}
		assert.NoError(t, s.Activate("t", module, v.Version))
		if mine = append(mine, v.Version); len(mine) > 2 {
			assert.NoError(t, s.Delete("t", module, mine[len(mine)-3]))
		}
	}
}

func reader(t *testing.T, s *store.Store) {
	for range 100 {
		for _, a := range s.Active("t") {
			data, err := s.Read(a.Version.SHA256)
			if err == nil {
				assert.Len(t, data, int(a.Version.Size))
			} else {
				assert.ErrorIs(t, err, store.ErrNotFound, "deleted since Active")
			}
		}
		_ = s.Modules("t")
	}
}
