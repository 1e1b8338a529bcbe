package runtime_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/hostfuncs"
	"github.com/civetbox/civetbox/internal/enginetest"
	"github.com/civetbox/civetbox/runtime"
	"github.com/civetbox/civetbox/runtime/engine"
)

// report gets path from the wasienv guest and returns its "key=value" lines;
// a repeated key keeps every value, in order.
func report(t *testing.T, srv *guestServer, path string) map[string][]string {
	t.Helper()
	resp, body := srv.get(t, path)
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	lines := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSuffix(body, "\n"), "\n") {
		k, v, ok := strings.Cut(line, "=")
		require.True(t, ok, "line %q", line)
		lines[k] = append(lines[k], v)
	}
	return lines
}

// number returns the single integer value of key.
func number(t *testing.T, lines map[string][]string, key string) int64 {
	t.Helper()
	require.Len(t, lines[key], 1, key)
	n, err := strconv.ParseInt(lines[key][0], 10, 64)
	require.NoError(t, err, key)
	return n
}

// TestWASIEnv: a guest sees exactly the configured environment, in order,
// and nothing by default (the host's own environment never leaks).
func TestWASIEnv(t *testing.T) {
	t.Setenv("X", "from the host")
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		modes(t, func(t *testing.T, mode runtime.Mode) {
			env := []string{"X=hello world", "EMPTY=", "EQ=a=b"}
			srv := serveGuest(t, eng, "wasienv.wasm", runtime.Config{Mode: mode, Env: env})
			for range 2 { // a pooled instance answers the same the second time
				got := report(t, srv, "/env")
				require.Equal(t, []string{"hello world"}, got["X"])
				require.Equal(t, env, got["entry"])
				require.Equal(t, int64(3), number(t, got, "count"))
			}

			srv = serveGuest(t, eng, "wasienv.wasm", runtime.Config{Mode: mode})
			got := report(t, srv, "/env")
			require.Equal(t, []string{"(unset)"}, got["X"])
			require.Empty(t, got["entry"])
			require.Equal(t, int64(0), number(t, got, "count"))
		})
	})
}

// TestWASIClock: clocks are fake by default (in 2022, whatever the date)
// and the host's when the module opts in; a sleep lasts as long by the
// guest's monotonic clock either way.
func TestWASIClock(t *testing.T) {
	const slept = 50 * time.Millisecond
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		t.Run("fake by default", func(t *testing.T) {
			got := report(t, serveGuest(t, eng, "wasienv.wasm", runtime.Config{}), "/clock")
			now := time.Unix(number(t, got, "time"), 0).UTC()
			require.Equal(t, 2022, now.Year(), "time(NULL) = %s", now)
			require.WithinDuration(t, hostfuncs.ClockEpoch, now, time.Minute)
			require.Equal(t, 2022, time.Unix(0, number(t, got, "realtime")).UTC().Year())
			require.GreaterOrEqual(t, time.Duration(number(t, got, "slept")), slept)
			require.Less(t, time.Duration(number(t, got, "slept")), slept+10*time.Millisecond, "fake time moves only by reads and sleeps")
		})
		t.Run("real", func(t *testing.T) {
			got := report(t, serveGuest(t, eng, "wasienv.wasm", runtime.Config{RealClock: true}), "/clock")
			require.WithinDuration(t, time.Now(), time.Unix(number(t, got, "time"), 0), 5*time.Second)
			realtime := number(t, got, "realtime")
			require.WithinDuration(t, time.Now(), time.Unix(0, realtime), 5*time.Second)
			require.Zero(t, realtime%int64(time.Millisecond), "coarsened to 1 ms")
			require.GreaterOrEqual(t, time.Duration(number(t, got, "slept")), slept)
			require.Less(t, time.Duration(number(t, got, "slept")), 5*time.Second)
		})
	})
}

// TestWASIEnvInvalid: an environment getenv could not read back as written
// is refused before anything loads.
func TestWASIEnvInvalid(t *testing.T) {
	for _, env := range [][]string{{"NOEQUALS"}, {"=value"}, {"A=b\x00c"}, {"A=1", "A=2"}} {
		err := runtime.Config{Env: env}.Validate()
		require.Error(t, err, "%q", env)
		require.Contains(t, err.Error(), "environment", "%q", env)
	}
	require.NoError(t, runtime.Config{Env: []string{"A=", "B=c=d"}}.Validate())
}
