package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/civetbox/civetbox/runtime/engine"
	"github.com/civetbox/civetbox/runtime/engine/wazero"
)

// engines are the wasm engines compiled into this binary, by name.
var engines = map[string]func(context.Context, engine.Config) (engine.Engine, error){
	wazero.Name: func(ctx context.Context, cfg engine.Config) (engine.Engine, error) { return wazero.New(ctx, cfg) },
}

func engineNames() []string {
	names := make([]string, 0, len(engines))
	for name := range engines {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// newEngine starts the named engine, or says which engines exist.
func newEngine(ctx context.Context, name string, cfg engine.Config) (engine.Engine, error) {
	newFn, ok := engines[name]
	if !ok {
		return nil, fmt.Errorf("engine %q is not compiled into this binary (available: %s)", name, strings.Join(engineNames(), ", "))
	}
	return newFn(ctx, cfg)
}
