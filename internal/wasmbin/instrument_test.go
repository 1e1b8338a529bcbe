package wasmbin_test

// Behavioural equivalence of instrumented modules: every fixture under
// testdata/instrument (rebuilt by testdata/instrument/build.sh) runs in
// wazero as is and instrumented, and every exported function must return
// the same results, trap the same way and leave the same memory, globals
// and host calls behind.

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/tetratelabs/wazero/api"

	"github.com/civetbox/civetbox/internal/wasmbin"
)

// Interesting arguments of each number type; argVectors combines them.
var (
	i32Args = []uint64{0, 1, 2, 3, 7, 10, 100, 65532, 0xffffffff, 0x7fffffff, 0x80000000, 16}
	i64Args = []uint64{0, 1, 5, math.MaxUint64, 1 << 40, 1 << 63, math.MaxInt64, 100, 63, 3, 0x123456789abcdef0, 2}
	f32Args = f32s(0, 1.5, -3.25, float32(math.NaN()), float32(math.Inf(1)), float32(math.Copysign(0, -1)),
		1e30, 7, 0.1, -1, 1e-40, 65536)
	f64Args = f64s(0, 1.5, -3.25, math.NaN(), math.Inf(-1), math.Copysign(0, -1),
		1e300, 7, 0.1, -1, 5e-324, 4294967296.5)
)

func f32s(vs ...float32) []uint64 {
	out := make([]uint64, len(vs))
	for i, v := range vs {
		out[i] = api.EncodeF32(v)
	}
	return out
}

func f64s(vs ...float64) []uint64 {
	out := make([]uint64, len(vs))
	for i, v := range vs {
		out[i] = api.EncodeF64(v)
	}
	return out
}

// argVectors returns n argument lists for a signature, each parameter
// walking through its type's values at a different pace.
func argVectors(t testing.TB, params []api.ValueType, n int) [][]uint64 {
	t.Helper()
	out := make([][]uint64, n)
	for k := range n {
		args := make([]uint64, len(params))
		for j, p := range params {
			var vals []uint64
			switch p {
			case api.ValueTypeI32:
				vals = i32Args
			case api.ValueTypeI64:
				vals = i64Args
			case api.ValueTypeF32:
				vals = f32Args
			case api.ValueTypeF64:
				vals = f64Args
			default:
				require.Failf(t, "unsupported parameter type", "%s", api.ValueTypeName(p))
			}
			args[j] = vals[(k+3*j+k*j)%len(vals)]
		}
		out[k] = args
	}
	return out
}

type call struct {
	fn   string
	args []uint64
}

func calls(fn string, argLists ...[]uint64) []call {
	out := make([]call, len(argLists))
	for i, a := range argLists {
		out[i] = call{fn: fn, args: a}
	}
	return out
}

func each(n int, f func(i int) []call) []call {
	var out []call
	for i := range n {
		out = append(out, f(i)...)
	}
	return out
}

func a(args ...uint64) []uint64 { return args }

// fixtureCalls are calls made, in this order, before the generated ones:
// the arguments that reach every table slot, segment and path.
var fixtureCalls = map[string]func() []call{
	"imports": func() []call {
		return slices.Concat(
			each(10, func(i int) []call { return calls("call_table", a(uint64(i), 5)) }),
			each(10, func(i int) []call { return calls("call_table_binop", a(uint64(i), 5)) }),
			calls("reentry_target", a(0), a(1), a(5), a(20), a(21)),
			calls("fref_call", a(4)),
			calls("call_table", a(6, 9)),
		)
	},
	"elements": func() []call {
		return slices.Concat(
			each(11, func(i int) []call {
				return slices.Concat(calls("call0", a(uint64(i), 5)), calls("call1", a(uint64(i), 5)),
					calls("call0_binop", a(uint64(i), 5)), calls("is_null0", a(uint64(i))),
					calls("is_null1", a(uint64(i))), calls("is_null_ext", a(uint64(i))))
			}),
			calls("declared", a(0, 3), a(1, 3)),
			calls("global_ref", a(2)), calls("global_null"), calls("same_ref"),
			calls("init_p1", a(0, 0, 4), a(6, 1, 3), a(8, 3, 2)),
			each(10, func(i int) []call { return calls("call0", a(uint64(i), 6)) }),
			calls("init_p5", a(0, 0, 3), a(7, 1, 2)),
			each(10, func(i int) []call { return calls("call1", a(uint64(i), 6)) }),
			calls("drop_p1"), calls("init_p1", a(0, 0, 1), a(0, 0, 0)),
			calls("drop_p5"), calls("init_p5", a(0, 0, 1)),
			calls("grow0", a(2), a(100)), calls("size0"), calls("call0", a(11, 1)),
			calls("fill0", a(0, 3), a(9, 5)), calls("copy10", a(0, 0, 10)), calls("copy00", a(1, 0, 9)),
			each(12, func(i int) []call { return calls("call1", a(uint64(i), 7)) }),
			calls("grow_ext", a(3), a(3)), calls("is_null_ext", a(6)),
		)
	},
	"bulk": func() []call {
		return slices.Concat(
			calls("init_hello", a(0, 0, 12), a(200, 7, 5), a(65530, 0, 7), a(0, 11, 2)),
			calls("init_bytes", a(16, 0, 16), a(40, 8, 8)),
			calls("sum", a(0, 64), a(100, 14)),
			calls("loads", a(0), a(16), a(17), a(65520)),
			calls("load64", a(16)), calls("loadf", a(0)),
			calls("stores", a(300, 0x0102030405060708), a(65530, 1)),
			calls("copy", a(1000, 0, 64), a(4, 0, 32), a(0, 4, 32), a(65500, 0, 100)),
			calls("fill", a(2000, 0xab, 100), a(65536, 0, 0), a(65536, 0, 1)),
			calls("drop_hello"), calls("init_hello", a(0, 0, 1), a(0, 0, 0)),
			calls("grow", a(1)), calls("size"), calls("copy", a(65530, 0, 100)),
			calls("drop_bytes"), calls("drop_bytes"), calls("init_bytes", a(0, 0, 1)),
		)
	},
	"recursion": func() []call {
		return slices.Concat(
			calls("rec", a(1), a(2), a(100), a(1000), a(0xffffffff)),
			calls("even", a(0), a(1), a(501), a(1000)),
			calls("odd", a(0), a(77), a(1000)),
			calls("ind_rec", a(1), a(300), a(0xffffffff)),
			calls("spin", a(1), a(1000), a(3*wasmbin.Budget+17)),
			calls("fib", a(0), a(1), a(15), a(22)),
			calls("leaf_loop", a(1), a(wasmbin.Budget)),
		)
	},
	"wide": func() []call {
		return slices.Concat(
			each(141, func(i int) []call { return calls("via_table", a(uint64(i), 3)) }),
			calls("chain", a(0), a(1)), calls("ref_last", a(4)), calls("imp_last", a(4)),
			calls("wide_block", a(1), a(2)),
		)
	},
	"simd": func() []call {
		return calls("load_lane", a(0), a(3), a(65530), a(65535))
	},
}

// generatedRounds is how many argument lists each exported function gets.
const generatedRounds = 12

// noGenerated are fixtures whose functions are called only with the
// arguments fixtureCalls lists: their recursion or loop counts come from
// the arguments.
var noGenerated = map[string]bool{"recursion": true}

// TestInstrumentEquivalence runs every fixture as is and instrumented and
// requires the same behaviour from both.
func TestInstrumentEquivalence(t *testing.T) {
	for _, name := range fixtureNames(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			orig := readFixture(t, name+".wasm")
			instr := mustInstrument(t, orig, equivalenceMaxDepth)
			exports := parseExports(t, orig)

			ho, hi := &host{}, &host{}
			og, oerr := newGuest(t, ctx, orig, ho)
			ig, ierr := newGuest(t, ctx, instr, hi)
			require.NoError(t, oerr, "the original does not instantiate")
			require.NoError(t, ierr, "the instrumented module does not instantiate")
			requireSameState(t, og.state(t, exports), ig.state(t, exports), "after instantiation (start function)")
			require.Zero(t, ig.depth(t), "depth after the start function")

			var todo []call
			if f := fixtureCalls[name]; f != nil {
				todo = f()
			}
			if !noGenerated[name] {
				defs := og.mod.ExportedFunctionDefinitions()
				names := make([]string, 0, len(defs))
				for n := range defs {
					names = append(names, n)
				}
				sort.Strings(names)
				vectors := map[string][][]uint64{}
				for _, n := range names {
					vectors[n] = argVectors(t, defs[n].ParamTypes(), generatedRounds)
				}
				for k := range generatedRounds {
					for _, n := range names {
						todo = append(todo, call{fn: n, args: vectors[n][k]})
					}
				}
			}
			if len(parseExports(t, orig)) > 0 {
				require.NotEmpty(t, todo, "a fixture with exports and no call")
			}

			traps, ok := 0, 0
			for i, c := range todo {
				what := fmt.Sprintf("call %d: %s%v", i, c.fn, c.args)
				ores, oerr := og.call(ctx, c.fn, c.args...)
				ires, ierr := ig.call(ctx, c.fn, c.args...)
				require.Equal(t, trapText(oerr), trapText(ierr), "%s: errors differ (original %v, instrumented %v)", what, oerr, ierr)
				require.Equal(t, ores, ires, "%s: results differ", what)
				requireSameState(t, og.state(t, exports), ig.state(t, exports), what)
				if oerr != nil {
					traps++
					// A trap leaves the depth counter where it was (see
					// TestInstrumentDepthAfterTrap); start the next call afresh.
					ig.resetDepth(t)
				} else {
					ok++
					require.Zero(t, ig.depth(t), "%s: depth not back to 0", what)
				}
			}
			t.Logf("%d calls: %d returned, %d trapped alike; %d yields", len(todo), ok, traps, hi.yieldCount())
		})
	}
}

// TestInstrumentFixtureCoverage checks that the fixtures hold what the
// equivalence test is meant to cover.
func TestInstrumentFixtureCoverage(t *testing.T) {
	flags := elementFlags(t, readFixture(t, "elements.wasm"))
	for f := range uint32(8) {
		require.Contains(t, flags, f, "elements.wasm has no element segment with flags %d", f)
	}

	for _, name := range []string{"bare", "empty"} {
		for _, s := range parseSections(t, readFixture(t, name+".wasm")) {
			require.NotContains(t, []byte{2, 6, 7}, s.id, "%s.wasm has section %d", name, s.id)
		}
	}
	require.Contains(t, customNames(t, readFixture(t, "bare.wasm")), "name")

	kinds := map[byte]bool{}
	for _, imp := range parseImports(t, readFixture(t, "imports.wasm")) {
		kinds[imp.kind] = true
	}
	require.Len(t, kinds, 4, "imports.wasm imports every kind")

	payload, ok := sectionPayload(parseSections(t, readFixture(t, "nofuncs.wasm")), 3)
	require.False(t, ok && !bytes.Equal(payload, []byte{0}), "nofuncs.wasm defines functions")

	imports := parseImports(t, readFixture(t, "wide.wasm"))
	require.Greater(t, len(imports), 128, "wide.wasm: the yield import's index takes two bytes")
}

// TestInstrumentStructure checks what Instrument adds and keeps: the yield
// import last among the imports, the same exports plus every mutable global and
// instrumentation's counters,
// the same signatures, and the custom sections but the name section.
func TestInstrumentStructure(t *testing.T) {
	for _, name := range fixtureNames(t) {
		t.Run(name, func(t *testing.T) {
			orig := readFixture(t, name+".wasm")
			before := bytes.Clone(orig)
			instr := mustInstrument(t, orig, equivalenceMaxDepth)
			require.Equal(t, before, orig, "Instrument changed its input")
			require.Equal(t, instr, mustInstrument(t, orig, equivalenceMaxDepth), "Instrument is not deterministic")

			imports := parseImports(t, instr)
			require.Equal(t, append(parseImports(t, orig), wimport{module: wasmbin.YieldModule, name: wasmbin.YieldFunc, kind: kindFunc}), imports)

			exports := parseExports(t, instr)
			wantExports := map[string]byte{}
			for _, name := range wantResetGlobals(t, orig) {
				wantExports[name] = kindGlobal
			}
			for _, e := range parseExports(t, orig) {
				wantExports[e.name] = e.kind
			}
			gotExports := map[string]byte{}
			for _, e := range exports {
				gotExports[e.name] = e.kind
			}
			require.Equal(t, wantExports, gotExports)

			var customs []string
			for _, n := range customNames(t, orig) {
				if n != "name" {
					customs = append(customs, n)
				}
			}
			require.Equal(t, customs, customNames(t, instr))

			og, ig := mustGuest(t, orig, nil), mustGuest(t, instr, nil)
			defs := ig.cm.ImportedFunctions()
			require.NotEmpty(t, defs)
			yield := defs[len(defs)-1]
			mod, fn, isImport := yield.Import()
			require.True(t, isImport)
			require.Equal(t, [2]string{wasmbin.YieldModule, wasmbin.YieldFunc}, [2]string{mod, fn}, "the engine adapter expects yield to be the last imported function")
			require.Empty(t, yield.ParamTypes())
			require.Equal(t, []api.ValueType{api.ValueTypeI32}, yield.ResultTypes())

			oDefs, iDefs := og.cm.ExportedFunctions(), ig.cm.ExportedFunctions()
			require.Equal(t, len(oDefs), len(iDefs))
			for n, d := range oDefs {
				require.Contains(t, iDefs, n)
				require.Equal(t, d.ParamTypes(), iDefs[n].ParamTypes(), n)
				require.Equal(t, d.ResultTypes(), iDefs[n].ResultTypes(), n)
			}
			require.Equal(t, len(og.cm.ExportedMemories()), len(ig.cm.ExportedMemories()))

			depth := ig.mod.ExportedGlobal(wasmbin.DepthGlobal)
			require.NotNil(t, depth)
			_, mutable := depth.(api.MutableGlobal)
			require.True(t, mutable, "the depth counter is mutable")
			require.Equal(t, api.ValueTypeI32, depth.Type())
			require.Zero(t, depth.Get())
		})
	}
}

// TestInstrumentCustomSections: name and DWARF sections go, since their
// indices and offsets no longer hold; the others stay, in order.
func TestInstrumentCustomSections(t *testing.T) {
	base := readFixture(t, "recursion.wasm")
	var body []byte
	for _, s := range parseSections(t, base) {
		if s.id != 0 {
			body = append(body, section(s.id, s.payload)...)
		}
	}
	wasm := slices.Concat(header,
		custom("producers", []byte{0}),
		custom(".debug_info", []byte("dwarf")),
		body,
		custom("name", []byte{0, 1, 0}),
		custom(".debug_line", nil),
		custom("civetbox_abi", []byte{1}),
		custom(".debugger", nil), // a prefix match, as the package doc says
		custom("sourceMappingURL", []byte("x")),
	)
	out := mustInstrument(t, wasm, 100)
	require.Equal(t, []string{"producers", "civetbox_abi", "sourceMappingURL"}, customNames(t, out))
	payload, found, err := wasmbin.CustomSection(out, "civetbox_abi")
	require.NoError(t, err)
	require.True(t, found)
	require.Equal(t, []byte{1}, payload)
	g := mustGuest(t, out, nil)
	res, err := g.call(context.Background(), "rec", 50)
	require.NoError(t, err)
	require.Equal(t, []uint64{50}, res)
}

// TestInstrumentStartFunction: the start function runs once, in both.
func TestInstrumentStartFunction(t *testing.T) {
	for _, instrumented := range []bool{false, true} {
		t.Run(fmt.Sprint("instrumented=", instrumented), func(t *testing.T) {
			for _, c := range []struct {
				fixture string
				log     []string
			}{
				{"imports", []string{"log(100)"}},
				{"nofuncs", []string{"tick"}},
			} {
				wasm := readFixture(t, c.fixture+".wasm")
				if instrumented {
					wasm = mustInstrument(t, wasm, 10)
				}
				h := &host{}
				g := mustGuest(t, wasm, h)
				require.Equal(t, c.log, h.logCopy(), c.fixture)
				if c.fixture == "imports" {
					require.Equal(t, uint64(43), g.global(t, "started"))
					m, ok := g.mod.Memory().ReadUint32Le(0)
					require.True(t, ok)
					require.Equal(t, uint32(0xdeadbeef), m)
				}
			}
			// bare's start function traps unless its loop computes the
			// right sum.
			wasm := readFixture(t, "bare.wasm")
			if instrumented {
				wasm = mustInstrument(t, wasm, 10)
			}
			mustGuest(t, wasm, nil)
		})
	}
}

// TestInstrumentStartTrapsBeyondDepth: with a bound of 0, the start
// function's wrapper traps at once, and the instantiation fails; calls of
// imported functions, which have no wrapper, still work.
func TestInstrumentStartTrapsBeyondDepth(t *testing.T) {
	_, err := newGuest(t, context.Background(), mustInstrument(t, readFixture(t, "imports.wasm"), 0), &host{})
	require.ErrorContains(t, err, "unreachable")

	g := mustGuest(t, mustInstrument(t, readFixture(t, "nofuncs.wasm"), 0), nil)
	res, err := g.call(context.Background(), "add", 2, 3)
	require.NoError(t, err)
	require.Equal(t, []uint64{5}, res)
}
