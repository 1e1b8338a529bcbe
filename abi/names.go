package abi

// Version is the ABI version this host speaks. A guest carries the version it
// was built for in the custom section named VersionSection; the host refuses
// a module whose version differs (see doc.go, "Versioning").
const Version uint32 = 1

// VersionSection is the name of the wasm custom section that holds the guest's
// ABI version as a 4-byte little-endian unsigned integer. The C SDK emits it
// from guests/c/src/civetbox_abi.c.
const VersionSection = "civetbox_abi"

// HostModule is the wasm import module name of every civetbox host function.
const HostModule = "civetbox"

// WASIModule is the only other import module a guest may use. wasi-libc needs
// it for malloc, stdio and clocks; the host grants a minimal, sandboxed WASI.
const WASIModule = "wasi_snapshot_preview1"

// Names of the host functions in HostModule. Most are the CivetWeb function
// the C SDK wraps; the others are SDK internals (upload_*, grants). The wasm
// signatures are listed by HostFuncs.
const (
	FuncMgRead                  = "mg_read"
	FuncMgWrite                 = "mg_write"
	FuncMgSendChunk             = "mg_send_chunk"
	FuncMgGetRequestInfo        = "mg_get_request_info"
	FuncMgSendHTTPOk            = "mg_send_http_ok"
	FuncMgSendHTTPError         = "mg_send_http_error"
	FuncMgSendHTTPRedirect      = "mg_send_http_redirect"
	FuncMgResponseHeaderStart   = "mg_response_header_start"
	FuncMgResponseHeaderAdd     = "mg_response_header_add"
	FuncMgResponseHeaderAddLine = "mg_response_header_add_lines"
	FuncMgResponseHeaderSend    = "mg_response_header_send"
	FuncMgCry                   = "mg_cry"
	FuncMgSetRequestHandler     = "mg_set_request_handler"

	// Files: the module's read-only document root and writable upload
	// directory, as the host grants them (see doc.go, "Files").
	FuncMgSendMimeFile2  = "mg_send_mime_file2"
	FuncMgSendFileBody   = "mg_send_file_body"
	FuncUploadOpen       = "upload_open"
	FuncUploadWrite      = "upload_write"
	FuncUploadClose      = "upload_close"
	FuncGrants           = "grants"
	FuncMgCheckDigest    = "mg_check_digest_access_authentication"
	FuncMgSendDigestAuth = "mg_send_digest_access_authentication_request"
)

// Bits of the grants() result: the directories the host granted the module.
const (
	GrantDocumentRoot int32 = 1 << 0
	GrantUploadDir    int32 = 1 << 1
)

// Exports every guest must provide, besides its linear memory.
const (
	// ExportMemory is the guest's linear memory; all pointers index into it.
	ExportMemory = "memory"

	// ExportInitialize is the WASI reactor constructor (wasi-libc's
	// _initialize). The host calls it once per instance, before ExportInit,
	// when the guest exports it.
	ExportInitialize = "_initialize"

	// ExportInit is called once per instance: () -> i32. The SDK builds the
	// guest's struct mg_context and calls the user's civetbox_init(ctx),
	// which registers handlers with mg_set_request_handler. 0 means success;
	// any other value makes the host refuse the instance.
	ExportInit = "civetbox_abi_init"

	// ExportDispatch runs one request: (handler i32, cbdata i32) -> i32.
	// handler and cbdata are the values the guest registered through
	// mg_set_request_handler; the SDK calls handler(conn, cbdata) and returns
	// its result (0 = not handled, 1-999 = handled, CivetWeb's convention).
	ExportDispatch = "civetbox_abi_dispatch"

	// ExportEntry is both of the above behind one export:
	// (op i32, handler i32, cbdata i32) -> i32, where op EntryInit does
	// ExportInit's work and op EntryDispatch ExportDispatch's. Optional;
	// when a guest exports it the host calls nothing else, so an engine that
	// builds call state per export (wazero: a 10 KB stack each) builds it
	// once per instance.
	ExportEntry = "civetbox_abi_entry"
)

// Operations of ExportEntry.
const (
	EntryInit     int32 = 0
	EntryDispatch int32 = 1
)
