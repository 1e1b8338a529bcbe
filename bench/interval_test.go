package main

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestMedianInterval(t *testing.T) {
	seq := func(n int) []float64 {
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = float64(n - i) // unsorted on purpose
		}
		return xs
	}
	for _, c := range []struct {
		n          int
		low, high  float64
		confidence float64
	}{
		{n: 1, low: 1, high: 1, confidence: 0},
		{n: 3, low: 1, high: 3, confidence: 0.75},         // 1 - 2/8: too few for 95%
		{n: 7, low: 1, high: 7, confidence: 0.984375},     // 1 - 2/128
		{n: 21, low: 6, high: 16, confidence: 0.97339630}, // 1 - 2·27896/2²¹; ranks 7–15 would cover only 92%
	} {
		iv := medianInterval(seq(c.n))
		require.Equal(t, c.low, iv.Low, "n=%d", c.n)
		require.Equal(t, c.high, iv.High, "n=%d", c.n)
		require.InDelta(t, c.confidence, iv.Confidence, 1e-6, "n=%d", c.n)
	}
	require.Equal(t, interval{}, medianInterval(nil))
}

func TestMedianInterval_neverBelowItsLevelWhenItCanBe(t *testing.T) {
	for n := 6; n <= 60; n++ {
		iv := medianInterval(make([]float64, n))
		require.GreaterOrEqual(t, iv.Confidence, minConfidence, "n=%d", n)
	}
}

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
