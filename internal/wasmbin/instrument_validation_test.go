package wasmbin_test

// Instrument runs on modules nobody has validated yet (the wazero engine
// adapter instruments before wazero compiles), so it must not turn an
// invalid module into a valid one: the indices it adds (the yield import,
// the original bodies after the wrappers, the budget and depth globals, the
// yield's type) would then be reachable by guest code that names them,
// which defeats both the depth bound and the yield budget.

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/internal/wasmbin"
)

// unaryModule is a module with one defined function, f: (i32) -> i32,
// exported as "f", with the given instructions (through the final end) as
// its body. extraExports are more export entries.
func unaryModule(body []byte, extraExports ...[]byte) []byte {
	exports := slices.Concat(append([][]byte{{byte(1 + len(extraExports)), 0x01, 'f', 0x00, 0x00}}, extraExports...)...)
	code := slices.Concat([]byte{0x01}, uleb(uint64(len(body)+1)), []byte{0x00}, body)
	return module(
		section(1, []byte{0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f}),
		section(3, []byte{0x01, 0x00}),
		section(7, exports),
		section(10, code),
	)
}

// recBody is f(n) = n <= 1 ? 1 : 1 + call callee(n-1).
func recBody(callee byte) []byte {
	return []byte{0x20, 0x00, 0x41, 0x01, 0x4c, 0x04, 0x7f, 0x41, 0x01, 0x05,
		0x41, 0x01, 0x20, 0x00, 0x41, 0x01, 0x6b, 0x10, callee, 0x6a, 0x0b, 0x0b}
}

// fibBody is f(n) = n < 2 ? n : call callee(n-1) + call callee(n-2).
func fibBody(callee byte) []byte {
	return []byte{0x20, 0x00, 0x41, 0x02, 0x48, 0x04, 0x7f, 0x20, 0x00, 0x05,
		0x20, 0x00, 0x41, 0x01, 0x6b, 0x10, callee,
		0x20, 0x00, 0x41, 0x02, 0x6b, 0x10, callee, 0x6a, 0x0b, 0x0b}
}

// TestInstrumentKeepsInvalidModulesInvalid: every module here is rejected
// by wazero because it names an index the module does not have; the
// instrumented module must be rejected too (or Instrument must fail).
//
// A regression test: Instrument used to renumber without checking that
// indices were in range, so out-of-range indices landed on what
// instrumentation added, and each case below then compiled; the failure
// message says what a guest gained.
func TestInstrumentKeepsInvalidModulesInvalid(t *testing.T) {
	const maxDepth = 100
	for _, c := range []struct {
		name   string
		wasm   []byte
		impact func(g *guest, h *host) string // what a guest gains
	}{
		{
			// Function 1 does not exist; after instrumentation it is f's
			// original body, which has no depth count and no entry check.
			name: "call of the function index after the last",
			wasm: unaryModule(recBody(1)),
			impact: func(g *guest, h *host) string {
				res, err := g.call(context.Background(), "f", 100*maxDepth)
				return fmt.Sprintf("f(%d) recursed %d frames deep with maxDepth %d: result %v, error %v",
					100*maxDepth, 100*maxDepth, maxDepth, res, err)
			},
		},
		{
			name: "loop-free recursion through the unwrapped body",
			wasm: unaryModule(fibBody(1)),
			impact: func(g *guest, h *host) string {
				res, err := g.call(context.Background(), "f", 25)
				return fmt.Sprintf("f(25) made 242785 calls (result %v, error %v) and yielded %d times instead of about %d: "+
					"an exponential recursion cannot be stopped at its deadline",
					res, err, h.yieldCount(), 242785/wasmbin.Budget)
			},
		},
		{
			// Global 0 does not exist; after instrumentation it is the budget.
			name: "global.set of the budget",
			wasm: unaryModule([]byte{
				0x03, 0x40, // loop
				0x41, 0xff, 0xff, 0xff, 0xff, 0x07, 0x24, 0x00, // global.set 0 (i32.const 0x7fffffff)
				0x20, 0x00, 0x41, 0x01, 0x6b, 0x22, 0x00, 0x0d, 0x00, // br_if 0 (local.tee 0 (n-1))
				0x0b, 0x41, 0x00, 0x0b,
			}),
			impact: func(g *guest, h *host) string {
				_, err := g.call(context.Background(), "f", 10*wasmbin.Budget)
				return fmt.Sprintf("a loop of %d iterations (error %v) yielded %d times instead of about 10: "+
					"an endless loop cannot be stopped at its deadline", 10*wasmbin.Budget, err, h.yieldCount())
			},
		},
		{
			// Global 1 does not exist; after instrumentation it is the
			// depth counter.
			name: "global.set of the depth counter",
			wasm: unaryModule(append([]byte{0x41, 0x00, 0x24, 0x01}, recBody(0)...)),
			impact: func(g *guest, h *host) string {
				res, err := g.call(context.Background(), "f", 100*maxDepth)
				return fmt.Sprintf("f(%d) resets the counter on entry and recursed %d frames deep with maxDepth %d: result %v, error %v",
					100*maxDepth, 100*maxDepth, maxDepth, res, err)
			},
		},
		{
			// Type 1 does not exist; after instrumentation it is the yield's
			// () -> i32.
			name: "block type index after the last type",
			wasm: unaryModule([]byte{0x02, 0x01, 0x41, 0x07, 0x0b, 0x0b}),
		},
		{
			// Export of function 1, which does not exist; after
			// instrumentation it is f's unwrapped body.
			name: "export of the function index after the last",
			wasm: unaryModule(recBody(0), []byte{0x01, 'g', 0x00, 0x01}),
			impact: func(g *guest, h *host) string {
				_, err := g.call(context.Background(), "g", 3)
				return fmt.Sprintf("the host can call f's unwrapped body as g (error %v)", err)
			},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			origErr := compile(c.wasm)
			require.Error(t, origErr, "the test module should be invalid")
			out, err := wasmbin.Instrument(c.wasm, maxDepth)
			if err != nil {
				return
			}
			if compile(out) != nil {
				return
			}
			impact := "none shown"
			if c.impact != nil {
				h := &host{}
				impact = c.impact(mustGuest(t, out, h), h)
			}
			require.Failf(t, "Instrument made an invalid module valid",
				"wazero rejects the original (%v) but compiles the instrumented module.\nImpact: %s", origErr, impact)
		})
	}
}
