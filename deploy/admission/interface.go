package admission

import (
	"errors"

	"github.com/civetbox/civetbox/abi"
	"github.com/civetbox/civetbox/internal/wasmbin"
	"github.com/civetbox/civetbox/runtime"
	"github.com/civetbox/civetbox/runtime/engine"
)

// memoryExport is the name both engine adapters find a guest's memory by.
const memoryExport = "memory"

// checkInterface checks imports and exports: the function ones with the
// runtime's own rules (the rules Load applies after compiling), the others
// here, since engine.Import and engine.Export describe functions only.
func checkInterface(s *wasmbin.Stats) error {
	if err := checkNonFuncImports(s.Imports); err != nil {
		return err
	}
	err := runtime.CheckInterface(engineImports(s.Imports), engineExports(s.Exports))
	switch {
	case errors.Is(err, runtime.ErrImport):
		return &Rejection{Problem: ProblemImport, Message: err.Error()}
	case err != nil:
		return &Rejection{Problem: ProblemExport, Message: err.Error()}
	}
	return checkMemoryExport(s)
}

// checkNonFuncImports refuses imported memories, tables, globals and tags:
// the host provides functions only.
func checkNonFuncImports(imports []wasmbin.Import) error {
	for _, imp := range imports {
		switch imp.Kind {
		case wasmbin.KindFunc:
		case wasmbin.KindMemory, wasmbin.KindTable:
			return reject(ProblemImport, "imports a %s %q.%q; civetbox guests define their own %s",
				imp.Kind, imp.Module, imp.Name, imp.Kind)
		default:
			return reject(ProblemImport, "imports a %s %q.%q; the civetbox ABI v%d provides only functions",
				imp.Kind, imp.Module, imp.Name, abi.Version)
		}
	}
	return nil
}

// checkMemoryExport requires one memory, exported as "memory": the host
// reads and writes guest memory through that export.
func checkMemoryExport(s *wasmbin.Stats) error {
	switch len(s.Memories) {
	case 0:
		return reject(ProblemMemory, "it defines no memory; civetbox guests export theirs as %q", memoryExport)
	case 1:
	default:
		return reject(ProblemMemory, "it defines %d memories; civetbox guests have one", len(s.Memories))
	}
	for _, e := range s.Exports {
		if e.Name == memoryExport && e.Kind == wasmbin.KindMemory {
			return nil
		}
	}
	return reject(ProblemExport, "it does not export its memory as %q", memoryExport)
}

func engineImports(imports []wasmbin.Import) []engine.Import {
	var out []engine.Import
	for _, imp := range imports {
		if imp.Kind == wasmbin.KindFunc {
			out = append(out, engine.Import{Module: imp.Module, Name: imp.Name,
				Params: engineTypes(imp.Func.Params), Results: engineTypes(imp.Func.Results)})
		}
	}
	return out
}

func engineExports(exports []wasmbin.Export) []engine.Export {
	var out []engine.Export
	for _, exp := range exports {
		if exp.Kind == wasmbin.KindFunc {
			out = append(out, engine.Export{Name: exp.Name,
				Params: engineTypes(exp.Func.Params), Results: engineTypes(exp.Func.Results)})
		}
	}
	return out
}

// engineTypes maps value types as the engine adapters do: the ABI uses i32
// and i64 only, and any other type becomes the zero ValueType, which no
// ABI signature contains, so it mismatches.
func engineTypes(ts []wasmbin.ValType) []engine.ValueType {
	out := make([]engine.ValueType, len(ts))
	for i, t := range ts {
		switch t {
		case wasmbin.I32:
			out[i] = engine.I32
		case wasmbin.I64:
			out[i] = engine.I64
		}
	}
	return out
}
