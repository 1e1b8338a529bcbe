package wasmbin_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/internal/wasmbin"
)

// TestInspect_decodesWhatInstrumentDecodes: Inspect walks code with the
// instrumentation's decoder, so it accepts every fixture Instrument
// accepts and refuses every one Instrument refuses.
func TestInspect_decodesWhatInstrumentDecodes(t *testing.T) {
	for _, name := range fixtureNames(t) {
		_, err := wasmbin.Inspect(readFixture(t, name+".wasm"))
		require.NoError(t, err, name)
	}
	rejected, err := filepath.Glob(filepath.Join(fixtureDir, "reject", "*.wasm"))
	require.NoError(t, err)
	require.NotEmpty(t, rejected)
	for _, path := range rejected {
		_, err := wasmbin.Inspect(readFixture(t, filepath.Join("reject", filepath.Base(path))))
		require.ErrorContains(t, err, "not supported", path)
	}
}

func TestInspect_importsAndExports(t *testing.T) {
	s, err := wasmbin.Inspect(readFixture(t, "imports.wasm"))
	require.NoError(t, err)
	require.Len(t, s.Imports, 8)
	require.Equal(t, wasmbin.Import{Module: "host", Name: "mix", Kind: wasmbin.KindFunc, Func: wasmbin.FuncType{
		Params:  []wasmbin.ValType{wasmbin.I64, wasmbin.F32, wasmbin.F64, wasmbin.I32},
		Results: []wasmbin.ValType{wasmbin.F64},
	}}, s.Imports[5])
	require.Equal(t, wasmbin.Import{Module: "env", Name: "mem", Kind: wasmbin.KindMemory,
		Limits: wasmbin.Limits{Min: 1, Max: 4, HasMax: true}}, s.Imports[4])
	require.Equal(t, []wasmbin.Limits{{Min: 1, Max: 4, HasMax: true}}, s.Memories)
	require.Equal(t, []wasmbin.Limits{{Min: 8}}, s.Tables)
	require.Contains(t, s.Exports, wasmbin.Export{Name: "memory", Kind: wasmbin.KindMemory})
	require.Contains(t, s.Exports, wasmbin.Export{Name: "grow", Kind: wasmbin.KindFunc, Index: exportIndex(t, s, "grow"),
		Func: wasmbin.FuncType{Params: []wasmbin.ValType{wasmbin.I32}, Results: []wasmbin.ValType{wasmbin.I32}}})
}

func exportIndex(t *testing.T, s *wasmbin.Stats, name string) uint32 {
	t.Helper()
	for _, e := range s.Exports {
		if e.Name == name {
			return e.Index
		}
	}
	t.Fatalf("no export %q", name)
	return 0
}

func TestInspect_dataAndDepth(t *testing.T) {
	s, err := wasmbin.Inspect(readFixture(t, "bulk.wasm"))
	require.NoError(t, err)
	require.Equal(t, int64(len("hello, world")+16+len("active segment")), s.DataBytes)
	require.Equal(t, []wasmbin.Limits{{Min: 1, Max: 3, HasMax: true}}, s.Memories)

	s, err = wasmbin.Inspect(readFixture(t, "control.wasm"))
	require.NoError(t, err)
	require.Equal(t, 0, s.Functions[0].Depth, "swap")
	require.Equal(t, 4, s.Functions[1].Depth, "br_table: four nested blocks")
}

// body builds a module with one () -> () function whose body is given.
func bodyModule(body []byte) []byte {
	return module(typeSection, funcSection,
		section(10, cat([]byte{0x01}, uleb(uint64(len(body))), body)))
}

// TestInspect_sumsLocalsWithoutOverflow: two entries of 2^32-1 locals each
// (a sum that wraps any 32-bit counter) are counted exactly.
func TestInspect_sumsLocalsWithoutOverflow(t *testing.T) {
	body := cat([]byte{0x02}, uleb(1<<32-1), []byte{0x7f}, uleb(1<<32-1), []byte{0x7e}, []byte{0x0b})
	s, err := wasmbin.Inspect(bodyModule(body))
	require.NoError(t, err)
	require.Equal(t, uint64(2*(1<<32-1)), s.Functions[0].Locals)
	require.Equal(t, len(body), s.Functions[0].BodyBytes)
}

// TestInspect_deepNestingIsIterative: a million nested blocks are walked
// without recursion.
func TestInspect_deepNestingIsIterative(t *testing.T) {
	const depth = 1_000_000
	body := []byte{0x00}
	for range depth {
		body = append(body, 0x02, 0x40)
	}
	for range depth + 1 {
		body = append(body, 0x0b)
	}
	s, err := wasmbin.Inspect(bodyModule(body))
	require.NoError(t, err)
	require.Equal(t, depth, s.Functions[0].Depth)
}

func TestInspect_rejectsInconsistentStructure(t *testing.T) {
	code := section(10, []byte{0x01, 0x02, 0x00, 0x0b})
	for _, tc := range []struct {
		name, want string
		wasm       []byte
	}{
		{"repeated memory section", "the memory section is repeated or out of order",
			module(section(5, []byte{0x01, 0x00, 0x01}), section(5, []byte{0x01, 0x00, 0x01}))},
		{"sections out of order", "the table section is repeated or out of order",
			module(section(5, []byte{0x01, 0x00, 0x01}), section(4, []byte{0x01, 0x70, 0x00, 0x01}))},
		{"unknown section", "unknown section id 14", module(section(14, nil))},
		{"function without code", "declares 1 functions but there is no code section", module(typeSection, funcSection)},
		{"code without function", "the code section has 1 bodies for 0 functions", module(typeSection, code)},
		{"bytes after the body", "1 bytes after the end of the body", bodyModule([]byte{0x00, 0x0b, 0x01})},
		{"function type out of range", "function type index 3 out of range", module(typeSection, section(3, []byte{0x01, 0x03}), code)},
		{"64-bit memory", "limits flags 0x04 are not supported", module(section(5, []byte{0x01, 0x04, 0x01}))},
		{"data flags", "data segment flags", module(section(11, []byte{0x01, 0x03}))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := wasmbin.Inspect(tc.wasm)
			require.ErrorContains(t, err, tc.want)
			require.NotContains(t, wasmbin.Detail(err), "wasmbin:")
		})
	}
}
