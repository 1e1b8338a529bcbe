package gcfloor_test

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/internal/gcfloor"
)

const mib = 1 << 20

func TestPercent(t *testing.T) {
	for _, tc := range []struct {
		floor, live uint64
		want        int
	}{
		{16 * mib, 0, 400},                            // the runtime's minimum decides: 4 MiB x 4
		{16 * mib, 1 * mib, 400},                      // 1 MiB x 5 = 5 MiB is under the floor
		{16 * mib, 6 * mib, 166},                      // 6 MiB x 2.66 = 16 MiB
		{16 * mib, 8 * mib, 100},                      // the default already reaches it
		{16 * mib, 100 * mib, 100},                    // large heaps: the default
		{4 * mib, 1 * mib, 100},                       // no floor above the runtime's minimum
		{0, 1 * mib, 100},                             // none
		{64 * mib, 2 * mib, 1600},                     // 4 MiB x 16 = 64 MiB, under 2 MiB x 17
		{64 * mib, 10 * mib, 540},                     // 10 MiB x 6.4 = 64 MiB
		{1 << 40, 1 * mib, 1 << 40 * 100 / (4 * mib)}, // huge floors stay in range
	} {
		require.Equal(t, tc.want, gcfloor.Percent(tc.floor, tc.live), "floor %d MiB, live %d MiB", tc.floor/mib, tc.live/mib)
	}
}

func readUint(name string) uint64 {
	s := []metrics.Sample{{Name: name}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// gogc is the current GOGC.
func gogc() int { return int(readUint("/gc/gogc:percent")) }

// TestFloor_followsTheLiveHeap: with a small live heap the goal is raised to
// the floor; once the live heap is large the default applies again; Stop
// restores what Start found.
func TestFloor_followsTheLiveHeap(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(150))
	runtime.GC()
	f := gcfloor.Start(32 * mib)
	defer f.Stop()
	runtime.GC()
	require.Eventually(t, func() bool { runtime.GC(); return gogc() == 800 }, 5*time.Second, 10*time.Millisecond,
		"GOGC %d with a small live heap", gogc())
	require.GreaterOrEqual(t, readUint("/gc/heap/goal:bytes"), uint64(32*mib))

	live := make([]byte, 64*mib) // noscan: no RSS until touched
	require.Eventually(t, func() bool { runtime.GC(); return gogc() == 100 }, 5*time.Second, 10*time.Millisecond,
		"GOGC %d with a 64 MiB live heap", gogc())
	runtime.KeepAlive(live)

	f.Stop()
	require.Equal(t, 150, gogc(), "Stop restores GOGC")
	runtime.GC()
	runtime.GC()
	require.Equal(t, 150, gogc(), "nothing adjusts GOGC after Stop")
	f.Stop() // twice is harmless
}
