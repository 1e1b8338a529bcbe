package admission

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/civetbox/civetbox/runtime/engine"
)

// DefaultCompileTimeout is NewCompiler's time limit when given none: the
// guests in this repository compile in milliseconds, so a module that
// takes seconds is built to hurt the compiler.
const DefaultCompileTimeout = 10 * time.Second

// Compiler compiles uploads on a bounded number of workers with a time
// limit, so that uploads cannot take every core or hold one forever. It is
// safe for concurrent use.
type Compiler struct {
	slots   chan struct{} // one token per running compile
	timeout time.Duration
}

// NewCompiler returns a Compiler running at most workers compiles at once
// (at least 1), each limited to timeout (DefaultCompileTimeout if <= 0).
func NewCompiler(workers int, timeout time.Duration) *Compiler {
	if timeout <= 0 {
		timeout = DefaultCompileTimeout
	}
	return &Compiler{slots: make(chan struct{}, max(workers, 1)), timeout: timeout}
}

// Check compiles wasm with eng and closes the result. It waits for a free
// worker while ctx allows, then returns a *Rejection for a module that does
// not compile (ProblemCompile) or not within the time limit
// (ProblemCompileTimeout), and a wrapped ctx error if the caller gave up.
//
// The compile runs in its own goroutine, which holds the worker until the
// engine really returns: an engine that ignores ctx keeps its slot, so a
// slow module cannot be compiled more times at once than there are workers.
func (c *Compiler) Check(ctx context.Context, eng engine.Engine, wasm []byte) error {
	select {
	case c.slots <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("admission: waiting for a compile worker: %w", ctx.Err())
	}
	cctx, cancel := context.WithTimeout(ctx, c.timeout)
	done := make(chan error, 1) // buffered: the goroutine never waits for Check
	go func() {
		defer func() { <-c.slots }()
		defer cancel()
		done <- compileAndClose(cctx, eng, wasm)
	}()
	select {
	case err := <-done:
		return c.result(ctx, cctx, err)
	case <-cctx.Done():
		select {
		case err := <-done: // sent before the goroutine's cancel woke us
			return c.result(ctx, cctx, err)
		default:
			return c.result(ctx, cctx, context.DeadlineExceeded)
		}
	}
}

// result turns a compile's outcome into Check's error. A compile that
// failed after its deadline passed failed because of it; cctx's error is
// read only then, since the goroutine cancels it once the compile returns.
func (c *Compiler) result(ctx, cctx context.Context, err error) error {
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return fmt.Errorf("admission: compile: %w", ctx.Err())
	case errors.Is(cctx.Err(), context.DeadlineExceeded):
		return reject(ProblemCompileTimeout, "the module did not compile within %s, the limit", c.timeout)
	}
	return reject(ProblemCompile, "the module does not compile: %v", err)
}

// compileAndClose compiles wasm and releases the result. A module that
// compiled but does not close is the engine's trouble, not the upload's.
func compileAndClose(ctx context.Context, eng engine.Engine, wasm []byte) error {
	mod, err := eng.Compile(ctx, wasm)
	if err == nil {
		_ = mod.Close(context.WithoutCancel(ctx))
	}
	return err
}
