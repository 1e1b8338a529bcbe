package wasmbin_test

// LEB128 numbers need not be minimal: a section size, a count or an index
// may be padded with continuation bytes, and Instrument must read them as
// wazero does.

import (
	"context"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/internal/wasmbin"
)

// padded5 encodes v as a five-byte unsigned LEB128.
func padded5(v uint32) []byte {
	return []byte{byte(v) | 0x80, byte(v>>7) | 0x80, byte(v>>14) | 0x80, byte(v>>21) | 0x80, byte(v >> 28)}
}

// TestInstrumentPaddedSectionSizes: padding every section size (as
// wat2wasm --no-canonicalize-leb128s does) changes nothing in the output.
func TestInstrumentPaddedSectionSizes(t *testing.T) {
	for _, name := range fixtureNames(t) {
		wasm := readFixture(t, name+".wasm")
		padded := append([]byte(nil), wasm[:8]...)
		for _, s := range parseSections(t, wasm) {
			padded = append(append(append(padded, s.id), padded5(uint32(len(s.payload)))...), s.payload...)
		}
		require.NoError(t, compile(padded), name)
		require.Equal(t, mustInstrument(t, wasm, 100), mustInstrument(t, padded, 100), name)
	}
}

// TestInstrumentPaddedImmediates: padded function, local, global and type
// indices and constants inside code keep their meaning.
func TestInstrumentPaddedImmediates(t *testing.T) {
	// (import "host" "add" (func (param i32 i32) (result i32)))
	// (global (mut i32) (i32.const 5))
	// (func $g (param i32) (result i32) ...)    ;; function 1
	// (func $f (export "f") (param i32) (result i32)
	//   local.get 0 (padded); call $g (padded); global.get 0 (padded); i32.add;
	//   i32.const 7 (padded); call $add (padded); i32.const 0 (padded);
	//   call_indirect (type 1, padded) ...
	types := []byte{0x02, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x01, 0x7f, 0x01, 0x7f}
	imports := slices.Concat([]byte{0x01, 0x04}, []byte("host"), []byte{0x03}, []byte("add"), []byte{0x00, 0x00})
	gBody := slices.Concat([]byte{0x00, 0x20}, padded5(0), []byte{0x41}, []byte{0xe4, 0x80, 0x80, 0x80, 0x00}, []byte{0x6a, 0x0b}) // x + 100
	fBody := slices.Concat(
		[]byte{0x00},
		[]byte{0x20}, padded5(0), // local.get 0
		[]byte{0x10}, padded5(1), // call $g
		[]byte{0x23}, padded5(0), // global.get 0
		[]byte{0x6a},
		[]byte{0x41, 0x87, 0x80, 0x80, 0x80, 0x00}, // i32.const 7
		[]byte{0x10}, padded5(0), // call $add (the import)
		[]byte{0x41, 0x80, 0x80, 0x80, 0x80, 0x00}, // i32.const 0
		[]byte{0x11}, padded5(1), padded5(0), // call_indirect (type 1) table 0: $g
		[]byte{0x0b},
	)
	code := slices.Concat([]byte{0x02}, uleb(uint64(len(gBody))), gBody, uleb(uint64(len(fBody))), fBody)
	wasm := module(
		section(1, types),
		section(2, imports),
		section(3, []byte{0x02, 0x01, 0x01}),
		section(4, []byte{0x01, 0x70, 0x00, 0x01}),
		section(6, []byte{0x01, 0x7f, 0x01, 0x41, 0x05, 0x0b}),
		section(7, []byte{0x01, 0x01, 'f', 0x00, 0x02}),
		section(9, slices.Concat([]byte{0x01, 0x00, 0x41, 0x00, 0x0b, 0x01}, padded5(1))),
		section(10, code),
	)
	require.NoError(t, compile(wasm))
	ctx := context.Background()
	want, err := mustGuest(t, wasm, nil).call(ctx, "f", 1)
	require.NoError(t, err)
	// ((1 + 100) + 5) + 7 = 113, then $g: 213.
	require.Equal(t, []uint64{213}, want)
	h := &host{}
	got, err := mustGuest(t, mustInstrumentCompiles(t, wasm, 100), h).call(ctx, "f", 1)
	require.NoError(t, err)
	require.Equal(t, want, got)
	require.Equal(t, []string{"add(106, 7)"}, h.logCopy())
}

// TestInstrumentPaddedValueBlockType documents a module wazero compiles
// although the spec calls it malformed: a value block type written as a
// padded negative s33 (0xff 0x7f for i32; the spec has value types as one
// byte). Instrument refuses it, saying why, rather than rewrite it into
// another type.
func TestInstrumentPaddedValueBlockType(t *testing.T) {
	wasm := funcModule([]byte{0x02, 0xff, 0x7f, 0x41, 0x01, 0x0b, 0x1a, 0x0b})
	require.NoError(t, compile(wasm), "wazero accepts the padded block type")
	_, err := wasmbin.Instrument(wasm, 100)
	require.ErrorContains(t, err, "block type -1: a value type padded to more than one byte is not supported")
}
