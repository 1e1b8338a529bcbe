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
