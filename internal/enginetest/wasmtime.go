//go:build cgo

package enginetest

import (
	"context"

	"github.com/civetbox/civetbox/runtime/engine"
	"github.com/civetbox/civetbox/runtime/engine/wasmtime"
)

func init() {
	factories = append(factories, Factory{Name: wasmtime.Name,
		New: func(ctx context.Context, cfg engine.Config) (engine.Engine, error) { return wasmtime.New(ctx, cfg) }})
}
