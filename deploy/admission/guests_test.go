package admission_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/abi"
	"github.com/civetbox/civetbox/deploy/admission"
)

const repoRoot = "../.."

// validGuests are the committed clang-built guests meant to load: the
// examples, the compat suite and the runtime's test guests. The broken
// ones in testdata/guests/bad are classified in TestInspect_badGuests.
func validGuests(t testing.TB) []string {
	t.Helper()
	var paths []string
	for _, pattern := range []string{"examples/*/*.wasm", "testdata/compat/*.wasm", "testdata/guests/*.wasm"} {
		found, err := filepath.Glob(filepath.Join(repoRoot, pattern))
		require.NoError(t, err)
		require.NotEmpty(t, found, pattern)
		paths = append(paths, found...)
	}
	return paths
}

func read(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}

func TestInspect_acceptsEveryCommittedGuest(t *testing.T) {
	paths := validGuests(t)
	require.GreaterOrEqual(t, len(paths), 37, "guests went missing")
	for _, path := range paths {
		rep, err := admission.Inspect(read(t, path), admission.Limits{})
		require.NoError(t, err, path)
		require.Equal(t, abi.Version, rep.ABIVersion)
		require.Contains(t, rep.Exports, abi.ExportDispatch, path)
		require.Contains(t, rep.Exports, "memory", path)
		require.Positive(t, rep.Functions, path)
	}
}

// TestDefaultLimits_haveAWideMargin: every committed guest stays at least
// twenty times below each default limit, so a guest that grows a little
// still passes. The numbers DefaultLimits' comment cites come from here.
func TestDefaultLimits_haveAWideMargin(t *testing.T) {
	def := admission.DefaultLimits()
	for _, path := range validGuests(t) {
		rep, err := admission.Inspect(read(t, path), admission.Limits{})
		require.NoError(t, err, path)
		require.Less(t, rep.Functions*20, def.MaxFunctions, path)
		require.Less(t, rep.MaxLocals*20, def.MaxLocalsPerFunction, path)
		require.Less(t, rep.MaxBodyBytes*20, def.MaxFunctionBodyBytes, path)
		require.Less(t, rep.MaxNestingDepth*20, def.MaxNestingDepth, path)
		require.Less(t, rep.DataBytes*20, def.MaxDataBytes, path)
		require.Less(t, rep.InitialMemoryPages*20, def.MaxInitialMemoryPages, path)
	}
}

func TestInspect_reportsTheHelloExample(t *testing.T) {
	rep, err := admission.Inspect(read(t, filepath.Join(repoRoot, "examples/hello/hello.wasm")), admission.Limits{})
	require.NoError(t, err)
	require.Contains(t, rep.Imports, "civetbox.mg_write")
	require.Subset(t, rep.Exports, []string{"memory", abi.ExportInit, abi.ExportDispatch})
	require.Equal(t, uint32(2), rep.InitialMemoryPages)
	require.Equal(t, 24, rep.Functions)
	require.Equal(t, 31, rep.MaxNestingDepth)
	require.Equal(t, 38, rep.MaxLocals)
	require.Equal(t, 8588, rep.MaxBodyBytes)
	require.Equal(t, int64(2255), rep.DataBytes)
}

// TestInspect_badGuests: the runtime's deliberately broken guests. Those
// whose flaw is in the structure are rejected here, with the words Load
// uses; init_fails and no_routes are well-formed and fail only when their
// civetbox_init runs, which admission does not do.
func TestInspect_badGuests(t *testing.T) {
	for _, tc := range []struct {
		file, problem, words string
	}{
		{"not_wasm.wasm", admission.ProblemNotWasm, `\0asm`},
		{"abi_v2.wasm", admission.ProblemABIVersion, "built for ABI v2"},
		{"no_version.wasm", admission.ProblemABIVersion, `no "civetbox_abi" custom section`},
		{"bad_import.wasm", admission.ProblemImport, `imports "env"."system", which is not part of the civetbox ABI v1`},
		{"bad_signature.wasm", admission.ProblemImport, `imports "civetbox"."mg_read" with signature (i32) -> (i32)`},
		{"no_dispatch.wasm", admission.ProblemExport, `does not export "civetbox_abi_dispatch"`},
		{"init_fails.wasm", "", ""},
		{"no_routes.wasm", "", ""},
	} {
		t.Run(tc.file, func(t *testing.T) {
			_, err := admission.Inspect(read(t, filepath.Join(repoRoot, "testdata/guests/bad", tc.file)), admission.Limits{})
			if tc.problem == "" {
				require.NoError(t, err)
				return
			}
			requireRejection(t, err, tc.problem, tc.words)
		})
	}
}

func requireRejection(t *testing.T, err error, problem, words string) {
	t.Helper()
	var rej *admission.Rejection
	require.ErrorAs(t, err, &rej)
	require.Equal(t, problem, rej.Problem, rej.Message)
	require.Contains(t, rej.Message, words)
}

func TestLimits_Validate(t *testing.T) {
	require.NoError(t, admission.Limits{}.Validate())
	require.NoError(t, admission.DefaultLimits().Validate())
	_, err := admission.Inspect(guest(), admission.Limits{MaxNestingDepth: -1})
	require.EqualError(t, err, "admission: limits: MaxNestingDepth is -1; want 0 (the default) or more")
	var rej *admission.Rejection
	require.False(t, errors.As(err, &rej), "a bad limit is the caller's error")
}

// TestLimits_zeroMeansDefault: a zero field takes the default, a set one
// replaces it.
func TestLimits_zeroMeansDefault(t *testing.T) {
	deep := guest(func(s *spec) { addFunc(s, nested(1025)) })
	_, err := admission.Inspect(deep, admission.Limits{MaxFunctions: 10})
	requireRejection(t, err, admission.ProblemNesting, "the limit is 1024")
	_, err = admission.Inspect(deep, admission.Limits{MaxNestingDepth: 2000})
	require.NoError(t, err)
}
