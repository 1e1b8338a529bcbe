package wasmbin_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/tetratelabs/wazero/api"

	"github.com/civetbox/civetbox/internal/wasmbin"
)

// mutableGlobals returns the indices of the mutable globals a module
// defines, read with the tests' own parser.
func mutableGlobals(t testing.TB, wasm []byte) []uint32 {
	t.Helper()
	var imported uint32
	for _, imp := range parseImports(t, wasm) {
		if imp.kind == kindGlobal {
			imported++
		}
	}
	payload, ok := sectionPayload(parseSections(t, wasm), 6)
	if !ok {
		return nil
	}
	r := &wreader{b: payload}
	var out []uint32
	for i := range r.u32() {
		r.byte() // type
		if r.byte() == 1 {
			out = append(out, imported+i)
		}
		r.constExpr()
	}
	require.NoError(t, r.err)
	return out
}

// wantResetGlobals is the export names a plan must list for orig.
func wantResetGlobals(t testing.TB, orig []byte) []string {
	var want []string
	for _, g := range mutableGlobals(t, orig) {
		want = append(want, wasmbin.GlobalExport(g))
	}
	return append(want, wasmbin.BudgetGlobal, wasmbin.DepthGlobal)
}

// rewrites are the two ways wasmbin prepares a module for resets.
var rewrites = map[string]func([]byte) (*wasmbin.Instrumented, error){
	"InstrumentModule": func(wasm []byte) (*wasmbin.Instrumented, error) { return wasmbin.InstrumentModule(wasm, 100) },
	"ExportGlobals":    wasmbin.ExportGlobals,
}

// TestResetPlan_globals: every mutable global of every fixture is
// exported, as a mutable global wazero lets the host set, and the plan
// lists exactly those; ExportGlobals keeps the module's own exports and
// adds nothing else.
func TestResetPlan_globals(t *testing.T) {
	for rewrite, fn := range rewrites {
		for _, name := range fixtureNames(t) {
			t.Run(rewrite+"/"+name, func(t *testing.T) {
				orig := readFixture(t, name+".wasm")
				out, err := fn(orig)
				require.NoError(t, err)
				want := wantResetGlobals(t, orig)
				if rewrite == "ExportGlobals" {
					want = want[:len(want)-2] // no instrumentation counters
					require.Equal(t, len(parseExports(t, orig))+len(want), len(parseExports(t, out.Wasm)))
					require.Subset(t, parseExports(t, out.Wasm), parseExports(t, orig))
				}
				require.ElementsMatch(t, want, out.Reset.Globals)
				g := mustGuest(t, out.Wasm, nil)
				for _, export := range out.Reset.Globals {
					mg, ok := g.mod.ExportedGlobal(export).(api.MutableGlobal)
					require.True(t, ok, "%s is not an exported mutable global", export)
					mg.Set(mg.Get()) // settable
				}
			})
		}
	}
}

// TestResetPlan_blockers: each thing that puts instance state outside
// memory and globals is named, and the bulk-memory and table reads that
// do not are allowed.
func TestResetPlan_blockers(t *testing.T) {
	for _, c := range []struct {
		name    string
		wasm    []byte
		blocker string
	}{
		{"nothing", funcModule([]byte{0x0b}), ""},
		{"memory.init", funcModule([]byte{0xfc, 8, 0, 0, 0x0b}), ""},
		{"memory.copy", funcModule([]byte{0xfc, 10, 0, 0, 0x0b}), ""},
		{"memory.fill", funcModule([]byte{0xfc, 11, 0, 0x0b}), ""},
		{"table.get", funcModule([]byte{0x25, 0, 0x0b}), ""},
		{"table.size", funcModule([]byte{0xfc, 16, 0, 0x0b}), ""},
		{"table.set", funcModule([]byte{0x26, 0, 0x0b}), "the module uses table.set"},
		{"data.drop", funcModule([]byte{0xfc, 9, 0, 0x0b}), "the module uses data.drop"},
		{"table.init", funcModule([]byte{0xfc, 12, 0, 0, 0x0b}), "the module uses table.init"},
		{"elem.drop", funcModule([]byte{0xfc, 13, 0, 0x0b}), "the module uses elem.drop"},
		{"table.copy", funcModule([]byte{0xfc, 14, 0, 0, 0x0b}), "the module uses table.copy"},
		{"table.grow", funcModule([]byte{0xfc, 15, 0, 0x0b}), "the module uses table.grow"},
		{"table.fill", funcModule([]byte{0xfc, 17, 0, 0x0b}), "the module uses table.fill"},
		{"first one named", funcModule([]byte{0xfc, 17, 0, 0x26, 0, 0x0b}), "the module uses table.fill"},
		{"imported memory", module(section(2, slices.Concat([]byte{1, 3}, []byte("env"), []byte{3}, []byte("mem"), []byte{0x02, 0x00, 0x01}))),
			"the module imports a memory"},
		{"mutable funcref", module(section(6, []byte{1, 0x70, 1, 0xd0, 0x70, 0x0b})), "the module has a mutable funcref global (0)"},
		{"immutable funcref", module(section(6, []byte{1, 0x70, 0, 0xd0, 0x70, 0x0b})), ""},
		{"mutable i64", module(section(6, []byte{1, 0x7e, 1, 0x42, 0x05, 0x0b})), ""},
		{"start", module(section(1, []byte{1, 0x60, 0, 0}), section(3, []byte{1, 0}), section(8, []byte{0}), section(10, []byte{1, 2, 0, 0x0b})),
			"the module has a start function, which runs during instantiation"},
		{"import of every kind", readFixture(t, "imports.wasm"), "the module imports a global"},
		{"elements", readFixture(t, "elements.wasm"), ""}, // checked below: some table instruction
		{"numeric", readFixture(t, "numeric.wasm"), ""},
	} {
		for rewrite, fn := range rewrites {
			t.Run(rewrite+"/"+c.name, func(t *testing.T) {
				out, err := fn(c.wasm)
				require.NoError(t, err)
				if c.name == "elements" {
					require.Contains(t, out.Reset.Blocker, "the module uses ")
					return
				}
				require.Equal(t, c.blocker, out.Reset.Blocker)
			})
		}
	}
}

// TestResetPlan_mutableI64Exported: a plan's global export carries the
// global's index in the original module.
func TestResetPlan_mutableI64Exported(t *testing.T) {
	wasm := module(section(6, []byte{2, 0x7f, 0, 0x41, 0x01, 0x0b, 0x7e, 1, 0x42, 0x05, 0x0b}))
	out, err := wasmbin.InstrumentModule(wasm, 100)
	require.NoError(t, err)
	require.Equal(t, []string{wasmbin.GlobalExport(1), wasmbin.BudgetGlobal, wasmbin.DepthGlobal}, out.Reset.Globals)
	g := mustGuest(t, out.Wasm, nil)
	require.Equal(t, uint64(5), g.global(t, wasmbin.GlobalExport(1)))
	require.Equal(t, fmt.Sprint(wasmbin.Budget), fmt.Sprint(g.global(t, wasmbin.BudgetGlobal)))
}

// TestReservedExports: a module may not export a name the rewriters would
// add; both refuse it by name.
func TestReservedExports(t *testing.T) {
	export := slices.Concat([]byte{1, 17}, []byte("civetbox.global.0"), []byte{0x03, 0})
	wasm := module(section(6, []byte{1, 0x7f, 1, 0x41, 0, 0x0b}), section(7, export))
	for name, fn := range rewrites {
		_, err := fn(wasm)
		require.ErrorIs(t, err, wasmbin.ErrReservedExport, name)
		require.ErrorContains(t, err, `the module exports "civetbox.global.0"`, name)
	}
	other := slices.Concat([]byte{1, 9}, []byte("civetbox_"), []byte{0x03, 0})
	for name, fn := range rewrites {
		_, err := fn(module(section(6, []byte{1, 0x7f, 1, 0x41, 0, 0x0b}), section(7, other)))
		require.NoError(t, err, name)
	}
}

// TestExportGlobals_placement: the added export section goes where the
// binary format wants it, before later known sections and before trailing
// custom sections, and a module with no mutable global is left as it is.
func TestExportGlobals_placement(t *testing.T) {
	global := section(6, []byte{1, 0x7f, 1, 0x41, 0, 0x0b})
	name := section(0, slices.Concat([]byte{4}, []byte("name"), []byte{1, 3, 1, 0, 0}))
	start := section(8, []byte{0})
	types := section(1, []byte{1, 0x60, 0, 0})
	funcs := section(3, []byte{1, 0})
	code := section(10, []byte{1, 2, 0, 0x0b})
	for what, c := range map[string]struct {
		wasm []byte
		ids  []byte
	}{
		"trailing custom": {module(global, name), []byte{6, 7, 0}},
		"before start":    {module(types, funcs, global, start, code, name), []byte{1, 3, 6, 7, 8, 10, 0}},
	} {
		out, err := wasmbin.ExportGlobals(c.wasm)
		require.NoError(t, err, what)
		var ids []byte
		for _, s := range parseSections(t, out.Wasm) {
			ids = append(ids, s.id)
		}
		require.Equal(t, c.ids, ids, what)
		require.NoError(t, compile(out.Wasm), what)
	}
	plain := module(section(6, []byte{1, 0x7f, 0, 0x41, 0, 0x0b}), name)
	out, err := wasmbin.ExportGlobals(plain)
	require.NoError(t, err)
	require.Equal(t, plain, out.Wasm)
}
