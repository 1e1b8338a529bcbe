package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/internal/toolchain"
)

// TestQuick runs the command's smoke mode end to end: every server builds,
// starts, answers and is measured, and the three result files are written.
func TestQuick(t *testing.T) {
	toolchain.Wrk(t)
	toolchain.NativeCivetWeb(t)
	o := parseFlags([]string{"-quick", "-out", t.TempDir()})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var out bytes.Buffer
	require.NoError(t, run(ctx, o, &out), out.String())
	t.Log(out.String())

	var rep report
	js, err := os.ReadFile(filepath.Join(o.out, "results.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(js, &rep))
	require.Len(t, rep.Results, len(serversFor(scenarios[0])))
	for _, res := range rep.Results {
		require.Positive(t, res.RPS, res.Server)
		require.Positive(t, res.PeakRSS, res.Server)
		require.Zero(t, res.Errors, res.Server)
	}
	require.NotEmpty(t, rep.Targets)
	svg, err := os.ReadFile(filepath.Join(o.out, "results.svg"))
	require.NoError(t, err)
	require.Contains(t, string(svg), "wasmtime fresh")
}

const wrkSample = `Running 1s test @ http://127.0.0.1:40123/hello
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.40ms    2.01ms  30.21ms   91.02%
    Req/Sec    23.86k     3.10k   28.46k    70.00%
  Latency Distribution
     50%  812.00us
     75%    1.40ms
     90%    2.80ms
     99%    1.02s
  47452 requests in 1.00s, 5.57MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 4
Requests/sec:  47428.13
Transfer/sec:      5.57MB
`

func TestParseWrk(t *testing.T) {
	r, err := parseWrk(wrkSample)
	require.NoError(t, err)
	require.Equal(t, round{RPS: 47428.13, P50ms: 0.812, P99ms: 1020, Requests: 47452, Errors: 9}, r)

	_, err = parseWrk("unable to connect to 127.0.0.1:1 Connection refused\n")
	require.Error(t, err)
}

func TestRoundOrderAlternates(t *testing.T) {
	require.Equal(t, []int{0, 1, 2}, roundOrder(3, 0))
	require.Equal(t, []int{2, 1, 0}, roundOrder(3, 1))
}

// TestPairedRatio: a slowdown that hits every server in a round cancels.
func TestPairedRatio(t *testing.T) {
	a := &result{Rounds: []round{{RPS: 50}, {RPS: 10}, {RPS: 40}}}
	b := &result{Rounds: []round{{RPS: 100}, {RPS: 20}, {RPS: 100}}}
	require.InDelta(t, 0.5, pairedRatio(a, b, func(r round) float64 { return r.RPS }), 1e-9)
}
