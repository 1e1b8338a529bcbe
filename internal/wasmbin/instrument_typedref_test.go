package wasmbin_test

// Typed reference value types, (ref null? heaptype) encoded as 0x63 or
// 0x64 followed by a heap type, belong to the typed function references
// proposal, which civetbox does not enable; but wazero v1.12 accepts them
// in function types, locals, block types and element segments with just
// the 2.0 core features. Instrument must then either refuse the module as
// unsupported, or rewrite it correctly. A regression test: its code reader
// used to take the heap type byte of a block type for an instruction, so
// what followed was misread, and the rewrite changed what the code does.

import (
	"context"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/internal/wasmbin"
)

// typedRefModule is a module of n function types, all () -> () but the
// first, which is f's, with f exported and the given locals and body.
func typedRefModule(n int, fType []byte, locals []byte, body []byte) []byte {
	types := append([]byte{byte(n)}, fType...)
	for range n - 1 {
		types = append(types, 0x60, 0x00, 0x00)
	}
	fn := slices.Concat(locals, body)
	return module(
		section(1, types),
		section(3, []byte{0x01, 0x00}),
		section(7, []byte{0x01, 0x01, 'f', 0x00, 0x00}),
		section(10, slices.Concat([]byte{0x01}, uleb(uint64(len(fn))), fn)),
	)
}

// requireRefusedOrCompiles instruments a module wazero compiles: Instrument
// must refuse it as unsupported, or its output must compile. It returns
// the output, nil when refused.
func requireRefusedOrCompiles(t *testing.T, wasm []byte) []byte {
	t.Helper()
	require.NoError(t, compile(wasm), "wazero should compile the test module")
	out, err := wasmbin.Instrument(wasm, 100)
	if err != nil {
		require.ErrorContains(t, err, "not supported", "a module wazero compiles is refused for another reason")
		return nil
	}
	require.NoError(t, compile(out), "wazero compiles the original but not the instrumented module")
	return out
}

func TestInstrumentTypedReferenceTypes(t *testing.T) {
	voidType := []byte{0x60, 0x00, 0x00}

	t.Run("a block type's heap type hides a loop from the budget", func(t *testing.T) {
		// wazero reads:                     Instrument reads:
		//   block (result (ref null 2))       block 0x63; block 0x20
		//     local.get 0                     unreachable
		//   end; drop                         end; drop
		//   block (result (ref null 40))      block 0x63
		//     loop                            i32.load align=3 offset=0x40
		//       ... 10*Budget iterations      ...
		//     end                             end
		//     local.get 1                     local.get 1
		//   end; drop; end                    end; drop; end
		// so the loop gets no budget check.
		body := slices.Concat(
			[]byte{0x02, 0x63, 0x02, 0x20, 0x00, 0x0b, 0x1a},
			[]byte{0x02, 0x63, 0x28, 0x03, 0x40},
			[]byte{0x20, 0x02, 0x41, 0x01, 0x6a, 0x22, 0x02, 0x41}, uleb(10*wasmbin.Budget), []byte{0x49, 0x0d, 0x00, 0x0b},
			[]byte{0x20, 0x01, 0x0b, 0x1a, 0x0b},
		)
		locals := []byte{0x03, 0x01, 0x63, 0x02, 0x01, 0x63, 0x28, 0x01, 0x7f} // (ref null 2), (ref null 40), i32
		out := requireRefusedOrCompiles(t, typedRefModule(41, voidType, locals, body))
		if out == nil {
			return
		}
		h := &host{}
		g := mustGuest(t, out, h)
		mustCall(t, g, "f")
		require.InDelta(t, 10, h.yieldCount(), 1,
			"a loop of %d iterations yielded %d times: an endless loop like it cannot be stopped", 10*wasmbin.Budget, h.yieldCount())
	})

	t.Run("a block type's heap type turns unreachable into nop", func(t *testing.T) {
		// block (result (ref null 16)) unreachable local.get 0 end drop i32.const 42:
		// Instrument reads the heap type 16 as call and renumbers the
		// "function index" 0, unreachable, to 1, nop.
		i32Result := []byte{0x60, 0x00, 0x01, 0x7f}
		locals := []byte{0x01, 0x01, 0x63, 0x10}
		body := []byte{0x02, 0x63, 0x10, 0x00, 0x20, 0x00, 0x0b, 0x1a, 0x41, 0x2a, 0x0b}
		wasm := typedRefModule(17, i32Result, locals, body)
		out := requireRefusedOrCompiles(t, wasm)
		if out == nil {
			return
		}
		_, origErr := mustGuest(t, wasm, nil).call(context.Background(), "f")
		require.ErrorContains(t, origErr, "unreachable")
		res, err := mustGuest(t, out, nil).call(context.Background(), "f")
		require.Equal(t, trapText(origErr), trapText(err), "the original traps; the instrumented f returned %v", res)
	})

	t.Run("a typed local and block type", func(t *testing.T) {
		// block (result (ref null 3)) local.get 0 end drop: the heap type 3
		// reads as loop.
		locals := []byte{0x01, 0x01, 0x63, 0x03}
		requireRefusedOrCompiles(t, typedRefModule(4, voidType, locals, []byte{0x02, 0x63, 0x03, 0x20, 0x00, 0x0b, 0x1a, 0x0b}))
	})

	t.Run("an element segment of type (ref func)", func(t *testing.T) {
		// The spec test typed-function-references/elem.29.wasm: flags 6,
		// element type 0x64 0x70. Instrument takes 0x70 for the count.
		wasm := module(
			section(1, []byte{0x01, 0x60, 0x00, 0x00}),
			section(3, []byte{0x01, 0x00}),
			section(4, []byte{0x01, 0x70, 0x00, 0x01}),
			section(9, []byte{0x01, 0x06, 0x00, 0x41, 0x00, 0x0b, 0x64, 0x70, 0x01, 0xd2, 0x00, 0x0b}),
			section(10, []byte{0x01, 0x02, 0x00, 0x0b}),
		)
		requireRefusedOrCompiles(t, wasm)
	})
}
