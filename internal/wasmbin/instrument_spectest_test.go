package wasmbin_test

// Differential test over the WebAssembly spec test suite that ships with
// wazero's module: every module wazero compiles must either be refused by
// Instrument as using an unsupported instruction, or compile instrumented.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/civetbox/civetbox/internal/wasmbin"
)

// findSpectestRoot locates wazero's spec test data in the module cache.
func findSpectestRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMODCACHE: %w", err)
	}
	root := filepath.Join(strings.TrimSpace(string(out)),
		"github.com/tetratelabs/wazero@v1.12.0/internal/integration_test/spectest")
	if _, err := os.Stat(root); err != nil {
		return "", fmt.Errorf("wazero's spec tests are not in the module cache (%w): run go mod download github.com/tetratelabs/wazero", err)
	}
	return root, nil
}

// spectestRoot is findSpectestRoot, skipping the test without it.
func spectestRoot(t testing.TB) string {
	t.Helper()
	root, err := findSpectestRoot()
	if err != nil {
		t.Skip(err)
	}
	return root
}

type spectestModule struct {
	path string
	wasm []byte
}

// spectestModules returns the distinct modules of the given suites
// (subdirectories of spectestRoot), in a stable order.
func spectestModules(t testing.TB, suites ...string) []spectestModule {
	t.Helper()
	root := spectestRoot(t)
	seen := map[[32]byte]bool{}
	var out []spectestModule
	for _, suite := range suites {
		paths, err := filepath.Glob(filepath.Join(root, suite, "testdata", "*.wasm"))
		require.NoError(t, err)
		sort.Strings(paths)
		for _, p := range paths {
			wasm, err := os.ReadFile(p)
			require.NoError(t, err)
			sum := sha256.Sum256(wasm)
			if seen[sum] {
				continue
			}
			seen[sum] = true
			out = append(out, spectestModule{path: filepath.Join(suite, filepath.Base(p)), wasm: wasm})
		}
	}
	return out
}

type spectestVerdict int

const (
	verdictOriginalInvalid spectestVerdict = iota // wazero rejects the original: nothing to check
	verdictInstrumented                           // both compile
	verdictUnsupported                            // Instrument refused an unsupported instruction
	verdictFailed                                 // a bug
)

// TestInstrumentSpectest instruments every distinct module of wazero's
// core 1.0 and 2.0 spec tests that wazero compiles with the 2.0 features,
// and compiles the result: about 2,900 modules, compiled in two workers.
func TestInstrumentSpectest(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles thousands of modules")
	}
	mods := spectestModules(t, "v1", "v2")
	require.NotEmpty(t, mods)

	verdicts := make([]spectestVerdict, len(mods))
	details := make([]string, len(mods))
	work := make(chan int)
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := context.Background()
			rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().WithCoreFeatures(api.CoreFeaturesV2))
			defer rt.Close(ctx)
			compiles := func(wasm []byte) error {
				cm, err := rt.CompileModule(ctx, wasm)
				if err == nil {
					_ = cm.Close(ctx)
				}
				return err
			}
			for i := range work {
				verdicts[i], details[i] = spectestCheck(mods[i].wasm, compiles)
			}
		}()
	}
	for i := range mods {
		work <- i
	}
	close(work)
	wg.Wait()

	counts := map[spectestVerdict]int{}
	var failures []string
	for i, v := range verdicts {
		counts[v]++
		if v == verdictFailed {
			failures = append(failures, mods[i].path+": "+details[i])
		}
	}
	t.Logf("%d distinct modules: %d rejected by wazero as they are, %d instrumented and compiled, %d refused as unsupported, %d failures",
		len(mods), counts[verdictOriginalInvalid], counts[verdictInstrumented], counts[verdictUnsupported], counts[verdictFailed])
	require.Empty(t, failures, "modules wazero compiles but not instrumented")
	require.Greater(t, counts[verdictInstrumented], 1000)
}

// spectestCheck instruments one module and judges the outcome.
func spectestCheck(wasm []byte, compiles func([]byte) error) (spectestVerdict, string) {
	if compiles(wasm) != nil {
		return verdictOriginalInvalid, ""
	}
	before := bytes.Clone(wasm)
	out, err := wasmbin.Instrument(wasm, 1000)
	if !bytes.Equal(before, wasm) {
		return verdictFailed, "Instrument changed its input"
	}
	if err != nil {
		if strings.Contains(err.Error(), "not supported") {
			return verdictUnsupported, err.Error()
		}
		return verdictFailed, "Instrument: " + err.Error()
	}
	if err := compiles(out); err != nil {
		return verdictFailed, "wazero rejects the instrumented module: " + err.Error()
	}
	return verdictInstrumented, ""
}

// TestInstrumentSpectestProposals runs Instrument over the suites of the
// proposals wazero does not enable by default (threads, tail calls,
// exceptions, typed function references, extended constants). Their
// modules wazero compiles must pass as above; of the others, the count
// Instrument refuses is only reported.
func TestInstrumentSpectestProposals(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles hundreds of modules")
	}
	for _, suite := range []string{"threads", "tail-call", "exception-handling", "typed-function-references", "extended-const"} {
		t.Run(suite, func(t *testing.T) {
			mods := spectestModules(t, suite)
			ctx := context.Background()
			rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().WithCoreFeatures(api.CoreFeaturesV2))
			defer rt.Close(ctx)
			compiles := func(wasm []byte) error {
				cm, err := rt.CompileModule(ctx, wasm)
				if err == nil {
					_ = cm.Close(ctx)
				}
				return err
			}
			counts := map[spectestVerdict]int{}
			refused := 0
			var failures []string
			for _, m := range mods {
				v, detail := spectestCheck(m.wasm, compiles)
				if v == verdictFailed {
					failures = append(failures, m.path+": "+detail)
				}
				counts[v]++
				if v == verdictOriginalInvalid {
					if _, err := wasmbin.Instrument(m.wasm, 1000); err != nil {
						refused++
					}
				}
			}
			t.Logf("%d modules: %d compile and instrument, %d refused as unsupported, %d failures; of the %d wazero rejects, Instrument refuses %d",
				len(mods), counts[verdictInstrumented], counts[verdictUnsupported], counts[verdictFailed], counts[verdictOriginalInvalid], refused)
			// wazero compiles some typed-function-references modules with
			// the 2.0 features only; see TestInstrumentTypedReferenceTypes.
			require.Empty(t, failures, "modules wazero compiles but Instrument neither refuses as unsupported nor instruments")
		})
	}
}
