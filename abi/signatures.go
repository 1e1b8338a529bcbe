package abi

// ValueType is a wasm value type used in a host function signature.
type ValueType byte

const (
	I32 ValueType = iota + 1 // i32: pointers, lengths, int
	I64                      // i64: long long
)

// String returns the wasm text name of t.
func (t ValueType) String() string {
	switch t {
	case I32:
		return "i32"
	case I64:
		return "i64"
	}
	return "unknown"
}

// HostFunc describes one host function: its import name in HostModule, its
// wasm signature and the C names of its parameters (used in traces, errors
// and docs).
type HostFunc struct {
	Name       string
	Params     []ValueType
	ParamNames []string
	Results    []ValueType
}

// hostFuncs is the ABI v1 host function table, in spec order. Keep it in step
// with doc.go and guests/c/src/civetbox_imports.h.
var hostFuncs = []HostFunc{
	{FuncMgRead, []ValueType{I32, I32}, []string{"buf", "len"}, []ValueType{I32}},
	{FuncMgWrite, []ValueType{I32, I32}, []string{"buf", "len"}, []ValueType{I32}},
	{FuncMgSendChunk, []ValueType{I32, I32}, []string{"chunk", "chunk_len"}, []ValueType{I32}},
	{FuncMgGetRequestInfo, []ValueType{I32, I32}, []string{"buf", "cap"}, []ValueType{I32}},
	{FuncMgSendHTTPOk, []ValueType{I32, I32, I64}, []string{"mime_type", "mime_type_len", "content_length"}, []ValueType{I32}},
	{FuncMgSendHTTPError, []ValueType{I32, I32, I32}, []string{"status", "msg", "msg_len"}, []ValueType{I32}},
	{FuncMgSendHTTPRedirect, []ValueType{I32, I32, I32}, []string{"target_url", "target_url_len", "redirect_code"}, []ValueType{I32}},
	{FuncMgResponseHeaderStart, []ValueType{I32}, []string{"status"}, []ValueType{I32}},
	{FuncMgResponseHeaderAdd, []ValueType{I32, I32, I32, I32}, []string{"header", "header_len", "value", "value_len"}, []ValueType{I32}},
	{FuncMgResponseHeaderAddLine, []ValueType{I32, I32}, []string{"http1_headers", "http1_headers_len"}, []ValueType{I32}},
	{FuncMgResponseHeaderSend, nil, nil, []ValueType{I32}},
	{FuncMgCry, []ValueType{I32, I32}, []string{"msg", "msg_len"}, nil},
	{FuncMgSetRequestHandler, []ValueType{I32, I32, I32, I32}, []string{"uri", "uri_len", "handler", "cbdata"}, []ValueType{I32}},
	{FuncMgSendMimeFile2, []ValueType{I32, I32, I32, I32, I32, I32}, []string{"path", "path_len", "mime_type", "mime_type_len", "additional_headers", "additional_headers_len"}, []ValueType{I32}},
	{FuncMgSendFileBody, []ValueType{I32, I32}, []string{"path", "path_len"}, []ValueType{I32}},
	{FuncUploadOpen, []ValueType{I32, I32}, []string{"path", "path_len"}, []ValueType{I32}},
	{FuncUploadWrite, []ValueType{I32, I32, I32}, []string{"handle", "buf", "len"}, []ValueType{I32}},
	{FuncUploadClose, []ValueType{I32, I32}, []string{"handle", "keep"}, []ValueType{I32}},
	{FuncGrants, nil, nil, []ValueType{I32}},
	{FuncMgCheckDigest, []ValueType{I32, I32, I32, I32}, []string{"realm", "realm_len", "filename", "filename_len"}, []ValueType{I32}},
	{FuncMgSendDigestAuth, []ValueType{I32, I32}, []string{"realm", "realm_len"}, []ValueType{I32}},
}

// HostFuncs returns a copy of the ABI v1 host function table, in spec order.
func HostFuncs() []HostFunc { return copyFuncs(hostFuncs) }

// LookupHostFunc returns the signature of the host function named name.
func LookupHostFunc(name string) (HostFunc, bool) { return lookup(hostFuncs, name) }

func copyFuncs(funcs []HostFunc) []HostFunc {
	out := make([]HostFunc, len(funcs))
	for i, f := range funcs {
		out[i] = HostFunc{
			Name:       f.Name,
			Params:     append([]ValueType(nil), f.Params...),
			ParamNames: append([]string(nil), f.ParamNames...),
			Results:    append([]ValueType(nil), f.Results...),
		}
	}
	return out
}

func lookup(funcs []HostFunc, name string) (HostFunc, bool) {
	for _, f := range funcs {
		if f.Name == name {
			return copyFuncs([]HostFunc{f})[0], true
		}
	}
	return HostFunc{}, false
}

// GuestExport describes a function the guest must or may export.
type GuestExport struct {
	Name     string
	Params   []ValueType
	Results  []ValueType
	Optional bool
}

// GuestExports returns the functions a guest exports to the host.
func GuestExports() []GuestExport {
	return []GuestExport{
		{Name: ExportInitialize, Optional: true},
		{Name: ExportInit, Results: []ValueType{I32}},
		{Name: ExportDispatch, Params: []ValueType{I32, I32}, Results: []ValueType{I32}},
		{Name: ExportEntry, Params: []ValueType{I32, I32, I32}, Results: []ValueType{I32}, Optional: true},
	}
}
