package wasmbin_test

// Behavioural differential over the spec test scripts: every script of
// wazero's core 1.0 and 2.0 suites is replayed twice, with its modules as
// they are and instrumented, and every invocation must give the same
// results, the same traps and the same global values in both. Runaway
// recursions (assert_exhaustion) run instrumented only, and must hit the
// depth bound.

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/civetbox/civetbox/internal/wasmbin"
)

type spectestScript struct {
	Commands []spectestCommand `json:"commands"`
}

type spectestCommand struct {
	Type     string         `json:"type"`
	Line     int            `json:"line"`
	Name     string         `json:"name"`
	Filename string         `json:"filename"`
	As       string         `json:"as"`
	Action   spectestAction `json:"action"`
}

type spectestAction struct {
	Type   string          `json:"type"`
	Module string          `json:"module"`
	Field  string          `json:"field"`
	Args   []spectestValue `json:"args"`
}

type spectestValue struct {
	Type     string          `json:"type"`
	LaneType string          `json:"lane_type"`
	Value    json.RawMessage `json:"value"`
}

func parseBits(s string, bits int) (uint64, error) {
	if u, err := strconv.ParseUint(s, 10, bits); err == nil {
		return u, nil
	}
	i, err := strconv.ParseInt(s, 10, bits)
	return uint64(i) & (math.MaxUint64 >> (64 - bits)), err
}

// uint64s encodes an argument the way wazero's Call takes it.
func (v spectestValue) uint64s() ([]uint64, error) {
	var s string
	switch v.Type {
	case "i32", "f32", "i64", "f64", "externref", "funcref":
		if err := json.Unmarshal(v.Value, &s); err != nil {
			return nil, err
		}
	}
	switch v.Type {
	case "i32", "f32":
		u, err := parseBits(s, 32)
		return []uint64{u}, err
	case "i64", "f64":
		u, err := parseBits(s, 64)
		return []uint64{u}, err
	case "externref", "funcref":
		if s == "null" {
			return []uint64{0}, nil
		}
		u, err := strconv.ParseUint(s, 10, 64)
		return []uint64{u + 1}, err // as wazero's spec test runner: non-null
	case "v128":
		var lanes []string
		if err := json.Unmarshal(v.Value, &lanes); err != nil {
			return nil, err
		}
		width := map[string]int{"i8": 8, "i16": 16, "i32": 32, "f32": 32, "i64": 64, "f64": 64}[v.LaneType]
		if width == 0 || width*len(lanes) != 128 {
			return nil, fmt.Errorf("v128 lanes %s x %d", v.LaneType, len(lanes))
		}
		var b [16]byte
		for i, l := range lanes {
			u, err := parseBits(l, width)
			if err != nil {
				return nil, err
			}
			var lane [8]byte
			binary.LittleEndian.PutUint64(lane[:], u)
			copy(b[i*width/8:], lane[:width/8])
		}
		return []uint64{binary.LittleEndian.Uint64(b[:8]), binary.LittleEndian.Uint64(b[8:])}, nil
	}
	return nil, fmt.Errorf("argument type %q", v.Type)
}

// valueTypeFuncref is funcref, which wazero's api does not name.
const valueTypeFuncref api.ValueType = 0x70

// comparable makes results from two runtimes comparable: function
// references are addresses of the runtime's, so only their nullness is.
func comparable(results []uint64, types []api.ValueType) []uint64 {
	out := make([]uint64, 0, len(results))
	i := 0
	for _, t := range types {
		switch t {
		case api.ValueTypeI32, api.ValueTypeI64, api.ValueTypeF32, api.ValueTypeF64, api.ValueTypeExternref:
			out = append(out, results[i])
			i++
		case valueTypeFuncref:
			out = append(out, map[bool]uint64{true: 0, false: 1}[results[i] == 0])
			i++
		default: // v128: two slots
			out = append(out, results[i:min(i+2, len(results))]...)
			i += 2
		}
	}
	return append(out, results[min(i, len(results)):]...)
}

// scriptSide runs one script's modules as they are or instrumented.
type scriptSide struct {
	instrumented bool
	rt           wazero.Runtime
	named        map[string]api.Module
	last         api.Module
	all          []api.Module
}

func newScriptSide(t *testing.T, ctx context.Context, instrumented bool, spectestWasm []byte) *scriptSide {
	s := &scriptSide{instrumented: instrumented, named: map[string]api.Module{}}
	s.rt = wazero.NewRuntimeWithConfig(ctx, runtimeConfig())
	t.Cleanup(func() { _ = s.rt.Close(context.Background()) })
	_, err := s.rt.InstantiateWithConfig(ctx, spectestWasm, wazero.NewModuleConfig().WithName("spectest"))
	require.NoError(t, err)
	_, err = s.rt.NewHostModuleBuilder(wasmbin.YieldModule).
		NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(func(_ context.Context, _ api.Module, st []uint64) {
		st[0] = wasmbin.Budget
	}), nil, []api.ValueType{api.ValueTypeI32}).Export(wasmbin.YieldFunc).
		Instantiate(ctx)
	require.NoError(t, err)
	return s
}

func (s *scriptSide) instantiate(ctx context.Context, wasm []byte, name, as string) error {
	if s.instrumented {
		var err error
		if wasm, err = wasmbin.Instrument(wasm, spectestMaxDepth); err != nil {
			return err
		}
	}
	mod, err := s.rt.InstantiateWithConfig(ctx, wasm, wazero.NewModuleConfig().WithName(as).WithStartFunctions())
	if err != nil {
		s.last = nil
		return err
	}
	if name != "" {
		s.named[name] = mod
	}
	s.last = mod
	s.all = append(s.all, mod)
	return nil
}

// leaveOut forgets a module the script defines but the replay skips.
func (s *scriptSide) leaveOut(name string) {
	s.last = nil
	if name != "" {
		delete(s.named, name)
	}
}

func (s *scriptSide) module(name string) api.Module {
	if name != "" {
		return s.named[name]
	}
	return s.last
}

// resetDepths zeroes every instrumented instance's depth counter after a
// trap left it raised.
func (s *scriptSide) resetDepths() {
	for _, m := range s.all {
		if g, ok := m.ExportedGlobal(wasmbin.DepthGlobal).(api.MutableGlobal); ok {
			g.Set(0)
		}
	}
}

type outcome struct {
	Results []uint64
	Trap    string
}

func (s *scriptSide) invoke(ctx context.Context, a spectestAction, args []uint64) (outcome, bool) {
	m := s.module(a.Module)
	if m == nil {
		return outcome{}, false
	}
	if a.Type == "get" {
		g := m.ExportedGlobal(a.Field)
		if g == nil {
			return outcome{}, false
		}
		v := g.Get()
		if g.Type() == valueTypeFuncref {
			v = map[bool]uint64{true: 0, false: 1}[v == 0]
		}
		return outcome{Results: []uint64{v}}, true
	}
	fn := m.ExportedFunction(a.Field)
	if fn == nil {
		return outcome{}, false
	}
	res, err := fn.Call(ctx, args...)
	if err != nil {
		s.resetDepths()
		return outcome{Trap: trapText(err)}, true
	}
	return outcome{Results: comparable(res, fn.Definition().ResultTypes())}, true
}

var funcIndexRE = regexp.MustCompile(`function\[\d+\]`)

// spectestMaxDepth is the depth bound of the replay, the engine's.
const spectestMaxDepth = 10000

func TestInstrumentSpectestReplay(t *testing.T) {
	if testing.Short() {
		t.Skip("replays the spec test scripts")
	}
	root := spectestRoot(t)
	spectestWasm, err := os.ReadFile(filepath.Join(root, "testdata", "spectest.wasm"))
	require.NoError(t, err)
	var scripts []string
	for _, suite := range []string{"v1", "v2"} {
		paths, err := filepath.Glob(filepath.Join(root, suite, "testdata", "*.json"))
		require.NoError(t, err)
		scripts = append(scripts, paths...)
	}
	sort.Strings(scripts)
	require.NotEmpty(t, scripts)

	var mu sync.Mutex
	total := map[string]int{}
	t.Run("scripts", func(t *testing.T) { // returns once its parallel subtests are done
		for _, path := range scripts {
			name := filepath.Base(filepath.Dir(filepath.Dir(path))) + "/" + strings.TrimSuffix(filepath.Base(path), ".json")
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				counts := replayScript(t, path, spectestWasm, false)
				mu.Lock()
				defer mu.Unlock()
				for k, v := range counts {
					total[k] += v
				}
			})
		}
	})
	t.Logf("%d scripts: %d modules instantiated alike, %d failed to instantiate alike, %d invocations returned alike, %d trapped alike, %d runaway recursions stopped by the depth bound and %d by wazero's stack limit, %d commands skipped",
		len(scripts), total["modules"], total["uninstantiable"], total["returned"], total["trapped"], total["exhausted"], total["overflowed"], total["skipped"])
}

// replayScript replays one script on both sides. Leniently, for the
// proposals' suites: a module wazero does not compile as it is, or that
// Instrument refuses as unsupported, is left out on both sides, with the
// commands that use it.
func replayScript(t *testing.T, path string, spectestWasm []byte, lenient bool) map[string]int {
	ctx := context.Background()
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	var script spectestScript
	require.NoError(t, json.Unmarshal(raw, &script))
	dir := filepath.Dir(path)
	orig, instr := newScriptSide(t, ctx, false, spectestWasm), newScriptSide(t, ctx, true, spectestWasm)
	counts := map[string]int{}
	cmds := script.Commands
	for i := 0; i < len(cmds); i++ {
		c := cmds[i]
		where := fmt.Sprintf("%s:%d %s", filepath.Base(path), c.Line, c.Type)
		switch c.Type {
		case "module", "assert_uninstantiable", "assert_unlinkable":
			wasm, err := os.ReadFile(filepath.Join(dir, c.Filename))
			require.NoError(t, err, where)
			as := ""
			if c.Type == "module" && i+1 < len(cmds) && cmds[i+1].Type == "register" {
				as = cmds[i+1].As
				i++
			}
			if lenient {
				_, instrErr := wasmbin.Instrument(wasm, spectestMaxDepth)
				if compile(wasm) != nil || (instrErr != nil && strings.Contains(instrErr.Error(), "not supported")) {
					orig.leaveOut(c.Name)
					instr.leaveOut(c.Name)
					counts["left out"]++
					continue
				}
			}
			oerr := orig.instantiate(ctx, wasm, c.Name, as)
			ierr := instr.instantiate(ctx, wasm, c.Name, as)
			require.Equal(t, oerr == nil, ierr == nil, "%s %s: original: %v; instrumented: %v", where, c.Filename, oerr, ierr)
			if oerr != nil {
				// "start function[1] failed": the index is the wrapper's.
				require.Equal(t, funcIndexRE.ReplaceAllString(trapText(oerr), "function[N]"),
					funcIndexRE.ReplaceAllString(trapText(ierr), "function[N]"), "%s %s", where, c.Filename)
				counts["uninstantiable"]++
			} else {
				counts["modules"]++
			}
		case "assert_return", "action", "assert_trap":
			var args []uint64
			for _, a := range c.Action.Args {
				u, err := a.uint64s()
				require.NoError(t, err, where)
				args = append(args, u...)
			}
			o, ok1 := orig.invoke(ctx, c.Action, args)
			in, ok2 := instr.invoke(ctx, c.Action, args)
			require.Equal(t, ok1, ok2, where)
			if !ok1 {
				counts["skipped"]++
				continue
			}
			require.Equal(t, o, in, "%s: %s%v", where, c.Action.Field, args)
			if o.Trap != "" {
				counts["trapped"]++
			} else {
				counts["returned"]++
			}
		case "assert_exhaustion":
			// Only instrumented: the original would grow wazero's stack
			// to hundreds of megabytes first.
			var args []uint64
			for _, a := range c.Action.Args {
				u, err := a.uint64s()
				require.NoError(t, err, where)
				args = append(args, u...)
			}
			in, ok := instr.invoke(ctx, c.Action, args)
			if !ok && lenient {
				counts["skipped"]++
				continue
			}
			require.True(t, ok, where)
			// The depth bound stops most; wazero's own stack limit comes
			// first for functions with frames of thousands of locals.
			require.Contains(t, []string{"wasm error: unreachable", "stack overflow"}, in.Trap, "%s: %s runs past the depth bound", where, c.Action.Field)
			if in.Trap == "stack overflow" {
				counts["overflowed"]++
			} else {
				counts["exhausted"]++
			}
		default: // assert_invalid, assert_malformed: TestInstrumentSpectest
			counts["skipped"]++
		}
	}
	return counts
}

// TestInstrumentSpectestReplayProposals replays the scripts of the typed
// function references and extended constants suites, whose modules wazero
// partly compiles with the 2.0 features: those it compiles and Instrument
// accepts must behave alike.
func TestInstrumentSpectestReplayProposals(t *testing.T) {
	if testing.Short() {
		t.Skip("replays the spec test scripts")
	}
	root := spectestRoot(t)
	spectestWasm, err := os.ReadFile(filepath.Join(root, "testdata", "spectest.wasm"))
	require.NoError(t, err)
	for _, suite := range []string{"typed-function-references", "extended-const"} {
		t.Run(suite, func(t *testing.T) {
			scripts, err := filepath.Glob(filepath.Join(root, suite, "testdata", "*.json"))
			require.NoError(t, err)
			sort.Strings(scripts)
			total := map[string]int{}
			for _, path := range scripts {
				t.Run(strings.TrimSuffix(filepath.Base(path), ".json"), func(t *testing.T) {
					for k, v := range replayScript(t, path, spectestWasm, true) {
						total[k] += v
					}
				})
			}
			t.Logf("%d scripts: %d modules instantiated alike (%d left out), %d invocations returned alike, %d trapped alike, %d commands skipped",
				len(scripts), total["modules"], total["left out"], total["returned"], total["trapped"], total["skipped"])
		})
	}
}
