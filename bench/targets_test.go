package main

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestJudge(t *testing.T) {
	for _, c := range []struct {
		atLeast             bool
		goal, low, mid, top float64
		holds               bool
		verdict             string
	}{
		{atLeast: true, goal: 0.9, low: 0.91, mid: 0.95, top: 0.99, holds: true, verdict: "holds"},
		{atLeast: true, goal: 0.9, low: 0.87, mid: 0.90, top: 0.91, holds: true, verdict: "holds, within noise"},
		{atLeast: true, goal: 0.9, low: 0.77, mid: 0.86, top: 0.90, holds: false, verdict: "missed, within noise"},
		{atLeast: true, goal: 0.9, low: 0.70, mid: 0.80, top: 0.89, holds: false, verdict: "MISSED"},
		{atLeast: false, goal: 1.5, low: 0.8, mid: 1.1, top: 1.3, holds: true, verdict: "holds"},
		{atLeast: false, goal: 1.5, low: 1.3, mid: 1.42, top: 1.59, holds: true, verdict: "holds, within noise"},
		{atLeast: false, goal: 1.5, low: 1.4, mid: 1.6, top: 1.7, holds: false, verdict: "missed, within noise"},
		{atLeast: false, goal: 1.5, low: 1.51, mid: 1.6, top: 1.7, holds: false, verdict: "MISSED"},
	} {
		o := outcome{Value: c.mid, interval: interval{Low: c.low, High: c.top}}
		o.judge(c.atLeast, c.goal)
		require.Equal(t, c.holds, o.Holds, "%+v", c)
		require.Equal(t, c.verdict, o.Verdict, "%+v", c)
	}
}

// TestBestCivetbox: the best mode is the one with the highest paired ratio
// to native Go, not the one whose median req/s happens to be highest.
func TestBestCivetbox(t *testing.T) {
	r := &report{Results: []result{
		{Scenario: "hello-64", Server: nativeGo, Rounds: []round{{RPS: 100}, {RPS: 100}, {RPS: 50}}},
		{Scenario: "hello-64", Server: "wazero pooled", Rounds: []round{{RPS: 88}, {RPS: 80}, {RPS: 40}}},   // median 80; ratio 0.80
		{Scenario: "hello-64", Server: "wasmtime pooled", Rounds: []round{{RPS: 75}, {RPS: 85}, {RPS: 45}}}, // median 75; ratio 0.85
	}}
	r.finish()
	best, ok := bestCivetbox(r, "hello-64")
	require.True(t, ok)
	require.Equal(t, "wasmtime pooled", best, "wazero has the higher median req/s, wasmtime the higher ratio")
}
