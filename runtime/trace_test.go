package runtime_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/internal/enginetest"
	"github.com/civetbox/civetbox/internal/testguests"
	"github.com/civetbox/civetbox/runtime"
	"github.com/civetbox/civetbox/runtime/engine"
)

// countingObserver counts the load-time measurements it receives.
type countingObserver struct{ compiled, instantiated atomic.Int64 }

func (o *countingObserver) Compiled(time.Duration)     { o.compiled.Add(1) }
func (o *countingObserver) Instantiated(time.Duration) { o.instantiated.Add(1) }

// TestTrace: the Handler keeps the server's request id and reports the
// module, the matched route (not the path), why the guest failed and which
// limit refused the request.
func TestTrace(t *testing.T) {
	tests := []struct {
		method, path string
		body         string
		header       int // extra header fields
		want         runtime.Trace
	}{
		{"GET", "/ok?x=1", "", 0, runtime.Trace{Route: "/ok"}},
		{"GET", "/nope", "", 0, runtime.Trace{}},
		{"GET", "/trap/unreachable", "", 0, runtime.Trace{Route: "/trap", Failure: runtime.FailureTrap}},
		{"GET", "/exit", "", 0, runtime.Trace{Route: "/exit", Failure: runtime.FailureExit}},
		{"GET", "/badptr/mg_write", "", 0, runtime.Trace{Route: "/badptr", Failure: runtime.FailureBadPointer}},
		{"GET", "/late-register", "", 0, runtime.Trace{Route: "/late-register", Failure: runtime.FailureContract}},
		{"GET", "/loop", "", 0, runtime.Trace{Route: "/loop", Failure: runtime.FailureDeadline}},
		{"POST", "/read-all", strings.Repeat("x", 2000), 0, runtime.Trace{Route: "/read-all", Limit: runtime.LimitBodySize}},
		{"GET", "/ok", "", 70, runtime.Trace{Limit: runtime.LimitTooManyHeaders}},
	}
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		obs := &countingObserver{}
		h, err := runtime.Load(context.Background(), eng, testguests.Read(t, "hostile.wasm"), runtime.Config{
			Name: "hostile", RequestTimeout: 300 * time.Millisecond, MaxRequestBody: 1000,
			Logger: slog.New(slog.DiscardHandler), Observer: obs,
		})
		require.NoError(t, err)
		defer h.Close(context.Background())
		require.EqualValues(t, 1, obs.compiled.Load())
		require.EqualValues(t, 1, obs.instantiated.Load(), "the first instance, at load")

		var mu sync.Mutex
		var last runtime.Trace
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			tr := &runtime.Trace{ID: 1 << 40}
			defer func() {
				mu.Lock()
				last = *tr
				mu.Unlock()
				if p := recover(); p != nil {
					panic(p)
				}
			}()
			h.ServeHTTP(w, r.WithContext(runtime.WithTrace(r.Context(), tr)))
		}))
		defer srv.Close()
		for _, tc := range tests {
			req, err := http.NewRequest(tc.method, srv.URL+tc.path, strings.NewReader(tc.body))
			require.NoError(t, err)
			for i := range tc.header {
				req.Header.Set("X-H"+string(rune('A'+i%26))+strings.Repeat("x", i/26), "v")
			}
			resp, err := srv.Client().Do(req)
			require.NoError(t, err)
			resp.Body.Close()
			tc.want.ID, tc.want.Module = 1<<40, "hostile"
			require.Eventually(t, func() bool {
				mu.Lock()
				defer mu.Unlock()
				return last == tc.want
			}, time.Second, time.Millisecond, "%s %s: got %+v", tc.method, tc.path, last)
		}
		require.GreaterOrEqual(t, obs.instantiated.Load(), int64(7), "one per request that reached a guest")
	})
}

// TestNewRequestID: ids are unique across handlers, so a process-wide
// search for one finds one request.
func TestNewRequestID(t *testing.T) {
	a, b := runtime.NewRequestID(), runtime.NewRequestID()
	require.NotZero(t, a)
	require.Greater(t, b, a)
}
