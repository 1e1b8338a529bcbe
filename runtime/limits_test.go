package runtime_test

import (
	"bufio"
	"context"
	"net/http"
	"os"
	goruntime "runtime"
	"runtime/debug"
	"strconv"
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

// deadlineSlack is how late past its deadline a runaway guest may be
// stopped.
const deadlineSlack = 50 * time.Millisecond

// TestLimits_preemption: an infinite loop and a loop-free exponential
// recursion are both stopped within deadline + 50 ms on every engine, while
// a well-behaved request is served alongside.
func TestLimits_preemption(t *testing.T) {
	const timeout = 300 * time.Millisecond
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		srv := serveGuest(t, eng, "hostile.wasm", runtime.Config{RequestTimeout: timeout})
		for _, path := range []string{"/loop", "/exp"} {
			t.Run(path, func(t *testing.T) {
				var wg sync.WaitGroup
				wg.Go(func() {
					resp, _ := srv.get(t, "/ok")
					require.Equal(t, http.StatusOK, resp.StatusCode)
				})
				start := time.Now()
				resp, _ := srv.get(t, path)
				elapsed := time.Since(start)
				wg.Wait()
				require.Equal(t, http.StatusGatewayTimeout, resp.StatusCode)
				require.Less(t, elapsed, timeout+deadlineSlack, "stopped %s after its deadline", elapsed-timeout)
			})
		}
	})
}

// TestLimits_noStopTheWorldStall: while a guest runs loop-free code, the
// rest of the process keeps running, garbage collections included. wazero
// runs compiled guests where Go cannot preempt them, so without the call
// instrumentation a collection would wait for the guest's deadline.
func TestLimits_noStopTheWorldStall(t *testing.T) {
	const timeout = 400 * time.Millisecond
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		srv := serveGuest(t, eng, "hostile.wasm", runtime.Config{RequestTimeout: timeout})
		stop := make(chan struct{})
		var worstGap atomic.Int64
		var wg sync.WaitGroup
		wg.Go(func() { heartbeat(stop, &worstGap) })
		resp, _ := srv.get(t, "/exp")
		close(stop)
		wg.Wait()
		require.Equal(t, http.StatusGatewayTimeout, resp.StatusCode)
		gap := time.Duration(worstGap.Load())
		require.Less(t, gap, 100*time.Millisecond, "the process stalled for %s while the guest ran", gap)
	})
}

// heartbeat allocates every 5 ms, forcing collections, and records the
// longest gap between beats.
func heartbeat(stop chan struct{}, worst *atomic.Int64) {
	last := time.Now()
	var sink [][]byte
	for {
		select {
		case <-stop:
			return
		case <-time.After(5 * time.Millisecond):
		}
		sink = append(sink, make([]byte, 4<<20))
		if len(sink) > 4 {
			sink = sink[1:]
			goruntime.GC()
		}
		now := time.Now()
		if gap := now.Sub(last); int64(gap) > worst.Load() {
			worst.Store(int64(gap))
		}
		last = now
	}
}

// TestLimits_stackBound: unbounded recursion traps quickly, with a bounded
// stack, on every engine; concurrent bombs each cost less than 64 MiB of
// peak resident memory, and the server keeps serving.
func TestLimits_stackBound(t *testing.T) {
	const bombs = 4
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		srv := serveGuest(t, eng, "hostile.wasm", runtime.Config{Mode: runtime.ModePooled, PoolSize: bombs + 1})
		base, ok := resetPeakRSS(t)
		var wg sync.WaitGroup
		for range bombs {
			wg.Go(func() {
				resp, _ := srv.get(t, "/trap/stack")
				require.Equal(t, http.StatusInternalServerError, resp.StatusCode)
			})
		}
		wg.Wait()
		srv.logs.eventually(t, "guest trapped: stack overflow")
		resp, _ := srv.get(t, "/ok")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		if ok {
			growth := peakRSS(t) - base
			t.Logf("%d concurrent stack bombs: peak RSS grew %d MiB", bombs, growth>>20)
			require.Less(t, growth/bombs, int64(64<<20), "peak RSS growth per bomb")
		}
	})
}

// resetPeakRSS collects garbage, resets the kernel's peak-RSS mark and
// returns the current RSS; ok is false where Linux's /proc is unavailable.
func resetPeakRSS(t *testing.T) (rss int64, ok bool) {
	goruntime.GC()
	debug.FreeOSMemory()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		t.Logf("peak RSS not measured: %v", err)
		return 0, false
	}
	return procStatus(t, "VmRSS"), true
}

func peakRSS(t *testing.T) int64 { return procStatus(t, "VmHWM") }

// procStatus reads a "kB" field of /proc/self/status, in bytes.
func procStatus(t *testing.T, field string) int64 {
	f, err := os.Open("/proc/self/status")
	require.NoError(t, err)
	defer f.Close()
	for s := bufio.NewScanner(f); s.Scan(); {
		if name, value, ok := strings.Cut(s.Text(), ":"); ok && name == field {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 10, 64)
			require.NoError(t, err)
			return kb << 10
		}
	}
	t.Fatalf("no %s in /proc/self/status", field)
	return 0
}

// TestLimits_memory: an engine's memory limit caps what a guest can grow
// to, and a module whose initial memory exceeds it does not load.
func TestLimits_memory(t *testing.T) {
	const limitPages = 64 // 4 MiB of 64 KiB pages
	enginetest.RunConfig(t, engine.Config{MemoryLimitPages: limitPages}, func(t *testing.T, eng engine.Engine) {
		srv := serveGuest(t, eng, "hostile.wasm", runtime.Config{})
		resp, body := srv.get(t, "/grow")
		require.Equal(t, http.StatusOK, resp.StatusCode)
		blocks, err := strconv.Atoi(body)
		require.NoError(t, err)
		require.Positive(t, blocks)
		require.Less(t, blocks, 4, "1 MiB blocks allocated under a 4 MiB limit")
	})
	enginetest.RunConfig(t, engine.Config{MemoryLimitPages: 1}, func(t *testing.T, eng engine.Engine) {
		// wazero refuses the module when compiling, wasmtime when
		// instantiating it; both say why.
		_, err := runtime.Load(context.Background(), eng, testguests.Read(t, "hostile.wasm"), runtime.Config{})
		var modErr *runtime.ModuleError
		require.ErrorAs(t, err, &modErr)
		require.Regexp(t, "(over|exceeds) (the )?(memory )?limit", err.Error())
	})
}
