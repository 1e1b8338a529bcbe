package server_test

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Four tenants on one shared engine (same kind, same memory limit), so
// their instances draw linear memories from the same places: wazero
// recycles the memories of closed instances (zeroed on free).
const canaryTOML = `
[[tenant]]
name = "writer"
hosts = ["writer.test"]
engine = "ENGINE"
  [[tenant.module]]
  path = "GUESTS/tenancy.wasm"

[[tenant]]
name = "scan-fresh"
hosts = ["scan-fresh.test"]
engine = "ENGINE"
  [[tenant.module]]
  path = "GUESTS/tenancy.wasm"

[[tenant]]
name = "scan-pooled"
hosts = ["scan-pooled.test"]
engine = "ENGINE"
mode = "pooled"
pool_size = 2
  [[tenant.module]]
  path = "GUESTS/tenancy.wasm"

[[tenant]]
name = "control"
hosts = ["control.test"]
engine = "ENGINE"
mode = "pooled"
pool_size = 1
  [[tenant.module]]
  path = "GUESTS/tenancy.wasm"
`

// TestIsolationCanary: tenant "writer" (fresh mode) leaves a random canary
// in static data, the heap and its stack; over 10,000 interleaved requests
// neither another tenant (fresh or pooled) nor the writer's own later
// requests ever find it in their whole linear memory. The control proves
// the scan finds a canary that is there: a pooled instance sees what its
// own earlier request wrote.
func TestIsolationCanary(t *testing.T) {
	total := 10000
	if testing.Short() {
		total = 1000
	}
	eachEngine(t, func(t *testing.T, engine string) {
		s := startTenancy(t, engine, canaryTOML)
		canary := newCanary(t)
		client := &http.Client{Timeout: 30 * time.Second}
		requireCanary(t, s, client, "control.test", "/canary/write?"+canary, "written")
		requireCanary(t, s, client, "control.test", "/canary/scan?"+canary, "found")

		// Each round writes once and scans three times, from 4 clients
		// at once so instances come and go concurrently.
		round := []struct{ host, path, want string }{
			{"writer.test", "/canary/write?" + canary, "written"},
			{"scan-fresh.test", "/canary/scan?" + canary, "absent"},
			{"scan-pooled.test", "/canary/scan?" + canary, "absent"},
			{"writer.test", "/canary/scan?" + canary, "absent"},
		}
		var next, done atomic.Int64
		var wg sync.WaitGroup
		start := time.Now()
		for range 4 {
			wg.Go(func() {
				for n := next.Add(1) - 1; n < int64(total); n = next.Add(1) - 1 {
					step := round[n%int64(len(round))]
					r := s.fetch(client, step.host, step.path)
					if r.err != nil || r.status != http.StatusOK || r.body != step.want {
						t.Errorf("request %d %s%s: %d %q (err %v), want %q", n, step.host, step.path[:14], r.status, r.body, r.err, step.want)
						return
					}
					done.Add(1)
				}
			})
		}
		wg.Wait()
		require.EqualValues(t, total, done.Load())
		t.Logf("%s: %d requests in %s, canary never seen outside its instance", engine, total, time.Since(start).Round(time.Millisecond))
		requireCanary(t, s, client, "control.test", "/canary/scan?"+canary, "found")
	})
}

// newCanary is 32 random bytes in hex, as the guests take it.
func newCanary(t *testing.T) string {
	b := make([]byte, 32)
	_, err := rand.Read(b)
	require.NoError(t, err)
	return hex.EncodeToString(b)
}

func requireCanary(t *testing.T, s *tenancyServer, client *http.Client, host, path, want string) {
	t.Helper()
	r := s.fetch(client, host, path)
	require.NoError(t, r.err)
	require.Equal(t, http.StatusOK, r.status, r.body)
	require.Equal(t, want, r.body, "%s%s", host, path)
}
