package admission_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/deploy/admission"
	"github.com/civetbox/civetbox/hostfuncs"
	"github.com/civetbox/civetbox/runtime/engine"
	"github.com/civetbox/civetbox/runtime/engine/wazero"
)

// gateEngine is an engine.Engine whose Compile announces itself on started
// and returns only when release is closed, ignoring ctx like an engine
// stuck in a slow compile.
type gateEngine struct {
	started chan struct{}
	release chan struct{}
	err     error
	running atomic.Int32
	closed  atomic.Int32 // modules closed
}

func newGateEngine() *gateEngine {
	return &gateEngine{started: make(chan struct{}, 16), release: make(chan struct{})}
}

func (e *gateEngine) Name() string { return "gate" }

func (e *gateEngine) Compile(context.Context, []byte) (engine.Module, error) {
	e.running.Add(1)
	defer e.running.Add(-1)
	e.started <- struct{}{}
	<-e.release
	if e.err != nil {
		return nil, e.err
	}
	return gateModule{e}, nil
}

func (e *gateEngine) Close(context.Context) error { return nil }

type gateModule struct{ e *gateEngine }

func (gateModule) Imports() []engine.Import { return nil }
func (gateModule) Exports() []engine.Export { return nil }
func (gateModule) Instantiate(context.Context) (engine.Instance, error) {
	return nil, errors.New("gate")
}
func (m gateModule) Close(context.Context) error { m.e.closed.Add(1); return nil }

// check runs c.Check in a goroutine and returns its result channel.
func check(ctx context.Context, c *admission.Compiler, eng engine.Engine) <-chan error {
	out := make(chan error, 1)
	go func() { out <- c.Check(ctx, eng, []byte("wasm")) }()
	return out
}

func TestCompiler_compilesAndClosesTheModule(t *testing.T) {
	eng := newGateEngine()
	close(eng.release)
	require.NoError(t, admission.NewCompiler(1, time.Second).Check(context.Background(), eng, nil))
	require.Equal(t, int32(1), eng.closed.Load())
}

func TestCompiler_compileErrorIsARejection(t *testing.T) {
	eng := newGateEngine()
	eng.err = errors.New("gate: invalid function[3]: type mismatch")
	close(eng.release)
	err := admission.NewCompiler(1, time.Second).Check(context.Background(), eng, nil)
	requireRejection(t, err, admission.ProblemCompile, "does not compile: gate: invalid function[3]: type mismatch")
}

// TestCompiler_timeoutKeepsTheSlot: a compile over the time limit is a
// compile_timeout naming the limit, and its worker stays taken until the
// engine returns, so another upload waits instead of compiling beside it.
func TestCompiler_timeoutKeepsTheSlot(t *testing.T) {
	eng := newGateEngine()
	c := admission.NewCompiler(1, 30*time.Millisecond)
	err := c.Check(context.Background(), eng, nil)
	requireRejection(t, err, admission.ProblemCompileTimeout, "did not compile within 30ms, the limit")
	require.Equal(t, int32(1), eng.running.Load(), "the engine is still compiling")

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err = c.Check(ctx, eng, nil)
	require.ErrorIs(t, err, context.DeadlineExceeded, "the second upload waited for the stuck one's worker")
	require.Len(t, eng.started, 1, "the second upload never reached the engine")

	close(eng.release)
	require.NoError(t, c.Check(context.Background(), eng, nil), "the worker is free once the engine returns")
}

// TestCompiler_boundsConcurrentCompiles: with N workers, N+1 uploads run N
// compiles; the last starts when one finishes.
func TestCompiler_boundsConcurrentCompiles(t *testing.T) {
	const workers = 3
	eng := newGateEngine()
	c := admission.NewCompiler(workers, 10*time.Second)
	var results []<-chan error
	for range workers + 1 {
		results = append(results, check(context.Background(), c, eng))
	}
	for range workers {
		<-eng.started
	}
	select {
	case <-eng.started:
		t.Fatal("a compile started beyond the worker limit")
	case <-time.After(50 * time.Millisecond):
	}
	require.Equal(t, int32(workers), eng.running.Load())
	close(eng.release)
	for _, r := range results {
		require.NoError(t, <-r)
	}
	require.Len(t, eng.started, 1, "the waiting upload compiled once a worker was free")
}

func TestCompiler_cancelWhileWaiting(t *testing.T) {
	eng := newGateEngine()
	c := admission.NewCompiler(1, 10*time.Second)
	first := check(context.Background(), c, eng)
	<-eng.started

	ctx, cancel := context.WithCancel(context.Background())
	second := check(ctx, c, eng)
	cancel()
	err := <-second
	require.ErrorIs(t, err, context.Canceled)
	var rej *admission.Rejection
	require.False(t, errors.As(err, &rej), "a caller giving up is not the module's fault")

	close(eng.release)
	require.NoError(t, <-first)
}

func TestCompiler_cancelWhileCompiling(t *testing.T) {
	eng := newGateEngine()
	defer close(eng.release)
	ctx, cancel := context.WithCancel(context.Background())
	result := check(ctx, admission.NewCompiler(1, 10*time.Second), eng)
	<-eng.started
	cancel()
	require.ErrorIs(t, <-result, context.Canceled)
}

func TestCompiler_wazero(t *testing.T) {
	eng, err := wazero.New(context.Background(), engine.Config{Hosts: hostfuncs.Modules()})
	require.NoError(t, err)
	t.Cleanup(func() { _ = eng.Close(context.Background()) })
	c := admission.NewCompiler(2, 30*time.Second)

	require.NoError(t, c.Check(context.Background(), eng, read(t, filepath.Join(repoRoot, "examples/hello/hello.wasm"))))
	require.NoError(t, c.Check(context.Background(), eng, guest()), "the hostile cases' base module is valid wasm")

	// Inspect does not type-check: i32.add on an empty stack decodes but
	// does not validate.
	illTyped := guest(func(s *spec) { addFunc(s, []byte{0x00, 0x6a, 0x0b}) })
	_, err = admission.Inspect(illTyped, admission.Limits{})
	require.NoError(t, err)
	requireRejection(t, c.Check(context.Background(), eng, illTyped), admission.ProblemCompile, "does not compile")
	requireRejection(t, c.Check(context.Background(), eng, []byte("\x00asm\x01\x00\x00\x00\x01\xff")),
		admission.ProblemCompile, "does not compile")
}
