package wasmbin_test

// What Instrument refuses: instructions of the proposals civetbox leaves
// off, named in the error; and malformed input, which must give an error,
// never a panic.

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/internal/wasmbin"
)

// TestInstrumentRejectsDisabledFeatures: the fixtures under reject/ (built
// by build.sh with the proposal enabled) use one disabled instruction each.
func TestInstrumentRejectsDisabledFeatures(t *testing.T) {
	for name, op := range map[string]string{
		"atomics":              "0xfe",
		"fence":                "0xfe",
		"return_call":          "0x12",
		"return_call_indirect": "0x13",
		"exceptions":           "0x06", // try, the first
		"throw":                "0x08",
		"call_ref":             "0x14",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := wasmbin.Instrument(readFixture(t, filepath.Join("reject", name+".wasm")), 100)
			require.Error(t, err)
			require.ErrorContains(t, err, "instruction "+op+" is not supported")
		})
	}
}

// TestInstrumentRejectsDisabledOpcodes puts each disabled opcode at the
// start of a function body, where the error must name it.
func TestInstrumentRejectsDisabledOpcodes(t *testing.T) {
	for _, c := range []struct {
		name string
		code []byte
		want string
	}{
		{"try", []byte{0x06, 0x40}, "0x06"},
		{"catch", []byte{0x07, 0x00}, "0x07"},
		{"throw", []byte{0x08, 0x00}, "0x08"},
		{"rethrow", []byte{0x09, 0x00}, "0x09"},
		{"throw_ref", []byte{0x0a}, "0x0a"},
		{"return_call", []byte{0x12, 0x00}, "0x12"},
		{"return_call_indirect", []byte{0x13, 0x00, 0x00}, "0x13"},
		{"call_ref", []byte{0x14, 0x00}, "0x14"},
		{"return_call_ref", []byte{0x15, 0x00}, "0x15"},
		{"delegate", []byte{0x18, 0x00}, "0x18"},
		{"catch_all", []byte{0x19}, "0x19"},
		{"try_table", []byte{0x1f, 0x40, 0x00}, "0x1f"},
		{"ref.eq", []byte{0xd3}, "0xd3"},
		{"ref.as_non_null", []byte{0xd4}, "0xd4"},
		{"br_on_null", []byte{0xd5, 0x00}, "0xd5"},
		{"br_on_non_null", []byte{0xd6, 0x00}, "0xd6"},
		{"GC struct.new", []byte{0xfb, 0x00, 0x00}, "0xfb"},
		{"GC ref.i31", []byte{0x41, 0x00, 0xfb, 0x1c}, "0xfb"},
		{"GC array.len", []byte{0xfb, 0x0f}, "0xfb"},
		{"atomic.notify", []byte{0xfe, 0x00, 0x02, 0x00}, "0xfe"},
		{"i32.atomic.load", []byte{0x41, 0x00, 0xfe, 0x10, 0x02, 0x00}, "0xfe"},
		{"atomic.fence", []byte{0xfe, 0x03, 0x00}, "0xfe"},
		{"unknown 0xfc 18", []byte{0xfc, 0x12}, "0xfc 18"},
		{"unknown single-byte 0x27", []byte{0x27}, "0x27"},
		{"unknown single-byte 0xc5", []byte{0xc5}, "0xc5"},
	} {
		t.Run(c.name, func(t *testing.T) {
			// A valid prologue (a loop, a call) so the opcode is not first.
			body := slices.Concat([]byte{0x03, 0x40, 0x0b, 0x10, 0x00}, c.code, []byte{0x0b})
			_, err := wasmbin.Instrument(funcModule(body), 100)
			require.ErrorContains(t, err, c.want)
			require.ErrorContains(t, err, "not supported")
		})
	}
}

// funcModule is a module with one () -> () function whose body, after no
// locals, is code (through the final end).
func funcModule(code []byte) []byte {
	fn := append([]byte{0x00}, code...)
	return module(
		section(1, []byte{0x01, 0x60, 0x00, 0x00}),
		section(3, []byte{0x01, 0x00}),
		section(10, slices.Concat([]byte{0x01}, uleb(uint64(len(fn))), fn)),
	)
}

// TestInstrumentRejectsGCTypes: a type section with GC composite types
// (rec groups, structs, arrays) is refused.
func TestInstrumentRejectsGCTypes(t *testing.T) {
	for name, types := range map[string][]byte{
		"rec":    {0x01, 0x4e, 0x01, 0x60, 0x00, 0x00},
		"struct": {0x01, 0x5f, 0x00},
		"array":  {0x01, 0x5e, 0x7f, 0x00},
		"sub":    {0x01, 0x50, 0x00, 0x60, 0x00, 0x00},
	} {
		_, err := wasmbin.Instrument(module(section(1, types)), 100)
		require.ErrorContains(t, err, "is not a function type", name)
	}
}

// TestInstrumentNotWasm: no header, another version, nothing at all.
func TestInstrumentNotWasm(t *testing.T) {
	for _, in := range [][]byte{nil, {}, []byte("\x00as"), []byte("\x00asm\x02\x00\x00\x00"), []byte("\x00asm\x01\x00\x00\x00"[:7]),
		[]byte("\x00asm\x0d\x00\x01\x00"), []byte("#!/bin/sh\n")} {
		_, err := wasmbin.Instrument(in, 100)
		require.True(t, errors.Is(err, wasmbin.ErrNotWasm), "%q: %v", in, err)
	}
}

// TestInstrumentTruncated cuts every fixture (and a sample of spec test
// modules) at every length: a cut inside a section must be an error, a cut
// between sections leaves a shorter module that Instrument may accept.
func TestInstrumentTruncated(t *testing.T) {
	inputs := map[string][]byte{}
	for _, name := range fixtureNames(t) {
		inputs[name] = readFixture(t, name+".wasm")
	}
	for _, m := range spectestSample(t, 40) {
		inputs[m.path] = m.wasm
	}
	for name, wasm := range inputs {
		ends := sectionEnds(t, wasm)
		for n := range len(wasm) {
			out, err := wasmbin.Instrument(wasm[:n], 100)
			if slices.Contains(ends, n) {
				continue // a shorter module: any outcome but a panic
			}
			require.Error(t, err, "%s cut at %d of %d", name, n, len(wasm))
			require.Nil(t, out)
		}
	}
}

// TestInstrumentCorrupted changes every byte of the small fixtures to a few
// values and throws random bytes after the header: errors are fine, panics
// are not, and an accepted module never grows beyond reason.
func TestInstrumentCorrupted(t *testing.T) {
	for _, name := range fixtureNames(t) {
		wasm := readFixture(t, name+".wasm")
		if len(wasm) > 2000 {
			continue
		}
		for i := range wasm {
			for _, v := range []byte{0x00, 0x01, 0x0b, 0x10, 0x7f, 0x80, 0xff} {
				c := bytes.Clone(wasm)
				c[i] = v
				out, err := instrumentNoPanic(t, c)
				if err == nil {
					require.Less(t, len(out), 10*len(c)+1000, "%s byte %d = %#x", name, i, v)
				}
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 20000 {
		junk := make([]byte, 8+rng.IntN(64))
		copy(junk, "\x00asm\x01\x00\x00\x00")
		for j := 8; j < len(junk); j++ {
			junk[j] = byte(rng.UintN(256))
		}
		if i%2 == 0 && len(junk) > 10 { // a plausible section id and size
			junk[8] = byte(rng.IntN(14))
			junk[9] = byte(len(junk) - 10)
		}
		_, _ = instrumentNoPanic(t, junk)
	}
}

func instrumentNoPanic(t *testing.T, wasm []byte) (out []byte, err error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			require.Failf(t, "Instrument panicked", "%v on input %x", r, wasm)
		}
	}()
	return wasmbin.Instrument(wasm, 100)
}

// TestInstrumentHostileCounts: counts far beyond the input's size are
// errors found without allocating for them.
func TestInstrumentHostileCounts(t *testing.T) {
	huge := []byte{0xff, 0xff, 0xff, 0xff, 0x0f}
	for name, wasm := range map[string][]byte{
		"types":        module(section(1, huge)),
		"imports":      module(section(2, huge)),
		"functions":    module(section(1, []byte{0x01, 0x60, 0x00, 0x00}), section(3, huge)),
		"globals":      module(section(6, huge)),
		"exports":      module(section(7, huge)),
		"elements":     module(section(9, huge)),
		"code":         module(section(1, []byte{0x01, 0x60, 0x00, 0x00}), section(3, []byte{0x01, 0x00}), section(10, huge)),
		"params":       module(section(1, slices.Concat([]byte{0x01, 0x60}, huge))),
		"br_table":     funcModule(slices.Concat([]byte{0x02, 0x40, 0x41, 0x00, 0x0e}, huge, []byte{0x00, 0x0b, 0x0b})),
		"select types": funcModule(slices.Concat([]byte{0x1c}, huge, []byte{0x0b})),
		"locals":       module(section(1, []byte{0x01, 0x60, 0x00, 0x00}), section(3, []byte{0x01, 0x00}), section(10, slices.Concat([]byte{0x01, 0x06}, huge, []byte{0x0b}))),
		"leb too long": funcModule([]byte{0x41, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0b}),
	} {
		_, err := wasmbin.Instrument(wasm, 100)
		require.Error(t, err, name)
	}
}

// spectestSample returns about n spec test modules that wazero compiles,
// picked deterministically, or none when the spec tests are not around.
func spectestSample(t testing.TB, n int) []spectestModule {
	t.Helper()
	if _, err := findSpectestRoot(); err != nil {
		return nil
	}
	mods := spectestModules(t, "v2")
	var out []spectestModule
	for i := 0; i < len(mods) && len(out) < n; i += max(1, len(mods)/(4*n)) {
		if compile(mods[i].wasm) == nil {
			out = append(out, mods[i])
		}
	}
	return out
}
