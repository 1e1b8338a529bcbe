//go:build cgo

package main

import (
	"context"

	"github.com/civetbox/civetbox/runtime/engine"
	"github.com/civetbox/civetbox/runtime/engine/wasmtime"
)

func init() {
	engines[wasmtime.Name] = func(ctx context.Context, cfg engine.Config) (engine.Engine, error) { return wasmtime.New(ctx, cfg) }
	enginePackages[wasmtime.Name] = "github.com/bytecodealliance/wasmtime-go/v39"
}
