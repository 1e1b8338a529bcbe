package admission_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/deploy/admission"
)

// TestInspect_builderGuestIsValid: the base every hostile case changes is
// accepted, so each case is rejected for its own change.
func TestInspect_builderGuestIsValid(t *testing.T) {
	rep, err := admission.Inspect(guest(), admission.Limits{})
	require.NoError(t, err)
	require.Equal(t, []string{"memory", "civetbox_abi_init", "civetbox_abi_dispatch"}, rep.Exports)
	require.Equal(t, 2, rep.Functions)
}

func TestInspect_rejectsHostileModules(t *testing.T) {
	hello := read(t, filepath.Join(repoRoot, "examples/hello/hello.wasm"))
	for _, tc := range []struct {
		name    string
		wasm    []byte
		lim     admission.Limits
		problem string
		words   string
	}{
		{"not wasm", []byte("#!/bin/sh\nrm -rf /\n"), admission.Limits{}, admission.ProblemNotWasm, `\0asm`},
		{"empty", nil, admission.Limits{}, admission.ProblemNotWasm, `\0asm`},
		{"truncated", hello[:len(hello)/2], admission.Limits{}, admission.ProblemNotWasm, "truncated"},
		{"wrong ABI version", guest(func(s *spec) { s.abi = []byte{2, 0, 0, 0} }), admission.Limits{}, admission.ProblemABIVersion, "built for ABI v2, this host speaks v1"},
		{"ABI version not 4 bytes", guest(func(s *spec) { s.abi = []byte{1, 0} }), admission.Limits{}, admission.ProblemABIVersion, "holds 2 bytes, want 4"},
		{"missing ABI section", guest(func(s *spec) { s.abi = nil }), admission.Limits{}, admission.ProblemABIVersion, `no "civetbox_abi" custom section`},
		{"import from env", guest(func(s *spec) { funcImport(s, "env", "system", []byte{0x60, 0x01, 0x7f, 0x01, 0x7f}) }),
			admission.Limits{}, admission.ProblemImport, `imports "env"."system", which is not part of the civetbox ABI v1`},
		{"unknown civetbox function", guest(func(s *spec) { funcImport(s, "civetbox", "mg_exec", []byte{0x60, 0x00, 0x00}) }),
			admission.Limits{}, admission.ProblemImport, `imports "civetbox"."mg_exec", which civetbox ABI v1 does not define`},
		{"wrong signature", guest(func(s *spec) { funcImport(s, "civetbox", "mg_write", []byte{0x60, 0x01, 0x7d, 0x00}) }),
			admission.Limits{}, admission.ProblemImport, `imports "civetbox"."mg_write" with signature (?) -> ()`},
		{"memory import", guest(func(s *spec) { s.imports = append(s.imports, memoryImport("env", "memory")) }),
			admission.Limits{}, admission.ProblemImport, `imports a memory "env"."memory"; civetbox guests define their own memory`},
		{"global import", guest(func(s *spec) {
			s.imports = append(s.imports, append(append(name("env"), name("__stack_pointer")...), 0x03, 0x7f, 0x01))
		}), admission.Limits{}, admission.ProblemImport, `imports a global "env"."__stack_pointer"; the civetbox ABI v1 provides only functions`},
		{"wrong dispatch signature", guest(func(s *spec) { s.funcs[1] = typeInit; s.bodies[1] = []byte{0x00, 0x41, 0x00, 0x0b} }),
			admission.Limits{}, admission.ProblemExport, `exports "civetbox_abi_dispatch" with signature () -> (i32), want (i32, i32) -> (i32)`},
		{"memory not exported", guest(func(s *spec) { s.exports = nil }), admission.Limits{}, admission.ProblemExport, `does not export its memory as "memory"`},
		{"no memory", guest(func(s *spec) { s.mems, s.exports = nil, nil }), admission.Limits{}, admission.ProblemMemory, "defines no memory"},
		{"too many functions", guest(func(s *spec) {
			for range 50_000 {
				addFunc(s, []byte{0x00, 0x41, 0x00, 0x0b})
			}
		}), admission.Limits{}, admission.ProblemFunctions, "it defines 50002 functions; the limit is 50000"},
		{"too many locals", guest(func(s *spec) { addFunc(s, withLocals(1<<31, 1<<31-1)) }),
			admission.Limits{}, admission.ProblemLocals, "function 2 declares 4294967295 locals; the limit is 50000"},
		{"locals that wrap a uint32", guest(func(s *spec) { addFunc(s, withLocals(1<<32-1, 2)) }),
			admission.Limits{}, admission.ProblemLocals, "function 2 declares 4294967297 locals"},
		{"huge body", guest(func(s *spec) { addFunc(s, append(make([]byte, 1<<20), 0x41, 0x00, 0x0b)) }), // no locals, then unreachable
			admission.Limits{}, admission.ProblemBodySize, "function 2's body is 1048579 bytes; the limit is 1048576"},
		{"deep nesting", guest(func(s *spec) { addFunc(s, nested(100_000)) }),
			admission.Limits{}, admission.ProblemNesting, "function 2 nests blocks 100000 deep; the limit is 1024"},
		{"nesting counted in the function index space", guest(func(s *spec) {
			funcImport(s, "civetbox", "mg_write", []byte{0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f})
			addFunc(s, nested(11))
		}), admission.Limits{MaxNestingDepth: 10}, admission.ProblemNesting, "function 3 nests blocks 11 deep; the limit is 10"},
		{"big data segment", guest(func(s *spec) { s.data = append(s.data, passiveData(16<<20+1)) }),
			admission.Limits{}, admission.ProblemData, "its data segments hold 16777217 bytes (16 MiB); the limit is 16777216 bytes (16 MiB)"},
		{"data summed over segments", guest(func(s *spec) { s.data = append(s.data, passiveData(600), passiveData(600)) }),
			admission.Limits{MaxDataBytes: 1000}, admission.ProblemData, "hold 1200 bytes"},
		{"initial memory over the tenant's limit", guest(func(s *spec) { s.mems = [][]byte{limits(300)} }),
			admission.Limits{MaxInitialMemoryPages: 256}, admission.ProblemMemory, "initial memory is 300 pages (18.8 MiB); this tenant's limit is 256 pages (16 MiB)"},
		{"initial memory over the default limit", guest(func(s *spec) { s.mems = [][]byte{limits(65536)} }),
			admission.Limits{}, admission.ProblemMemory, "initial memory is 65536 pages (4096 MiB); this tenant's limit is 2048 pages (128 MiB)"},
		{"huge table", guest(func(s *spec) { s.tables = [][]byte{append([]byte{0x70}, limits(1<<32-1)...)} }),
			admission.Limits{}, admission.ProblemTable, "table 0 starts with 4294967295 elements; the limit is 65536"},
		{"table that may grow huge", guest(func(s *spec) { s.tables = [][]byte{append([]byte{0x70}, limits(1, 1<<20)...)} }),
			admission.Limits{}, admission.ProblemTable, "table 0 may grow to 1048576 elements"},
		{"unsupported instruction", guest(func(s *spec) { addFunc(s, []byte{0x00, 0xfe, 0x03, 0x00, 0x41, 0x00, 0x0b}) }), // atomic.fence
			admission.Limits{}, admission.ProblemNotWasm, "instruction 0xfe is not supported"},
		{"call of a function that does not exist", guest(func(s *spec) { addFunc(s, []byte{0x00, 0x10, 0x09, 0x41, 0x00, 0x0b}) }),
			admission.Limits{}, admission.ProblemNotWasm, "the module does not decode: code section: function 2: function index 9 out of range (the module has 3)"},
		{"more bodies than functions", guest(func(s *spec) { s.bodies = append(s.bodies, []byte{0x00, 0x0b}) }),
			admission.Limits{}, admission.ProblemNotWasm, "the code section has 3 bodies for 2 functions"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := admission.Inspect(tc.wasm, tc.lim)
			require.Nil(t, rep)
			requireRejection(t, err, tc.problem, tc.words)
		})
	}
}

func memoryImport(module, field string) []byte {
	return append(append(append(name(module), name(field)...), 0x02), limits(2)...)
}
