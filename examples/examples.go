// Package examples bundles the example handlers: each directory holds a
// CivetWeb-style C handler and its committed .wasm build. "civetbox serve"
// serves them all from its built-in configuration.
//
// Rebuild every committed guest in the repository with:
//
//	go generate ./...
package examples

import (
	"embed"
	"path"
	"strings"
)

//go:generate go run ../internal/cmd/buildguest -o hello/hello.wasm hello/hello.c
//go:generate go run ../internal/cmd/buildguest -o echo/echo.wasm echo/echo.c
//go:generate go run ../internal/cmd/buildguest -o info/info.wasm info/info.c
//go:generate go run ../internal/cmd/buildguest -o query/query.wasm query/query.c
//go:generate go run ../internal/cmd/buildguest -o status/status.wasm status/status.c

//go:embed */*.wasm
var modules embed.FS

// Example is one bundled handler.
type Example struct {
	Name string // directory name, e.g. "hello"
	Wasm []byte
}

// All returns the bundled examples in name order.
func All() []Example {
	entries, err := modules.ReadDir(".")
	if err != nil {
		panic("examples: embedded files unreadable: " + err.Error())
	}
	var out []Example
	for _, e := range entries {
		name := e.Name()
		wasm, err := modules.ReadFile(path.Join(name, name+".wasm"))
		if err != nil || strings.HasPrefix(name, ".") {
			continue
		}
		out = append(out, Example{Name: name, Wasm: wasm})
	}
	return out
}
