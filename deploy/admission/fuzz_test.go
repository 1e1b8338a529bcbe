package admission_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/abi"
	"github.com/civetbox/civetbox/deploy/admission"
)

var problems = []string{
	admission.ProblemNotWasm, admission.ProblemABIVersion, admission.ProblemImport, admission.ProblemExport,
	admission.ProblemFunctions, admission.ProblemLocals, admission.ProblemBodySize, admission.ProblemNesting,
	admission.ProblemData, admission.ProblemMemory, admission.ProblemTable,
}

// FuzzInspect: Inspect never panics, refuses only with a *Rejection naming
// a known problem, and what it accepts has a Report that fits both the
// limits and the file.
func FuzzInspect(f *testing.F) {
	for _, path := range validGuests(f) {
		f.Add(read(f, path))
	}
	f.Add(guest())
	f.Add(guest(func(s *spec) { addFunc(s, nested(40)) }))
	f.Add(guest(func(s *spec) { addFunc(s, withLocals(3, 1<<32-1)) }))
	f.Add(guest(func(s *spec) { s.data = append(s.data, passiveData(100)) }))
	f.Add(guest(func(s *spec) { s.tables = [][]byte{append([]byte{0x70}, limits(4, 4)...)} }))
	lim := admission.Limits{MaxNestingDepth: 32, MaxLocalsPerFunction: 64, MaxInitialMemoryPages: 16, MaxTableElements: 64}
	f.Fuzz(func(t *testing.T, wasm []byte) {
		rep, err := admission.Inspect(wasm, lim)
		if err != nil {
			var rej *admission.Rejection
			require.True(t, errors.As(err, &rej), "not a *Rejection: %v", err)
			require.Contains(t, problems, rej.Problem)
			require.NotEmpty(t, rej.Message)
			return
		}
		requireConsistent(t, rep, lim.MaxNestingDepth, len(wasm))
	})
}

func requireConsistent(t *testing.T, rep *admission.Report, maxDepth, size int) {
	def := admission.DefaultLimits()
	require.Equal(t, abi.Version, rep.ABIVersion)
	require.Subset(t, rep.Exports, []string{"memory", abi.ExportInit, abi.ExportDispatch})
	for _, imp := range rep.Imports {
		module, _, _ := strings.Cut(imp, ".")
		require.True(t, slices.Contains([]string{abi.HostModule, abi.WASIModule}, module), imp)
	}
	require.LessOrEqual(t, rep.Functions, def.MaxFunctions)
	require.LessOrEqual(t, 3*rep.Functions, size, "every body takes 3 bytes or more")
	require.LessOrEqual(t, rep.MaxLocals, 64)
	require.LessOrEqual(t, rep.MaxBodyBytes, min(size, def.MaxFunctionBodyBytes))
	require.LessOrEqual(t, rep.MaxNestingDepth, maxDepth)
	require.LessOrEqual(t, 2*rep.MaxNestingDepth, rep.MaxBodyBytes, "every nesting level takes 2 bytes or more")
	require.LessOrEqual(t, rep.DataBytes, int64(size))
	require.LessOrEqual(t, rep.InitialMemoryPages, uint32(16))
}
