// Package enginetest runs a test body once per wasm engine compiled into the
// test binary, so integration tests are written once and hold on every
// engine.
package enginetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/civetbox/civetbox/hostfuncs"
	"github.com/civetbox/civetbox/runtime/engine"
	"github.com/civetbox/civetbox/runtime/engine/wazero"
)

// Factory creates an engine.
type Factory struct {
	Name string
	New  func(ctx context.Context, cfg engine.Config) (engine.Engine, error)
}

// factories are the engines compiled into the test binary: wazero always,
// wasmtime when cgo is available (wasmtime.go).
var factories = []Factory{
	{Name: wazero.Name, New: func(ctx context.Context, cfg engine.Config) (engine.Engine, error) { return wazero.New(ctx, cfg) }},
}

// Factories lists the engines available to tests.
func Factories() []Factory { return append([]Factory(nil), factories...) }

// Run runs body as a subtest per engine, each with a fresh engine serving
// the civetbox host module; the engine is closed when the subtest ends.
func Run(t *testing.T, body func(t *testing.T, eng engine.Engine)) {
	t.Helper()
	RunConfig(t, engine.Config{}, body)
}

// RunConfig is Run with an engine configuration; its Hosts are always the
// civetbox host modules.
func RunConfig(t *testing.T, cfg engine.Config, body func(t *testing.T, eng engine.Engine)) {
	t.Helper()
	for _, f := range Factories() {
		t.Run(f.Name, func(t *testing.T) {
			eng := New(t, f, cfg)
			body(t, eng)
		})
	}
}

// New creates an engine from f for the duration of t.
func New(t testing.TB, f Factory, cfg engine.Config) engine.Engine {
	t.Helper()
	cfg.Hosts = hostfuncs.Modules()
	eng, err := f.New(context.Background(), cfg)
	if err != nil {
		t.Fatalf("enginetest: %s: %v", f.Name, err)
	}
	t.Cleanup(func() { _ = eng.Close(context.Background()) })
	return eng
}

// EachName runs body as a subtest per engine, by name, for tests that
// start servers from configurations naming their engines.
func EachName(t *testing.T, body func(t *testing.T, engine string)) {
	t.Helper()
	for _, f := range Factories() {
		t.Run(f.Name, func(t *testing.T) { body(t, f.Name) })
	}
}

// NewByName starts the named engine, as server.Options.NewEngine does.
func NewByName(ctx context.Context, name string, cfg engine.Config) (engine.Engine, error) {
	for _, f := range Factories() {
		if f.Name == name {
			return f.New(ctx, cfg)
		}
	}
	return nil, fmt.Errorf("enginetest: engine %q is not compiled in", name)
}
