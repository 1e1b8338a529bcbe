package csdk

import (
	"fmt"
	"strings"
)

// APIStatus says how much of a CivetWeb function or struct works in the
// sandbox.
type APIStatus int

const (
	// Supported behaves as in CivetWeb 1.15.
	Supported APIStatus = iota
	// Differs works, with the difference its note states.
	Differs
	// Unavailable cannot work in the sandbox; its note says why and what a
	// call does instead.
	Unavailable
)

func (s APIStatus) String() string {
	switch s {
	case Supported:
		return "supported"
	case Differs:
		return "differs"
	case Unavailable:
		return "not available"
	}
	return fmt.Sprintf("APIStatus(%d)", int(s))
}

// APIEntry is one function ("mg_read") or struct ("struct mg_header") of
// civetweb.h.
type APIEntry struct {
	Name   string
	Status APIStatus
	Note   string
}

// APIArea is a group of related entries.
type APIArea struct {
	Name    string
	Entries []APIEntry
}

// Notes shared by several entries.
const (
	noSockets   = "A guest has no sockets."
	noClient    = noSockets + " Returns NULL and writes the reason into the error buffer."
	noWebsocket = "Websockets are not supported yet."
	noServer    = "The host runs the server; `civetbox_init` replaces `main()`."
	inGuest     = "Runs in the guest; checked against libcivetweb."
	noLock      = "No-op: an instance serves one request at a time on one thread, and instances share no memory, so there is nothing to lock."
	notLinked   = "Declared with `MG_EXPERIMENTAL_INTERFACES` only. Neither the SDK library nor Debian's libcivetweb defines it, so linking fails with \"undefined symbol\" in both."
	inDocRoot   = "Paths resolve inside the module's read-only document root (`--document-root`); nothing outside it is reachable."
)

// API is every function and struct that CivetWeb 1.15's civetweb.h declares,
// plus the functions our header adds from later versions, with what each
// does in civetbox. Tests in this package keep it equal to both headers and
// consistent with the SDK's C sources, and generate the README's table from
// it.
var API = []APIArea{
	{"Handlers and server lifecycle", []APIEntry{
		{"mg_set_request_handler", Differs, "Routes are chosen as in CivetWeb. Only valid in `civetbox_init`, so every instance has the same routes; a call during a request fails it with 500."},
		{"mg_set_auth_handler", Unavailable, "Authorization handlers do not run; a module that registers one refuses to start instead of serving the URI unprotected."},
		{"mg_init_library", Differs, "Nothing to set up, never fails; returns which of the requested features the sandbox has (files and caching)."},
		{"mg_exit_library", Supported, "Nothing to tear down; returns 1."},
		{"mg_start", Unavailable, noServer + " Returns NULL."},
		{"mg_start2", Unavailable, noServer + " Returns NULL with the reason in the error text."},
		{"mg_start_domain", Unavailable, noServer + " Returns -1."},
		{"mg_start_domain2", Unavailable, noServer + " Returns -1 with the reason in the error text."},
		{"mg_stop", Unavailable, "The host stops the server; does nothing."},
		{"mg_start_thread", Unavailable, "wasm32-wasi has no threads. Returns -1."},
	}},
	{"Context and connection", []APIEntry{
		{"mg_get_context", Supported, "The context `civetbox_init` received."},
		{"mg_get_user_data", Differs, "Always NULL: there is no `mg_start` to pass user data to."},
		{"mg_get_user_context_data", Differs, "Always NULL, as `mg_get_user_data`."},
		{"mg_get_thread_pointer", Differs, "Always NULL: there is no `init_thread` callback to set it."},
		{"mg_set_user_connection_data", Differs, "Lasts one request: every request starts with NULL, even on a keep-alive connection."},
		{"mg_get_user_connection_data", Differs, "As `mg_set_user_connection_data`."},
		{"mg_get_option", Differs, "`document_root` is `.` when a document root is granted; every other option reads as unset (empty), and unknown names give NULL."},
		{"mg_get_valid_options", Supported, "CivetWeb 1.15's option table as Debian's libcivetweb builds it."},
		{"mg_get_server_ports", Unavailable, "The host listens, not the guest. Clears the array and returns -1."},
		{"mg_lock_connection", Supported, noLock},
		{"mg_unlock_connection", Supported, "No-op, as `mg_lock_connection`."},
		{"mg_lock_context", Supported, "No-op, as `mg_lock_connection`."},
		{"mg_unlock_context", Supported, "No-op, as `mg_lock_connection`."},
		{"mg_disable_keep_alive", Differs, "No-op: the host's HTTP server decides keep-alive (a handler's `Connection: close` header is honoured over HTTP/1.1, dropped over HTTP/2)."},
		{"mg_disable_connection_keep_alive", Differs, "No-op, as `mg_disable_keep_alive`."},
	}},
	{"Reading the request", []APIEntry{
		{"mg_get_request_info", Differs, "Headers come `Host` first, then in name order, in Go's canonical spelling; `remote_user`, `client_cert`, `acceptedWebSocketSubprotocol` and `user_data` are always NULL."},
		{"mg_get_header", Supported, "Case-insensitive; the first of repeated headers."},
		{"mg_read", Differs, "Chunked bodies arrive decoded (extensions and trailers allowed). Returns -1 once a body passes the host's limit (`--max-body-mib`)."},
		{"mg_get_request_link", Supported, "Scheme, the local address and port the request arrived on, and `local_uri`."},
	}},
	{"Writing the response", []APIEntry{
		{"mg_write", Differs, "Output is buffered in the guest (16 KiB), so success is reported for bytes still buffered; a failure shows on a later call. The host validates and re-frames what is written."},
		{"mg_printf", Differs, "Formats in the guest and writes as `mg_write`."},
		{"mg_send_chunk", Supported, "Flushes buffered output first."},
		{"mg_send_http_ok", Supported, "Content length -1 means chunked, over HTTP/1.1 and HTTP/2 alike."},
		{"mg_send_http_error", Supported, "CivetWeb's error page and headers; closes the connection."},
		{"mg_send_http_redirect", Supported, "301, 302, 303, 307, 308; -2 for any other code."},
		{"mg_response_header_start", Supported, "CivetWeb's return codes."},
		{"mg_response_header_add", Differs, "Refuses (-1) a name or value with CR, LF or another control byte, which CivetWeb would send; names go out in Go's canonical spelling."},
		{"mg_response_header_add_lines", Differs, "As `mg_response_header_add`, line by line."},
		{"mg_response_header_send", Supported, "CivetWeb's return codes."},
	}},
	{"Files and forms", []APIEntry{
		{"mg_send_file", Differs, "Paths are relative to the module's read-only document root (`--document-root`); `mg_get_option(ctx, \"document_root\")` is `.`, so CivetWeb code that prefixes it works unchanged. CivetWeb's headers, ETag, 304 and ranges. `..`, absolute paths, NUL, backslashes and symlinks leading out are answered as a missing file (404) and logged; directories get 403 (no listings)."},
		{"mg_send_mime_file", Differs, "As `mg_send_file`, with the given type; an empty type means by extension."},
		{"mg_send_mime_file2", Differs, "As `mg_send_mime_file`, with the extra header lines."},
		{"mg_send_file_body", Differs, "As `mg_send_file`, bytes only: -1 for a file that cannot be opened."},
		{"mg_handle_form_request", Differs, "Query strings, URL-encoded and multipart bodies, parsed as CivetWeb 1.15 does (same 8 KiB window, same `field_get` pieces). STORE paths are relative to the module's upload directory (`--upload-dir`); missing parent directories are created; a file appears under its name only when complete. Inputs on which CivetWeb loops or crashes (a urlencoded body ending in `%`, a NUL byte, a NULL `field_found`) return -1 or count as SKIP."},
		{"mg_store_body", Differs, "Stores only into the module's upload directory (`--upload-dir`), by a path relative to it, with CivetWeb's return codes; the file appears under its name only when complete, and a body cut short or over the limit leaves nothing (-13)."},
	}},
	{"Authentication", []APIEntry{
		{"mg_check_digest_access_authentication", Differs, "The passwords file (htdigest format, `:include=` allowed) is read from the document root, by a path relative to it; -2 if it cannot be opened or no document root is granted. Nonces are signed by the host: any instance of the module accepts them for one hour, none after the module is reloaded. `remote_user` stays NULL."},
		{"mg_send_digest_access_authentication_request", Differs, "CivetWeb's 401 challenge; an empty realm means the default, \"mydomain.com\", and the header is sent even for realms too long for CivetWeb's buffer."},
		{"mg_modify_passwords_file", Unavailable, "A guest cannot write passwords files. Returns 0."},
		{"mg_modify_passwords_file_ha1", Unavailable, "As `mg_modify_passwords_file`."},
	}},
	{"Helpers", []APIEntry{
		{"mg_get_var", Supported, inGuest},
		{"mg_get_var2", Supported, inGuest},
		{"mg_split_form_urlencoded", Supported, inGuest},
		{"mg_get_cookie", Supported, inGuest},
		{"mg_url_decode", Supported, inGuest},
		{"mg_url_encode", Supported, inGuest},
		{"mg_strcasecmp", Supported, inGuest},
		{"mg_strncasecmp", Supported, inGuest},
		{"mg_get_response_code_text", Supported, inGuest + " The reason phrase on the wire is Go's."},
		{"mg_get_builtin_mime_type", Supported, "Runs in the guest; CivetWeb 1.15's table."},
		{"mg_md5", Supported, inGuest},
		{"mg_base64_encode", Supported, "From CivetWeb 1.16 (not in 1.15's header), with 1.16's results. Runs in the guest."},
		{"mg_base64_decode", Supported, "As `mg_base64_encode`."},
		{"mg_version", Supported, "Returns \"1.15\"."},
	}},
	{"Logging and information", []APIEntry{
		{"mg_cry", Supported, "Goes to the host's log, tagged with module and request."},
		{"mg_check_feature", Differs, "Only files and caching are reported available."},
		{"mg_get_system_info", Differs, "JSON that says nothing about the host: version, \"wasm32-wasi\", features, sandbox and ABI version."},
		{"mg_get_context_info", Differs, "JSON without server statistics, which an instance does not keep."},
		{"mg_get_connection_info", Unavailable, notLinked},
	}},
	{"HTTP client", []APIEntry{
		{"mg_download", Unavailable, noClient},
		{"mg_connect_client", Unavailable, noClient},
		{"mg_connect_client_secure", Unavailable, noClient},
		{"mg_connect_client2", Unavailable, notLinked},
		{"mg_get_response", Unavailable, "There are no client connections. Returns -1."},
		{"mg_get_response2", Unavailable, notLinked},
		{"mg_get_response_info", Unavailable, "Only client connections have one. Returns NULL."},
		{"mg_close_connection", Unavailable, "No client connection can exist; does nothing."},
	}},
	{"Websockets", []APIEntry{
		{"mg_set_websocket_handler", Unavailable, noWebsocket + " The handlers are never called."},
		{"mg_set_websocket_handler_with_subprotocols", Unavailable, noWebsocket + " The handlers are never called."},
		{"mg_websocket_write", Unavailable, noWebsocket + " Returns -1."},
		{"mg_websocket_client_write", Unavailable, noSockets + " Returns -1."},
		{"mg_connect_websocket_client", Unavailable, noClient},
		{"mg_connect_websocket_client_extensions", Unavailable, noClient},
		{"mg_connect_websocket_client_secure", Unavailable, noClient},
		{"mg_connect_websocket_client_secure_extensions", Unavailable, noClient},
	}},
	{"Structs", []APIEntry{
		{"struct mg_context", Supported, "Opaque; the one context of an instance."},
		{"struct mg_connection", Supported, "Opaque; the current request."},
		{"struct mg_request_info", Differs, "CivetWeb's layout; its contents differ as `mg_get_request_info` says."},
		{"struct mg_header", Supported, "Request headers and `mg_split_form_urlencoded` fields."},
		{"struct mg_option", Supported, "Entries of `mg_get_valid_options`."},
		{"struct mg_form_data_handler", Differs, "As `mg_handle_form_request`."},
		{"struct mg_callbacks", Unavailable, "Only `mg_start` takes it; no callback is ever called."},
		{"struct mg_init_data", Unavailable, "Only `mg_start2` and `mg_connect_client2` take it."},
		{"struct mg_error_data", Unavailable, "Only the server start and client functions take it."},
		{"struct mg_server_port", Unavailable, "As `mg_get_server_ports`."},
		{"struct mg_response_info", Unavailable, "As `mg_get_response_info`."},
		{"struct mg_client_options", Unavailable, "Only the client functions take it."},
		{"struct mg_client_cert", Unavailable, "TLS ends at the host: `mg_request_info`'s `client_cert` is always NULL."},
		{"struct mg_websocket_subprotocols", Unavailable, noWebsocket},
	}},
}

// APIMarkdown renders API as one Markdown table per area.
func APIMarkdown() string {
	var b strings.Builder
	for i, area := range API {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "**%s**\n\n| name | status | notes |\n|---|---|---|\n", area.Name)
		for _, e := range area.Entries {
			fmt.Fprintf(&b, "| `%s` | %s | %s |\n", e.Name, e.Status, e.Note)
		}
	}
	return b.String()
}
