package main

import (
	"fmt"
	"math"
	"slices"
)

// minConfidence is the coverage a median's interval aims for.
const minConfidence = 0.95

// interval is a distribution-free confidence interval for the median of a
// few noisy measurements (the sign-test interval): between the k-th
// smallest and the k-th largest value, where k is the largest rank whose
// interval still covers the true median with probability at least
// minConfidence, whatever the distribution. Fewer than 6 values cannot
// reach that; their interval is min–max, at the confidence it has.
type interval struct {
	Low        float64 `json:"low"`
	High       float64 `json:"high"`
	Confidence float64 `json:"confidence"`
}

func medianInterval(xs []float64) interval {
	n := len(xs)
	if n == 0 {
		return interval{}
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	k := 1
	for k+1 <= (n+1)/2 && coverage(n, k+1) >= minConfidence {
		k++
	}
	return interval{Low: s[k-1], High: s[n-k], Confidence: coverage(n, k)}
}

// coverage is the probability that the k-th smallest and k-th largest of
// n values bracket their distribution's median: 1 - 2·P(Bin(n, ½) < k).
func coverage(n, k int) float64 {
	tail := 0.0
	for i := range k {
		tail += binomialHalf(n, i)
	}
	return max(0, 1-2*tail)
}

// binomialHalf is P(Bin(n, ½) = i).
func binomialHalf(n, i int) float64 {
	lg := func(x int) float64 { v, _ := math.Lgamma(float64(x + 1)); return v }
	return math.Exp(lg(n) - lg(i) - lg(n-i) - float64(n)*math.Ln2)
}

// String is "0.83–0.89 (98%)".
func (iv interval) String() string {
	return fmt.Sprintf("%.2f–%.2f (%.0f%%)", iv.Low, iv.High, math.Floor(iv.Confidence*100))
}
