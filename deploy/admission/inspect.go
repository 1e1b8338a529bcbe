package admission

import (
	"errors"

	"github.com/civetbox/civetbox/abi"
	"github.com/civetbox/civetbox/internal/wasmbin"
	"github.com/civetbox/civetbox/runtime"
)

// Inspect checks a module's structure without an engine: ABI version,
// imports and exports, and lim (zero fields: DefaultLimits). Module
// problems are *Rejection; the only other error is lim failing Validate.
func Inspect(wasm []byte, lim Limits) (*Report, error) {
	if err := lim.Validate(); err != nil {
		return nil, err
	}
	lim = lim.withDefaults()
	if err := runtime.CheckABIVersion(wasm); err != nil {
		return nil, abiRejection(err)
	}
	stats, err := wasmbin.Inspect(wasm)
	if err != nil {
		return nil, reject(ProblemNotWasm, "the module does not decode: %s", wasmbin.Detail(err))
	}
	if err := checkInterface(stats); err != nil {
		return nil, err
	}
	if err := lim.check(stats); err != nil {
		return nil, err
	}
	return newReport(stats), nil
}

// abiRejection classifies runtime.CheckABIVersion's errors, whose text is
// already meant for whoever built the module.
func abiRejection(err error) *Rejection {
	if errors.Is(err, runtime.ErrNotWasm) {
		return &Rejection{Problem: ProblemNotWasm, Message: err.Error()}
	}
	return &Rejection{Problem: ProblemABIVersion, Message: err.Error()}
}

func newReport(s *wasmbin.Stats) *Report {
	r := &Report{ABIVersion: abi.Version, Functions: len(s.Functions), DataBytes: s.DataBytes}
	for _, imp := range s.Imports {
		r.Imports = append(r.Imports, imp.Module+"."+imp.Name)
	}
	for _, exp := range s.Exports {
		r.Exports = append(r.Exports, exp.Name)
	}
	if len(s.Memories) > 0 {
		r.InitialMemoryPages = s.Memories[0].Min
	}
	for _, f := range s.Functions {
		r.MaxNestingDepth = max(r.MaxNestingDepth, f.Depth)
		r.MaxLocals = max(r.MaxLocals, int(f.Locals)) // checked against the limit first
		r.MaxBodyBytes = max(r.MaxBodyBytes, f.BodyBytes)
	}
	return r
}
