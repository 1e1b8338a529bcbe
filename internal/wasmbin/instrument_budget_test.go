package wasmbin_test

// The yield budget: instrumented code calls civetbox_internal.yield once
// every wasmbin.Budget loop iterations and function entries, takes the
// yield's result as its next budget, and stops when the yield panics.

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/internal/wasmbin"
)

// recursionGuest instantiates the instrumented recursion fixture afresh,
// with a full budget.
func recursionGuest(t *testing.T, maxDepth uint32, h *host) *guest {
	t.Helper()
	return mustGuest(t, mustInstrument(t, readFixture(t, "recursion.wasm"), maxDepth), h)
}

func mustCall(t *testing.T, g *guest, fn string, args ...uint64) []uint64 {
	t.Helper()
	res, err := g.call(context.Background(), fn, args...)
	require.NoError(t, err, "%s%v", fn, args)
	return res
}

// TestInstrumentYieldBudget counts the yields of loops and of loop-free
// call trees: one per Budget loop iterations and calls, give or take one.
func TestInstrumentYieldBudget(t *testing.T) {
	const B = wasmbin.Budget
	fib := func(n int) int {
		a, b := 0, 1
		for range n {
			a, b = b, a+b
		}
		return a
	}
	for _, c := range []struct {
		name   string
		fn     string
		arg    uint64
		checks int // loop iterations plus function entries
	}{
		{"short loop", "spin", B - 2, B - 1},
		{"loop", "spin", 5*B + 123, 5*B + 124},
		{"long loop", "spin", 40*B + 7, 40*B + 8},
		{"loop calling a function", "leaf_loop", 3 * B, 6*B + 1},
		{"loop-free recursion", "fib", 26, 2*fib(27) - 1},
		{"deep loop-free recursion", "rec", 4000, 4000},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := &host{}
			g := recursionGuest(t, 1<<20, h)
			mustCall(t, g, c.fn, c.arg)
			require.InDelta(t, float64(c.checks)/B, float64(h.yieldCount()), 1,
				"%d budget checks made %d yields", c.checks, h.yieldCount())
			require.Zero(t, g.depth(t))
		})
	}
}

// TestInstrumentYieldBudgetSpansCalls: the budget is the instance's, not
// the call's: short calls add up to yields too.
func TestInstrumentYieldBudgetSpansCalls(t *testing.T) {
	h := &host{}
	g := recursionGuest(t, 100, h)
	for range 8 {
		mustCall(t, g, "spin", wasmbin.Budget/4)
	}
	require.InDelta(t, 2, h.yieldCount(), 1)
	require.Equal(t, uint64(2*wasmbin.Budget), g.global(t, "iters"))
}

// TestInstrumentYieldSetsBudget: what yield returns is the number of checks
// until the next yield.
func TestInstrumentYieldSetsBudget(t *testing.T) {
	const next = 1000
	h := &host{onYield: func(context.Context, int) int32 { return next }}
	g := recursionGuest(t, 100, h)
	mustCall(t, g, "spin", wasmbin.Budget+10*next+5)
	// The first yield comes after the initial Budget, the others every next.
	require.InDelta(t, 11, h.yieldCount(), 1)

	h2 := &host{onYield: func(context.Context, int) int32 { return 1 << 30 }}
	g2 := recursionGuest(t, 100, h2)
	mustCall(t, g2, "spin", 30*wasmbin.Budget)
	require.Equal(t, 1, h2.yieldCount(), "a large budget postpones the next yield")
}

var errStop = errors.New("stop the guest")

// TestInstrumentYieldPanicStopsGuest: a yield that panics ends the guest's
// call with an error that wraps what it panicked with, in loops and in
// loop-free recursion alike.
func TestInstrumentYieldPanicStopsGuest(t *testing.T) {
	h := &host{onYield: func(_ context.Context, n int) int32 {
		if n == 3 {
			panic(errStop)
		}
		return wasmbin.Budget
	}}
	g := recursionGuest(t, 100, h)
	_, err := g.call(context.Background(), "spin", 10*wasmbin.Budget)
	require.ErrorIs(t, err, errStop)
	require.Equal(t, 3, h.yieldCount())
	iters := g.global(t, "iters")
	require.InDelta(t, 3*wasmbin.Budget, float64(iters), 2, "the loop stopped at the third yield")

	h2 := &host{onYield: func(context.Context, int) int32 { panic(errStop) }}
	g2 := recursionGuest(t, 1000, h2)
	_, err = g2.call(context.Background(), "fib", 30)
	require.ErrorIs(t, err, errStop)
	require.Equal(t, 1, h2.yieldCount())
}

// TestInstrumentDeadline: with a yield like the engine's, which stops the
// guest once its context is done, endless loops and exponential loop-free
// recursion both end soon after the deadline.
func TestInstrumentDeadline(t *testing.T) {
	deadlineYield := func(ctx context.Context, _ int) int32 {
		if err := ctx.Err(); err != nil {
			panic(err)
		}
		return wasmbin.Budget
	}
	for _, c := range []struct {
		fn  string
		arg uint64
	}{
		{"spin", 0xffffffff}, // 4 billion iterations
		{"fib", 60},          // 3e12 calls
	} {
		t.Run(c.fn, func(t *testing.T) {
			g := recursionGuest(t, 1000, &host{onYield: deadlineYield, onlyYieldStops: true})
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			start := time.Now()
			_, err := g.call(ctx, c.fn, c.arg)
			require.ErrorIs(t, err, context.DeadlineExceeded)
			require.Less(t, time.Since(start), 5*time.Second)
		})
	}
}
