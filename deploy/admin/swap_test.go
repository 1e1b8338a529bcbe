package admin_test

import (
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/config"
	"github.com/civetbox/civetbox/runtime"
	"github.com/civetbox/civetbox/server"
)

// A request in flight finishes on the version it started on; new requests
// get the new one; the old module is closed once it has drained.
func TestSwap_inFlightFinishesOnTheOldVersion(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng string) {
		as := startAdmin(t, serverSetup{engine: eng, mode: "pooled"})
		deployV1(t, as)
		old := servedHandler(t, as, "shop", "app")
		slow := make(chan string, 1)
		go func() {
			_, body := as.get(t, "shop", "/app/slow?1500")
			slow <- body
		}()
		time.Sleep(100 * time.Millisecond) // let it reach the guest
		status, body := as.call(t, "shop", "POST", appModule+"?activate=1", guest(t, "deploy_v2.wasm"), nil)
		require.Equal(t, http.StatusCreated, status, body)
		_, body = as.get(t, "shop", "/app/version")
		require.Equal(t, "v2", body, "new requests get the new version at once")
		select {
		case <-slow:
			t.Fatal("the slow request ended before the swap; make it slower")
		default:
		}
		require.Equal(t, "v1 after a slow request", <-slow)
		require.Eventually(t, func() bool { return old.LiveInstances() == 0 }, 5*time.Second, 5*time.Millisecond,
			"the old version's pooled instances are closed once drained")
	})
}

// Under steady load, activations and rollbacks lose no request.
func TestSwap_noRequestFailsUnderLoad(t *testing.T) {
	as := startAdmin(t, serverSetup{mode: "pooled"})
	deployV1(t, as)
	status, body := as.call(t, "shop", "POST", appModule, guest(t, "deploy_v2.wasm"), nil)
	require.Equal(t, http.StatusCreated, status, body)
	var stop atomic.Bool
	var served, failed atomic.Int64
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for !stop.Load() {
				status, body := as.get(t, "shop", "/app/version")
				if status != http.StatusOK || (body != "v1" && body != "v2") {
					failed.Add(1)
					t.Errorf("got %d %q", status, body)
				}
				served.Add(1)
			}
		})
	}
	for i := range 10 {
		path := appModule + "/versions/2/activate"
		if i%2 == 1 {
			path = appModule + "/rollback"
		}
		status, body := as.call(t, "shop", "POST", path, nil, nil)
		require.Equal(t, http.StatusOK, status, body)
	}
	stop.Store(true)
	wg.Wait()
	require.Zero(t, failed.Load())
	t.Logf("%d requests across 10 swaps, none failed", served.Load())
}

// After a restart the server serves exactly the active versions and
// bindings it had.
func TestRestart_servesWhatWasActive(t *testing.T) {
	as := startAdmin(t, serverSetup{})
	deployV1(t, as)
	status, body := as.call(t, "shop", "POST", appModule, guest(t, "deploy_v2.wasm"), nil)
	require.Equal(t, http.StatusCreated, status, body)
	as.stop()

	again := startAdmin(t, serverSetup{dir: as.dir, tokens: as.tokens})
	_, body = again.get(t, "shop", "/app/version")
	require.Equal(t, "v1", body, "version 2 was uploaded but never activated")
	status, _ = again.call(t, "shop", "POST", appModule+"/versions/2/activate", nil, nil)
	require.Equal(t, http.StatusOK, status)
	again.stop()

	third := startAdmin(t, serverSetup{dir: as.dir, tokens: as.tokens})
	_, body = third.get(t, "shop", "/app/version")
	require.Equal(t, "v2", body)
}

// servedHandler is the handler tenant serves module with now.
func servedHandler(t *testing.T, as *adminServer, tenant, module string) *runtime.Handler {
	var h *runtime.Handler
	as.live.View(func(_ *config.Config, b *server.Built) {
		for _, s := range b.Tenant(tenant).Served() {
			if s.Handler.Name() == module {
				h = s.Handler
			}
		}
	})
	require.NotNil(t, h)
	return h
}
