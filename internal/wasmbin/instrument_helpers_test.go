package wasmbin_test

// Helpers of the Instrument tests: a small independent decoder of the
// module structure (sections, imports, exports, element segment flags), and
// a harness that instantiates a module in wazero next to the host functions
// and the "env" module the fixtures import.

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/civetbox/civetbox/internal/wasmbin"
)

const fixtureDir = "testdata/instrument"

// equivalenceMaxDepth is the depth bound of the equivalence tests: far
// beyond what any fixture reaches there.
const equivalenceMaxDepth = 5000

// Export and import kinds of the binary format.
const (
	kindFunc   = 0x00
	kindTable  = 0x01
	kindMemory = 0x02
	kindGlobal = 0x03
)

// readFixture returns a committed fixture by its path under fixtureDir.
func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	wasm, err := os.ReadFile(filepath.Join(fixtureDir, name))
	require.NoError(t, err, "fixture %s (rebuild with %s/build.sh)", name, fixtureDir)
	return wasm
}

// fixtureNames lists the fixtures the equivalence tests run: every
// testdata/instrument/*.wasm (not those under reject/ and support/).
func fixtureNames(t testing.TB) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(fixtureDir, "*.wasm"))
	require.NoError(t, err)
	require.NotEmpty(t, paths, "no fixtures in %s", fixtureDir)
	names := make([]string, 0, len(paths))
	for _, p := range paths {
		names = append(names, strings.TrimSuffix(filepath.Base(p), ".wasm"))
	}
	sort.Strings(names)
	return names
}

func mustInstrument(t testing.TB, wasm []byte, maxDepth uint32) []byte {
	t.Helper()
	out, err := wasmbin.Instrument(wasm, maxDepth)
	require.NoError(t, err)
	return out
}

// --- an independent decoder of the module structure ---

type wsection struct {
	id      byte
	payload []byte
}

type wreader struct {
	b   []byte
	err error
}

func (r *wreader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf(format, args...)
	}
	r.b = nil
}

func (r *wreader) byte() byte {
	if len(r.b) == 0 {
		r.fail("truncated")
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *wreader) u32() uint32 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 || v > math.MaxUint32 {
		r.fail("bad u32")
		return 0
	}
	r.b = r.b[n:]
	return uint32(v)
}

func (r *wreader) bytes() []byte {
	n := r.u32()
	if uint64(n) > uint64(len(r.b)) {
		r.fail("truncated vector")
		return nil
	}
	b := r.b[:n]
	r.b = r.b[n:]
	return b
}

// constExpr skips a constant expression of the 2.0 core spec.
func (r *wreader) constExpr() {
	for r.err == nil {
		switch op := r.byte(); op {
		case 0x0b:
			return
		case 0x41, 0x42, 0x23, 0xd2: // i32.const, i64.const, global.get, ref.func
			for r.err == nil && r.byte()&0x80 != 0 {
			}
		case 0x43:
			r.b = r.b[min(4, len(r.b)):]
		case 0x44:
			r.b = r.b[min(8, len(r.b)):]
		case 0xd0:
			r.byte()
		case 0xfd: // v128.const
			if r.u32() != 12 {
				r.fail("unexpected SIMD constant instruction")
			}
			r.b = r.b[min(16, len(r.b)):]
		default:
			r.fail("unexpected constant instruction 0x%02x", op)
		}
	}
}

func (r *wreader) limits() {
	if r.byte()&1 != 0 {
		r.u32()
	}
	r.u32()
}

func parseSections(t testing.TB, wasm []byte) []wsection {
	t.Helper()
	require.True(t, bytes.HasPrefix(wasm, []byte("\x00asm\x01\x00\x00\x00")), "wasm header")
	r := &wreader{b: wasm[8:]}
	var out []wsection
	for len(r.b) > 0 && r.err == nil {
		id := r.byte()
		out = append(out, wsection{id: id, payload: r.bytes()})
	}
	require.NoError(t, r.err)
	return out
}

// sectionEnds returns the offsets at which sections end: the prefixes of a
// module that are themselves well-formed modules.
func sectionEnds(t testing.TB, wasm []byte) []int {
	t.Helper()
	ends := []int{8}
	for _, s := range parseSections(t, wasm) {
		ends = append(ends, ends[len(ends)-1]+1+len(binary.AppendUvarint(nil, uint64(len(s.payload))))+len(s.payload))
	}
	return ends
}

func sectionPayload(sections []wsection, id byte) ([]byte, bool) {
	for _, s := range sections {
		if s.id == id {
			return s.payload, true
		}
	}
	return nil, false
}

type wimport struct {
	module, name string
	kind         byte
}

func parseImports(t testing.TB, wasm []byte) []wimport {
	t.Helper()
	payload, ok := sectionPayload(parseSections(t, wasm), 2)
	if !ok {
		return nil
	}
	r := &wreader{b: payload}
	n := r.u32()
	out := make([]wimport, 0, n)
	for range n {
		imp := wimport{module: string(r.bytes()), name: string(r.bytes()), kind: r.byte()}
		switch imp.kind {
		case kindFunc:
			r.u32()
		case kindTable:
			r.byte()
			r.limits()
		case kindMemory:
			r.limits()
		case kindGlobal:
			r.byte()
			r.byte()
		default:
			r.fail("import kind %d", imp.kind)
		}
		out = append(out, imp)
	}
	require.NoError(t, r.err)
	return out
}

type wexport struct {
	name string
	kind byte
	idx  uint32
}

func parseExports(t testing.TB, wasm []byte) []wexport {
	t.Helper()
	payload, ok := sectionPayload(parseSections(t, wasm), 7)
	if !ok {
		return nil
	}
	r := &wreader{b: payload}
	n := r.u32()
	out := make([]wexport, 0, n)
	for range n {
		out = append(out, wexport{name: string(r.bytes()), kind: r.byte(), idx: r.u32()})
	}
	require.NoError(t, r.err)
	return out
}

// elementFlags returns the flags of every element segment.
func elementFlags(t testing.TB, wasm []byte) []uint32 {
	t.Helper()
	payload, ok := sectionPayload(parseSections(t, wasm), 9)
	if !ok {
		return nil
	}
	r := &wreader{b: payload}
	n := r.u32()
	var out []uint32
	for range n {
		flags := r.u32()
		out = append(out, flags)
		if flags&3 == 2 {
			r.u32()
		}
		if flags&1 == 0 {
			r.constExpr()
		}
		if flags&3 != 0 {
			r.byte()
		}
		for range r.u32() {
			if flags&4 != 0 {
				r.constExpr()
			} else {
				r.u32()
			}
		}
	}
	require.NoError(t, r.err)
	return out
}

func customNames(t testing.TB, wasm []byte) []string {
	t.Helper()
	var out []string
	for _, s := range parseSections(t, wasm) {
		if s.id == 0 {
			r := &wreader{b: s.payload}
			out = append(out, string(r.bytes()))
			require.NoError(t, r.err)
		}
	}
	return out
}

// --- the wazero harness ---

var (
	cacheOnce               sync.Once
	cache, cacheInterrupted wazero.CompilationCache
)

// runtimeConfig is what the engine runs guests with: the compiler (on
// platforms that have it) and the 2.0 core features. A shared in-memory
// cache saves compiling a fixture again for every instance.
func runtimeConfig() wazero.RuntimeConfig {
	cacheOnce.Do(func() { cache, cacheInterrupted = wazero.NewCompilationCache(), wazero.NewCompilationCache() })
	return wazero.NewRuntimeConfig().WithCoreFeatures(api.CoreFeaturesV2).WithCompilationCache(cache)
}

// interruptibleConfig is runtimeConfig with wazero's own context checks,
// so that a test gone wrong (an export running the wrong function, say)
// ends at callTimeout instead of hanging.
func interruptibleConfig() wazero.RuntimeConfig {
	runtimeConfig()
	return wazero.NewRuntimeConfig().WithCoreFeatures(api.CoreFeaturesV2).
		WithCompilationCache(cacheInterrupted).WithCloseOnContextDone(true)
}

// callTimeout bounds every call a test makes through guest.call.
const callTimeout = 20 * time.Second

// host records what the guest does with the host functions, and answers
// the instrumentation's yield.
type host struct {
	mu     sync.Mutex
	log    []string
	yields int
	// onYield returns the next budget; nil means wasmbin.Budget. It may panic
	// to stop the guest.
	onYield func(ctx context.Context, n int) int32
	// onlyYieldStops runs the guest without wazero's own context checks:
	// only the yield can stop it (see TestInstrumentDeadline).
	onlyYieldStops bool
}

func (h *host) record(format string, args ...any) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.log = append(h.log, fmt.Sprintf(format, args...))
}

func (h *host) logCopy() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.log...)
}

func (h *host) yieldCount() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.yields
}

// guest is one instance of a module under test, in a runtime of its own.
type guest struct {
	rt   wazero.Runtime
	cm   wazero.CompiledModule
	mod  api.Module
	env  api.Module
	host *host
}

// newGuest instantiates wasm in a new runtime, after the "host" functions,
// the "env" module and the yield import. It returns the instantiation's
// error (a start function's trap, say) with the guest it could not make.
func newGuest(t testing.TB, ctx context.Context, wasm []byte, h *host) (*guest, error) {
	t.Helper()
	config := interruptibleConfig()
	if h.onlyYieldStops {
		config = runtimeConfig()
	}
	rt := wazero.NewRuntimeWithConfig(ctx, config)
	t.Cleanup(func() { _ = rt.Close(context.Background()) })
	g := &guest{rt: rt, host: h}
	i32, i64, f32, f64 := api.ValueTypeI32, api.ValueTypeI64, api.ValueTypeF32, api.ValueTypeF64
	_, err := rt.NewHostModuleBuilder("host").
		NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(func(_ context.Context, _ api.Module, s []uint64) {
		h.record("add(%d, %d)", int32(s[0]), int32(s[1]))
		s[0] = uint64(uint32(int32(s[0]) + int32(s[1])))
	}), []api.ValueType{i32, i32}, []api.ValueType{i32}).Export("add").
		NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(func(_ context.Context, _ api.Module, s []uint64) {
		h.record("log(%d)", int32(s[0]))
	}), []api.ValueType{i32}, nil).Export("log").
		NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(func(_ context.Context, _ api.Module, s []uint64) {
		h.record("tick")
	}), nil, nil).Export("tick").
		NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(func(_ context.Context, _ api.Module, s []uint64) {
		a, b, c, d := int64(s[0]), api.DecodeF32(s[1]), api.DecodeF64(s[2]), int32(s[3])
		h.record("mix(%d, %#x, %#x, %d)", a, math.Float32bits(b), math.Float64bits(c), d)
		s[0] = api.EncodeF64(float64(a) + 2*float64(b) + 3*c + float64(d))
	}), []api.ValueType{i64, f32, f64, i32}, []api.ValueType{f64}).Export("mix").
		NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(func(ctx context.Context, m api.Module, s []uint64) {
		n := int32(s[0])
		h.record("reenter(%d)", n)
		if n < 0 || n > 20 {
			s[0] = uint64(uint32(0xffffffff))
			return
		}
		res, err := m.ExportedFunction("reentry_target").Call(ctx, uint64(uint32(n)))
		if err != nil {
			panic(err)
		}
		s[0] = res[0]
	}), []api.ValueType{i32}, []api.ValueType{i32}).Export("reenter").
		Instantiate(ctx)
	require.NoError(t, err)
	_, err = rt.NewHostModuleBuilder(wasmbin.YieldModule).
		NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(func(ctx context.Context, _ api.Module, s []uint64) {
		h.mu.Lock()
		h.yields++
		n, on := h.yields, h.onYield
		h.mu.Unlock()
		budget := int32(wasmbin.Budget)
		if on != nil {
			budget = on(ctx, n)
		}
		s[0] = uint64(uint32(budget))
	}), nil, []api.ValueType{i32}).Export(wasmbin.YieldFunc).
		Instantiate(ctx)
	require.NoError(t, err)
	g.env, err = rt.InstantiateWithConfig(ctx, readFixture(t, "support/env.wasm"), wazero.NewModuleConfig().WithName("env"))
	require.NoError(t, err)
	g.cm, err = rt.CompileModule(ctx, wasm)
	require.NoError(t, err, "wazero does not compile the module")
	g.mod, err = rt.InstantiateModule(ctx, g.cm, wazero.NewModuleConfig().WithName("guest").WithStartFunctions())
	return g, err
}

// mustGuest is newGuest for a module that must instantiate.
func mustGuest(t testing.TB, wasm []byte, h *host) *guest {
	t.Helper()
	if h == nil {
		h = &host{}
	}
	g, err := newGuest(t, context.Background(), wasm, h)
	require.NoError(t, err)
	return g
}

// call calls an exported function, for at most callTimeout.
func (g *guest) call(ctx context.Context, name string, args ...uint64) ([]uint64, error) {
	fn := g.mod.ExportedFunction(name)
	if fn == nil {
		return nil, fmt.Errorf("no function %q", name)
	}
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	return fn.Call(ctx, args...)
}

// depth returns the instrumentation's call-depth counter.
func (g *guest) depth(t testing.TB) uint32 {
	t.Helper()
	d := g.mod.ExportedGlobal(wasmbin.DepthGlobal)
	require.NotNil(t, d, "no %s export", wasmbin.DepthGlobal)
	return uint32(d.Get())
}

func (g *guest) resetDepth(t testing.TB) {
	t.Helper()
	d, ok := g.mod.ExportedGlobal(wasmbin.DepthGlobal).(api.MutableGlobal)
	require.True(t, ok, "%s is not mutable", wasmbin.DepthGlobal)
	d.Set(0)
}

func (g *guest) global(t testing.TB, name string) uint64 {
	t.Helper()
	v := g.mod.ExportedGlobal(name)
	require.NotNil(t, v, "no global %q", name)
	return v.Get()
}

// state is what a guest's calls can change, as far as a test can see.
type state struct {
	Globals   map[string]uint64 // exported globals but the depth counter
	Memory    []byte
	EnvMemory []byte
	EnvGMut   uint64
	Log       []string
}

func (g *guest) state(t testing.TB, exports []wexport) state {
	t.Helper()
	s := state{Globals: map[string]uint64{}, Log: g.host.logCopy()}
	for _, e := range exports {
		if e.kind == kindGlobal && e.name != wasmbin.DepthGlobal {
			s.Globals[e.name] = g.global(t, e.name)
		}
	}
	if m := g.mod.Memory(); m != nil && !reflect.ValueOf(m).IsNil() { // wazero returns a typed nil
		b, ok := m.Read(0, m.Size())
		require.True(t, ok)
		s.Memory = bytes.Clone(b)
	}
	m := g.env.Memory()
	b, ok := m.Read(0, m.Size())
	require.True(t, ok)
	s.EnvMemory = bytes.Clone(b)
	s.EnvGMut = g.env.ExportedGlobal("g_mut").Get()
	return s
}

// requireSameState compares two states, reporting the first differing
// memory byte rather than two dumps.
func requireSameState(t testing.TB, want, got state, msgAndArgs ...any) {
	t.Helper()
	require.Equal(t, want.Globals, got.Globals, msgAndArgs...)
	require.Equal(t, want.Log, got.Log, msgAndArgs...)
	require.Equal(t, want.EnvGMut, got.EnvGMut, msgAndArgs...)
	for _, m := range [][2][]byte{{want.Memory, got.Memory}, {want.EnvMemory, got.EnvMemory}} {
		require.Equal(t, len(m[0]), len(m[1]), msgAndArgs...)
		if i := firstDiff(m[0], m[1]); i >= 0 {
			require.Failf(t, "memories differ", "first difference at byte %d: %#x vs %#x; %v", i, m[0][i], m[1][i], fmt.Sprint(msgAndArgs...))
		}
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return -1
}

// trapText is the first line of a wazero error: the trap without the
// stack trace, whose function names differ between the two modules.
func trapText(err error) string {
	if err == nil {
		return ""
	}
	text, _, _ := strings.Cut(err.Error(), "\n")
	return text
}

// compile compiles a module in a new runtime configured like the engine's
// and returns wazero's verdict.
func compile(wasm []byte) error {
	ctx := context.Background()
	rt := wazero.NewRuntimeWithConfig(ctx, runtimeConfig())
	defer rt.Close(ctx)
	cm, err := rt.CompileModule(ctx, wasm)
	if err == nil {
		_ = cm.Close(ctx)
	}
	return err
}

// mustInstrumentCompiles instruments a module and requires wazero to
// compile the result.
func mustInstrumentCompiles(t testing.TB, wasm []byte, maxDepth uint32) []byte {
	t.Helper()
	out := mustInstrument(t, wasm, maxDepth)
	require.NoError(t, compile(out), "wazero does not compile the instrumented module (maxDepth %d)", maxDepth)
	return out
}
