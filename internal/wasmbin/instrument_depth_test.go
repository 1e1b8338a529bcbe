package wasmbin_test

// The call-depth bound: maxDepth nested calls of defined functions succeed,
// one more executes unreachable, however the recursion goes (direct,
// mutual, call_indirect, through the host).

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestInstrumentDepthBound recurses to exactly maxDepth frames and one
// beyond, in every way the recursion fixture can.
func TestInstrumentDepthBound(t *testing.T) {
	for _, maxDepth := range []uint32{1, 2, 300, 10000} {
		t.Run(fmt.Sprint(maxDepth), func(t *testing.T) {
			g := recursionGuest(t, maxDepth, nil)
			D := uint64(maxDepth)
			for _, c := range []struct {
				fn         string
				okArg      uint64 // makes exactly maxDepth frames
				result     uint64
				overflowOK bool
			}{
				{"rec", D, D, true},
				{"ind_rec", D, D, true},
				{"even", D - 1, (D - 1 + 1) % 2, true}, // even(n) is n+1 frames
				{"odd", D - 1, (D - 1) % 2, true},
			} {
				res := mustCall(t, g, c.fn, c.okArg)
				require.Equal(t, []uint64{c.result}, res, "%s(%d)", c.fn, c.okArg)
				require.Zero(t, g.depth(t), "%s(%d): depth after the call", c.fn, c.okArg)

				_, err := g.call(context.Background(), c.fn, c.okArg+1)
				require.ErrorContains(t, err, "unreachable", "%s(%d) is maxDepth+1 frames", c.fn, c.okArg+1)
				// The engine adapter tells a depth overflow from other
				// unreachables by the counter left above the bound.
				require.Equal(t, maxDepth+1, g.depth(t), "%s(%d): depth after the trap", c.fn, c.okArg+1)
				g.resetDepth(t)
			}
		})
	}
}

// TestInstrumentDepthThroughHost: a call that reenters the guest through a
// host function counts the frames on both sides of the host.
func TestInstrumentDepthThroughHost(t *testing.T) {
	const maxDepth = 15
	g := mustGuest(t, mustInstrument(t, readFixture(t, "imports.wasm"), maxDepth), nil)
	// The start function ran and returned: depth 0.
	require.Zero(t, g.depth(t))
	// reentry_target(n) is n+1 nested guest frames, with a host frame
	// between every two.
	res := mustCall(t, g, "reentry_target", maxDepth-1)
	require.Equal(t, []uint64{maxDepth - 1}, res)
	require.Zero(t, g.depth(t))
	_, err := g.call(context.Background(), "reentry_target", maxDepth)
	require.ErrorContains(t, err, "unreachable")
}

// TestInstrumentDepthUninstrumented: without instrumentation the same
// recursions go well beyond any bound used here, so the traps above are
// the instrumentation's.
func TestInstrumentDepthUninstrumented(t *testing.T) {
	g := mustGuest(t, readFixture(t, "recursion.wasm"), nil)
	for _, fn := range []string{"rec", "ind_rec", "even", "odd"} {
		mustCall(t, g, fn, 20001)
	}
}

// TestInstrumentDepthAfterTrap documents that a trap does not unwind the
// counter: the frames the trap abandoned stay counted, so an instance that
// trapped must not be reused (the runtime's pool reuses an instance only
// after a clean request). Successful calls after the trap work while the
// leftover count leaves room.
func TestInstrumentDepthAfterTrap(t *testing.T) {
	const maxDepth = 10
	g := mustGuest(t, mustInstrument(t, readFixture(t, "control.wasm"), maxDepth), nil)
	for i := range maxDepth {
		_, err := g.call(context.Background(), "unreach", 1)
		require.ErrorContains(t, err, "unreachable")
		require.Equal(t, uint32(i+1), g.depth(t))
	}
	// Ten abandoned frames: the next call is the eleventh.
	_, err := g.call(context.Background(), "unreach", 0)
	require.ErrorContains(t, err, "unreachable")
	g.resetDepth(t)
	require.Equal(t, []uint64{1}, mustCall(t, g, "unreach", 0))
}

// TestInstrumentLargeMaxDepth: every uint32 is a valid bound, including
// those of 2^31 and above, which do not fit an i32.const as a positive
// number and must be encoded as the negative i32 with the same bits (the
// comparison is unsigned). A regression test: they used to be encoded as a
// 64-bit SLEB, which wazero rejects ("overflows a 32-bit integer").
func TestInstrumentLargeMaxDepth(t *testing.T) {
	for _, maxDepth := range []uint32{math.MaxInt32, math.MaxInt32 + 1, 3_000_000_000, math.MaxUint32} {
		t.Run(fmt.Sprint(maxDepth), func(t *testing.T) {
			g, err := newGuest(t, context.Background(), mustInstrumentCompiles(t, readFixture(t, "recursion.wasm"), maxDepth), &host{})
			require.NoError(t, err)
			require.Equal(t, []uint64{20000}, mustCall(t, g, "rec", 20000))
			require.Zero(t, g.depth(t))
		})
	}
}
