// Package abi is the contract between the civetbox host and its guests: ABI
// version 1. It holds names, signatures, memory layouts and return codes as Go
// constants, and this comment is the prose specification. The C header in
// guests/c/include/civetweb.h mirrors it; a test compiles _Static_assert lines
// with clang for wasm32 to keep the two in agreement.
//
// # Overview
//
// A guest is a wasm32 module (WASI preview 1 reactor) that imports host
// functions from the module named HostModule ("civetbox") and exports
// ExportInit, ExportDispatch and its memory; export names beginning with
// "civetbox." are reserved for what the host adds to a module, and a module
// exporting one is refused. The functions are modelled on the
// CivetWeb 1.15 C API, so a CivetWeb handler compiles against the C SDK
// unchanged. Memory is 32-bit: every pointer and length below is an i32 index
// into the guest's exported memory, and long long is an i64.
//
// # Versioning
//
// Every guest carries a custom section named VersionSection whose payload is
// the ABI version as a 4-byte little-endian integer. The host reads it before
// compiling the module and refuses a missing section ("not built with the
// civetbox SDK") or a different version ("built for civetbox ABI vN, this
// host speaks v1"). Any change to a name, signature, layout or meaning in this
// package is a new version. Adding a host function is not: older guests do
// not import it, and a newer guest on an older host is refused at load with
// a message naming the import the host lacks.
//
// # Call order
//
// For each instance the host calls, in order:
//
//  1. _initialize, if exported (wasi-libc constructors);
//  2. civetbox_abi_init() -> i32: the SDK calls the user's
//     civetbox_init(struct mg_context *), which registers handlers with
//     mg_set_request_handler. A non-zero result, a trap, or registering no
//     handler at all makes the host refuse the instance. mg_set_request_handler
//     may only be called here;
//  3. for each request: civetbox_abi_dispatch(handler, cbdata) -> i32, with the
//     handler and cbdata registered for the first route that matches the
//     request, selected by the host the way CivetWeb does (registration
//     order; exact match, then "uri/" prefix, then mg_match patterns against
//     the decoded, dot-segment-free local_uri).
//
// A guest that exports civetbox_abi_entry(op, handler, cbdata) -> i32 gets
// steps 2 and 3 through it instead (op EntryInit, then EntryDispatch with the
// handler and cbdata): one export, so an engine prepares one call per
// instance. The SDK exports all three.
//
// An instance serves one request at a time. In "fresh" mode it serves exactly
// one; in "pooled" mode it serves many in sequence and is discarded after any
// trap or timeout. Host functions other than mg_set_request_handler, mg_cry
// and grants may only be called during civetbox_abi_dispatch.
//
// # Memory ownership
//
// The guest owns all of its memory. The host reads guest memory only inside
// a host call, only in the ranges the call names, and never keeps a view of it
// after returning. It writes guest memory only in mg_read's buffer and in
// mg_get_request_info's buffer. Strings passed to the host are (pointer,
// length) pairs and need no terminating NUL; strings the host writes are
// NUL-terminated.
//
// # Host functions
//
// Signatures are listed by HostFuncs. Meanings:
//
//   - mg_read(buf, len) -> n: reads up to len bytes of the request body
//     (chunked bodies arrive decoded). n > 0 bytes read; 0 at the end of the
//     body; -1 on error (client gone, deadline, body over the limit).
//   - mg_write(buf, len) -> n: sends len bytes. The bytes are the raw HTTP/1.x
//     response as a CivetWeb handler writes it: it may start with a status
//     line and headers, and its body may carry the guest's own chunked
//     framing if it declared "Transfer-Encoding: chunked". The host parses
//     and validates the head and re-frames the body for the client's
//     protocol (HTTP/1.1 or HTTP/2). If the first bytes are not a status line,
//     the host sends "200 OK" and treats everything as body. Returns len, or -1
//     if the host refused the bytes (the response is then failed: 500 if
//     nothing was sent, else the connection is aborted).
//   - mg_send_chunk(chunk, chunk_len) -> n: sends one chunk of a response
//     declared chunked; chunk_len 0 ends the body. Same result as mg_write.
//   - mg_get_request_info(buf, cap) -> size: writes a struct civetbox_request
//     (a struct mg_request_info followed by const char *server_addr and an
//     int reserved, RequestSize bytes) at buf, followed by every string it
//     points to, if size <= cap. buf must be 8-aligned. Returns the size the
//     whole record needs; if that exceeds cap nothing is written and the
//     guest calls again with a bigger buffer. Pointers inside the record are
//     absolute guest addresses inside [buf, buf+size). user_data and
//     conn_data are written as 0; the SDK fills them in.
//   - mg_send_http_ok(mime_type, mime_type_len, content_length) -> 0 / <0:
//     sends a 200 head with CivetWeb's headers. mime_type_len 0 means
//     "text/html"; content_length < 0 means chunked.
//   - mg_send_http_error(status, msg, msg_len) -> 0 / <0: sends CivetWeb's
//     error response with the already formatted message.
//   - mg_send_http_redirect(target_url, target_url_len, redirect_code) -> 0 / -2.
//   - mg_response_header_start(status), mg_response_header_add(header,
//     header_len, value, value_len), mg_response_header_add_lines(lines,
//     lines_len), mg_response_header_send(): CivetWeb's structured response
//     API with CivetWeb's return codes (see codes.go).
//   - mg_cry(msg, msg_len): writes msg to the server log, tagged with the
//     module and request.
//   - mg_set_request_handler(uri, uri_len, handler, cbdata) -> 0: registers
//     (or, with handler 0, removes) a route during civetbox_abi_init. handler
//     is the guest's function pointer (a table index), cbdata an opaque guest
//     value; the host passes both back to civetbox_abi_dispatch.
//
// # Files
//
// A module may be granted a read-only document root and a writable upload
// directory. Guest paths name files inside them: relative paths, "/"
// separated, resolved by the host with os.Root so that nothing outside the
// granted directory is reachable (no "..", absolute path, NUL, backslash or
// symbolic link leads out). Without the grant the functions fail with
// CivetWeb's error value.
//
//   - grants() -> bits: GrantDocumentRoot and GrantUploadDir for what the
//     module was granted (the SDK's mg_get_option("document_root") is "."
//     when a document root is granted).
//   - mg_send_mime_file2(path, path_len, mime_type, mime_type_len,
//     additional_headers, additional_headers_len) -> 0 / -1: sends a whole
//     response for a file in the document root, as CivetWeb does (conditional
//     requests, ranges, MIME type by extension when mime_type_len is 0, 404
//     for a missing file, 403 for a directory, as with CivetWeb's
//     enable_directory_listing=no); a refused path is answered as a missing
//     file, and the reason logged. -1 if no response could be sent.
//   - mg_send_file_body(path, path_len) -> 0 / -1: sends the file's bytes as
//     (part of) the body of a response the guest started; -1 if the file
//     cannot be opened (missing, refused, no document root).
//   - upload_open(path, path_len) -> handle / -1: creates a file in the
//     upload directory (and its missing parent directories); it appears
//     under its name only when closed with keep != 0 (it is written under
//     a temporary ".civetbox-upload-*" name and renamed). upload_write(handle,
//     buf, len) -> len / -1. upload_close(handle, keep) -> 0 / -1. At most
//     16 (hostfuncs.MaxUploads) are open at once; handles still open when
//     the guest call ends are discarded.
//   - mg_check_digest_access_authentication(realm, realm_len, filename,
//     filename_len) -> 1 / 0 / <0 and
//     mg_send_digest_access_authentication_request(realm, realm_len) -> 0 / <0:
//     CivetWeb's digest authentication against a passwords file in the
//     document root; realm_len 0 means CivetWeb's default realm. The check
//     returns -2 when the file cannot be opened (or no document root is
//     granted). The host makes the nonces; one is accepted for an hour by
//     every instance of the module, until the module is loaded again.
//
// # Traps
//
// A host function traps, instead of returning a code, when the guest breaks
// the contract: a pointer or length outside its memory, a misaligned
// mg_get_request_info buffer, or a call at the wrong time (for example
// mg_set_request_handler during a request). The host then answers 500 if
// nothing was sent, or aborts the connection, logs the fault naming the
// function and parameter, and discards the instance. Conditions a correct
// guest must handle (end of body, a client that left, a refused header) are
// return codes, as in CivetWeb.
package abi
