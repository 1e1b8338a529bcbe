package runtime

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/civetbox/civetbox/abi"
	"github.com/civetbox/civetbox/hostfuncs"
	"github.com/civetbox/civetbox/internal/wasmbin"
	"github.com/civetbox/civetbox/runtime/engine"
)

// Errors that reject a module at load time. A *ModuleError wraps one of them
// with the details.
var (
	ErrNotWasm      = errors.New("not a WebAssembly module")
	ErrCompile      = errors.New("module does not compile")
	ErrNoABIVersion = errors.New("module carries no civetbox ABI version")
	ErrABIVersion   = errors.New("module was built for another civetbox ABI version")
	ErrImport       = errors.New("module imports a function the host does not provide")
	ErrExport       = errors.New("module lacks a required export")
	ErrInit         = errors.New("module's civetbox_init failed")
	ErrConfig       = errors.New("module's configuration is unusable")
)

// ModuleError is a module the runtime refuses to serve.
type ModuleError struct {
	Module string // Config.Name
	Err    error  // one of the Err* values above, wrapped with details
}

func (e *ModuleError) Error() string { return "runtime: module[" + e.Module + "]: " + e.Err.Error() }

func (e *ModuleError) Unwrap() error { return e.Err }

// checkABIVersion reads the version the guest SDK stamped into the module.
func checkABIVersion(wasm []byte) error {
	payload, found, err := wasmbin.CustomSection(wasm, abi.VersionSection)
	switch {
	case errors.Is(err, wasmbin.ErrNotWasm):
		return fmt.Errorf("%w: the file does not start with the \\0asm header", ErrNotWasm)
	case err != nil:
		return fmt.Errorf("%w: %w", ErrNotWasm, err)
	case !found:
		return fmt.Errorf("%w (no %q custom section): build it with `civetbox build` or link guests/c/src/civetbox_abi.c",
			ErrNoABIVersion, abi.VersionSection)
	case len(payload) != 4:
		return fmt.Errorf("%w: the %q section holds %d bytes, want 4", ErrNoABIVersion, abi.VersionSection, len(payload))
	}
	if v := binary.LittleEndian.Uint32(payload); v != abi.Version {
		return fmt.Errorf("%w: built for ABI v%d, this host speaks v%d; rebuild it with this civetbox's SDK",
			ErrABIVersion, v, abi.Version)
	}
	return nil
}

// checkImports accepts civetbox host functions with their exact ABI
// signature and WASI preview 1 functions; anything else is refused by name.
func checkImports(imports []engine.Import) error {
	for _, imp := range imports {
		switch imp.Module {
		case abi.WASIModule:
			if err := checkHostImport(imp, abi.LookupWASIFunc); err != nil {
				return err
			}
		case abi.HostModule:
			if err := checkHostImport(imp, abi.LookupHostFunc); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%w: imports %q.%q, which is not part of the civetbox ABI v%d",
				ErrImport, imp.Module, imp.Name, abi.Version)
		}
	}
	return nil
}

func checkHostImport(imp engine.Import, lookup func(string) (abi.HostFunc, bool)) error {
	sig, ok := lookup(imp.Name)
	if !ok {
		return fmt.Errorf("%w: imports %q.%q, which civetbox ABI v%d does not define",
			ErrImport, imp.Module, imp.Name, abi.Version)
	}
	if !sameSignature(imp.Params, imp.Results, hostfuncs.EngineTypes(sig.Params), hostfuncs.EngineTypes(sig.Results)) {
		return fmt.Errorf("%w: imports %q.%q with signature %s, but ABI v%d defines %s",
			ErrImport, imp.Module, imp.Name, signature(imp.Params, imp.Results), abi.Version,
			signature(hostfuncs.EngineTypes(sig.Params), hostfuncs.EngineTypes(sig.Results)))
	}
	return nil
}

// checkExports requires civetbox_abi_init and civetbox_abi_dispatch with their
// ABI signatures.
func checkExports(exports []engine.Export) error {
	for _, want := range abi.GuestExports() {
		i := slices.IndexFunc(exports, func(e engine.Export) bool { return e.Name == want.Name })
		if i < 0 {
			if want.Optional {
				continue
			}
			return fmt.Errorf("%w: it does not export %q (is it built with the civetbox SDK and does it define civetbox_init?)",
				ErrExport, want.Name)
		}
		params, results := hostfuncs.EngineTypes(want.Params), hostfuncs.EngineTypes(want.Results)
		if !sameSignature(exports[i].Params, exports[i].Results, params, results) {
			return fmt.Errorf("%w: it exports %q with signature %s, want %s",
				ErrExport, want.Name, signature(exports[i].Params, exports[i].Results), signature(params, results))
		}
	}
	return nil
}

func sameSignature(params, results, wantParams, wantResults []engine.ValueType) bool {
	return slices.Equal(params, wantParams) && slices.Equal(results, wantResults)
}

// signature formats a wasm function type as "(i32, i32) -> i32".
func signature(params, results []engine.ValueType) string {
	return "(" + typeList(params) + ") -> (" + typeList(results) + ")"
}

func typeList(ts []engine.ValueType) string {
	names := make([]string, len(ts))
	for i, t := range ts {
		names[i] = t.String()
	}
	return strings.Join(names, ", ")
}

// CheckABIVersion checks the ABI version a module carries, as Load does;
// deploy/admission calls it on uploads. Errors wrap ErrNotWasm,
// ErrNoABIVersion or ErrABIVersion.
func CheckABIVersion(wasm []byte) error { return checkABIVersion(wasm) }

// CheckInterface checks a module's function imports and exports against
// the ABI, as Load does once the module compiled; deploy/admission calls it
// with what it decoded itself. Errors wrap ErrImport or ErrExport.
func CheckInterface(imports []engine.Import, exports []engine.Export) error {
	if err := checkImports(imports); err != nil {
		return err
	}
	return checkExports(exports)
}
