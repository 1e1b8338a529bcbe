// Package admission decides whether a module uploaded through the admin API
// is safe to accept, before it is stored or served.
//
// Inspect decodes the module without an engine: it must carry this host's
// ABI version, import only civetbox and WASI functions with their ABI
// signatures, export the ABI's entry points and its memory, and stay within
// Limits (functions, locals, body sizes, block nesting, data, memory and
// table sizes), which bound what compiling and instantiating it costs. A
// Compiler then compiles what Inspect accepted on a bounded number of
// workers under a time limit, since only an engine finds type errors.
//
// Every module problem is a *Rejection whose Message names what is wrong
// and can be shown to the uploader as is.
package admission

import "fmt"

// Problems a Rejection names: stable words an API client may branch on.
const (
	ProblemNotWasm        = "not_wasm"
	ProblemABIVersion     = "abi_version"
	ProblemImport         = "import"
	ProblemExport         = "export"
	ProblemFunctions      = "functions"
	ProblemLocals         = "locals"
	ProblemBodySize       = "body_size"
	ProblemNesting        = "nesting"
	ProblemData           = "data"
	ProblemMemory         = "memory"
	ProblemTable          = "table"
	ProblemCompile        = "compile"
	ProblemCompileTimeout = "compile_timeout"
)

// Rejection is a problem with the module itself (a 4xx for the uploader),
// as opposed to a failure of the host.
type Rejection struct {
	Problem string // one of the Problem* words
	Message string // what is wrong, for the uploader
}

func (r *Rejection) Error() string { return "admission: " + r.Problem + ": " + r.Message }

func reject(problem, format string, args ...any) *Rejection {
	return &Rejection{Problem: problem, Message: fmt.Sprintf(format, args...)}
}

// Report is what Inspect found in an accepted module.
type Report struct {
	ABIVersion         uint32
	Imports            []string // "module.name"
	Exports            []string
	Functions          int // defined functions
	DataBytes          int64
	InitialMemoryPages uint32
	MaxNestingDepth    int // deepest function
	MaxLocals          int // function with the most locals
	MaxBodyBytes       int // largest function body
}
