package wasmbin_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/civetbox/civetbox/internal/wasmbin"
)

var (
	fuzzRuntimeOnce sync.Once
	fuzzRuntime     wazero.Runtime
)

// fuzzCompile compiles with one runtime per process, turning a panic of
// wazero's (it has some on odd input) into an error.
func fuzzCompile(wasm []byte) (err error) {
	fuzzRuntimeOnce.Do(func() {
		fuzzRuntime = wazero.NewRuntimeWithConfig(context.Background(), wazero.NewRuntimeConfig().WithCoreFeatures(api.CoreFeaturesV2))
	})
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("wazero panicked: %v", r)
		}
	}()
	cm, err := fuzzRuntime.CompileModule(context.Background(), wasm)
	if err == nil {
		_ = cm.Close(context.Background())
	}
	return err
}

// FuzzInstrument: Instrument and ExportGlobals never panic, and when they
// accept a module wazero compiles, wazero compiles their results too. Seeds: every fixture,
// including the refused ones, and a sample of the spec test modules.
//
//	go test ./internal/wasmbin/ -run '^$' -fuzz FuzzInstrument -fuzztime 60s
func FuzzInstrument(f *testing.F) {
	for _, pattern := range []string{"*.wasm", "reject/*.wasm", "support/*.wasm"} {
		paths, err := filepath.Glob(filepath.Join(fixtureDir, pattern))
		if err != nil {
			f.Fatal(err)
		}
		for _, p := range paths {
			wasm, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(wasm)
		}
	}
	for _, m := range spectestSample(f, 60) {
		f.Add(m.wasm)
	}
	f.Fuzz(func(t *testing.T, wasm []byte) {
		out, err := wasmbin.Instrument(wasm, 10000)
		exported, exportErr := wasmbin.ExportGlobals(wasm)
		if exportErr != nil && exported != nil {
			t.Fatalf("ExportGlobals returned both a module and %v", exportErr)
		}
		if err != nil {
			if out != nil {
				t.Fatalf("Instrument returned both a module and %v", err)
			}
			return
		}
		if fuzzCompile(wasm) != nil {
			return
		}
		if err := fuzzCompile(out); err != nil {
			t.Fatalf("wazero compiles the module but not its instrumented version: %v", err)
		}
		if exportErr != nil {
			t.Fatalf("Instrument accepts the module but ExportGlobals refuses it: %v", exportErr)
		}
		if err := fuzzCompile(exported.Wasm); err != nil {
			t.Fatalf("wazero compiles the module but not its version with exported globals: %v", err)
		}
	})
}
