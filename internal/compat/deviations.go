package compat

import (
	"fmt"
	"strings"
)

// Deviation is one kind of difference between civetbox and CivetWeb 1.15 a
// client can observe. Test cases declare every difference they expect by
// its exact description and the Name of its kind; a difference no case
// declares fails the suite.
type Deviation struct {
	// Name identifies the kind in test cases.
	Name string
	// Explanation says what differs and why, in README style.
	Explanation string
	// Bug marks a difference that looks like a civetbox bug rather than an
	// intended behaviour. It stays here, describing what CivetWeb does,
	// until it is fixed; then the cases declaring it must change.
	Bug bool
}

// Names of the deviation kinds, for the test cases.
const (
	devStatusVersion       = "status-line-version"
	devReasonPhrase        = "reason-phrase"
	devHeadBody            = "head-without-body"
	devHTTP10Chunked       = "http10-not-chunked"
	devEmptyResponse       = "empty-response"
	devTooManyHeaders      = "too-many-request-headers"
	devAbsoluteForm        = "absolute-form"
	devExpectContinue      = "expect-100-continue"
	devChunkExtension      = "request-chunk-extension"
	devChunkTrailer        = "request-chunk-trailer"
	devConnDataPerRequest  = "conn-data-per-request"
	devHeaderCanonical     = "request-header-spelling"
	devNoStatusLine        = "no-status-line"
	devOptionsStar         = "options-star"
	devExpectUnread        = "expect-100-continue-unread"
	devHandlerClose        = "handler-connection-close"
	devResponseCanonical   = "response-header-spelling"
	devUnterminatedChunked = "unterminated-chunked-response"
	devNotHandledAfterSend = "not-handled-after-sending"
	devTEAndCL             = "transfer-encoding-and-content-length"
	devHeadLimit           = "request-head-size"
	devHeaderWhitespace    = "request-header-whitespace"
	devHeaderTab           = "request-header-tab"
	devHostRequired        = "host-required"
	devUnreadBodyLimit     = "unread-body-limit"
	devOverlongBody        = "body-longer-than-content-length"
	devDigestEmptyRealm    = "digest-empty-realm"
	devDigestLongRealm     = "digest-long-realm"
	devBodyLimit           = "request-body-limit"
	devRangeArithmetic     = "range-arithmetic"
	devOutsideDocRoot      = "outside-document-root"
)

// Markdown renders Deviations as the README's table of differences.
func Markdown() string {
	var b strings.Builder
	b.WriteString("| difference | what civetbox does, and CivetWeb 1.15 |\n|---|---|\n")
	for _, d := range Deviations {
		explanation := strings.ReplaceAll(d.Explanation, "|", "\\|")
		if d.Bug {
			explanation = "**Known bug.** " + explanation
		}
		fmt.Fprintf(&b, "| `%s` | %s |\n", d.Name, explanation)
	}
	return b.String()
}

// Deviations lists every kind of difference the compat suite expects.
var Deviations = []Deviation{
	{Name: devStatusVersion, Explanation: "The status line's version is the request's: " +
		"an HTTP/1.0 client gets \"HTTP/1.0\" even where the handler (or CivetWeb's mg_send_http_redirect) " +
		"wrote \"HTTP/1.1\", and an HTTP/1.1 client gets \"HTTP/1.1\" for a handler's \"HTTP/1.0\" status line. " +
		"CivetWeb sends a raw status line as written."},
	{Name: devReasonPhrase, Explanation: "The reason phrase is Go's (418 \"I'm a teapot\", " +
		"505 \"HTTP Version Not Supported\", \"status code 299\" for codes Go does not name), not CivetWeb's " +
		"table (\"I am a teapot\", \"Success\" for 299, empty for 600) nor the one a raw handler wrote."},
	{Name: devHeadBody, Explanation: "A response to HEAD carries no body. CivetWeb sends " +
		"whatever the handler writes for a HEAD request, and its own error pages with their body, so those " +
		"bytes sit on the connection where the client expects the next response."},
	{Name: devHTTP10Chunked, Explanation: "An HTTP/1.0 client never gets chunked framing. " +
		"CivetWeb sends \"Transfer-Encoding: chunked\" and chunk framing to HTTP/1.0 clients " +
		"(mg_send_http_ok(conn, type, -1), or a structured head declaring it), which HTTP/1.0 clients " +
		"do not decode: they see the framing as part of the body."},
	{Name: devEmptyResponse, Explanation: "A handler that returns 1-999 without sending " +
		"anything gets an empty response, with the returned value as status if it is 200-599, else 200. " +
		"CivetWeb sends nothing; the client waits until the connection closes."},
	{Name: devTooManyHeaders, Explanation: "A request with more than 64 header fields " +
		"(MG_MAX_HEADERS) is answered 431 before any guest code runs. CivetWeb drops the fields after the " +
		"64th and serves the request."},
	{Name: devAbsoluteForm, Explanation: "An absolute-form target (GET http://host/path) is " +
		"served as a local request. CivetWeb serves it only when it names CivetWeb's own port (and, with " +
		"enable_auth_domain_check, its authentication_domain); otherwise it closes the connection " +
		"without an answer."},
	{Name: devExpectContinue, Explanation: "\"Expect: 100-continue\" is answered by Go with " +
		"an interim \"100 Continue\" when the handler first reads the body. CivetWeb sends none to a " +
		"handler's request."},
	{Name: devChunkExtension, Explanation: "A chunked request body with a chunk extension " +
		"(\";name=value\") is decoded by Go as RFC 9112 says. CivetWeb 1.15's mg_read fails on it: the " +
		"handler sees an empty body and CivetWeb closes the connection."},
	{Name: devChunkTrailer, Explanation: "A chunked request body with a trailer is decoded " +
		"by Go and the connection stays usable. CivetWeb 1.15 closes the connection after the response."},
	{Name: devConnDataPerRequest, Explanation: "conn_data (mg_set_user_connection_data) " +
		"starts NULL for every request. CivetWeb keeps it for the whole connection, so later requests on " +
		"a keep-alive connection see what an earlier one set."},
	{Name: devHeaderCanonical, Explanation: "Request header names reach the handler in Go's " +
		"canonical spelling (\"content-type\" arrives as \"Content-Type\"); CivetWeb keeps the client's " +
		"spelling. mg_get_header is case-insensitive either way."},
	{Name: devNoStatusLine, Explanation: "Bytes a handler writes that do not start with " +
		"\"HTTP/\" are sent as the body of a \"200 OK\". CivetWeb sends them as they are, which is not an " +
		"HTTP response."},
	{Name: devOptionsStar, Explanation: "\"OPTIONS *\" (a request about the server as a " +
		"whole, with no path) is answered \"200 OK\" with an empty body by net/http itself: http.Server's " +
		"built-in handler for it (DisableGeneralOptionsHandler is false) runs before the request reaches " +
		"civetbox, so no module is involved. CivetWeb closes the connection without an answer."},
	{Name: devExpectUnread, Explanation: "A request with \"Expect: 100-continue\" whose body the " +
		"handler does not read at all ends the connection after the response, as net/http decides: " +
		"its client may still be waiting for \"100 Continue\" before sending the body, so the host " +
		"neither waits for the body nor reads it. CivetWeb reads and discards the body and keeps the " +
		"connection."},
	{Name: devHandlerClose, Explanation: "A response whose head says \"Connection: close\" (raw or " +
		"structured) ends the HTTP/1.1 connection, as it announces (over HTTP/2 the header is dropped and " +
		"the connection stays). CivetWeb does not read the handler's headers: " +
		"it keeps the connection and serves the next request."},
	{Name: devResponseCanonical, Explanation: "Response header names are sent in Go's canonical spelling " +
		"(\"x-lower-case\" becomes \"X-Lower-Case\"); CivetWeb sends a raw handler's spelling."},
	{Name: devUnterminatedChunked, Explanation: "A chunked response whose handler never sends the " +
		"terminating empty chunk is completed by the host. CivetWeb's client never sees the end of the " +
		"body: it ends only when the connection does, as a truncated chunked body."},
	{Name: devNotHandledAfterSend, Explanation: "A handler that sends a response and then returns 0 or " +
		"less (\"not handled\") keeps its response; the host logs a warning. CivetWeb then also sends its " +
		"404 page on the same connection, after the handler's response."},
	{Name: devTEAndCL, Explanation: "A request with both \"Transfer-Encoding: chunked\" and " +
		"Content-Length is read as chunked by both, but Go removes the Content-Length header (RFC 9112 " +
		"section 6.3), so the handler does not see it; CivetWeb lists it."},
	{Name: devHeadLimit, Explanation: "Request heads may be up to 1 MiB (Go's default MaxHeaderBytes); " +
		"beyond that Go answers 431 with its own plain-text page. CivetWeb accepts 16 KiB " +
		"(max_request_size) and answers a longer head with \"400 Bad Request\" (\"Malformed message\", " +
		"an HTTP/1.0 status line) and closes."},
	{Name: devHeaderWhitespace, Explanation: "Request header values reach the handler without trailing " +
		"whitespace (Go trims it); CivetWeb keeps it."},
	{Name: devHeaderTab, Explanation: "A request header whose value contains a horizontal tab is " +
		"accepted (Go treats it as whitespace). CivetWeb refuses it with \"400 Bad Request\" " +
		"(\"Malformed message\", an HTTP/1.0 status line) and closes."},
	{Name: devHostRequired, Explanation: "An HTTP/1.1 request without a Host header, or with two, is " +
		"refused by Go with 400 (RFC 9112 section 3.2) before any guest code runs. CivetWeb serves it."},
	{Name: devUnreadBodyLimit, Explanation: "When a handler leaves 256 KiB or more of the request " +
		"body unread, the connection is closed after the response: the host reads and drops less than " +
		"that (net/http's limit) within the request deadline, so a client cannot make the server read a " +
		"body nobody wants. A response with a Content-Length is sent before that drain; the end of one " +
		"without waits for it, as in any net/http server. CivetWeb sends the response first, then reads " +
		"and discards any amount and keeps the connection."},
	{Name: devOverlongBody, Explanation: "A raw response with more body bytes than its Content-Length " +
		"is sent cut at its Content-Length: the excess bytes are dropped, with a warning in the log, and the " +
		"connection goes on serving requests. CivetWeb sends the excess bytes as well; they follow the " +
		"response on the connection, where a keep-alive client reads them as the start of the next " +
		"response, which they corrupt."},
	{Name: devDigestEmptyRealm, Explanation: "Digest authentication with an empty realm (\"\") uses the " +
		"default realm \"mydomain.com\", as a NULL realm does: the ABI passes the realm as a (pointer, length) " +
		"pair where length 0 means the default. CivetWeb uses the empty realm as given, in the challenge and " +
		"when matching passwords file lines."},
	{Name: devDigestLongRealm, Explanation: "The digest challenge (mg_send_digest_access_authentication_request) " +
		"carries its WWW-Authenticate header whatever the realm's length. CivetWeb formats the header into a " +
		"128-byte buffer and leaves it out when it does not fit (a realm of about 70 bytes or more), so its 401 " +
		"asks for credentials without saying how."},
	{Name: devBodyLimit, Explanation: "A request body over the configured limit (--max-body-mib, " +
		"Config.MaxRequestBody) is refused with \"413 Request Entity Too Large\" and the connection is " +
		"closed: at once for a declared Content-Length, and as soon as a chunked body passes the limit, " +
		"when mg_read fails; mg_handle_form_request then returns -1 and mg_store_body -13, a partly " +
		"stored file is removed, and what the handler sends afterwards is dropped. CivetWeb has no such " +
		"limit and reads any body."},
	{Name: devRangeArithmetic, Explanation: "mg_send_file answers a Range it cannot serve as RFC 9110 says: " +
		"a range starting at or past the end of the file gets \"416 Range Not Satisfiable\" with " +
		"\"Content-Range: bytes */<size>\", a last position past the end is cut to the end, and a last " +
		"position before the first is ignored (the whole file, 200). CivetWeb 1.15's arithmetic sends a 206 " +
		"with a negative or zero Content-Length for the first and the last, and for the second announces one " +
		"byte more than it sends, so the client waits for a byte that never comes."},
	{Name: devOutsideDocRoot, Explanation: "mg_send_file and mg_send_file_body read only files inside the " +
		"document root granted to the module, and refuse (as a missing file: 404, or -1) any path with a " +
		"\"..\" segment, even one that stays inside, an absolute path, a NUL byte or a backslash; a symbolic " +
		"link may not lead out either. CivetWeb opens whatever path the handler names, so a handler that " +
		"builds a path from request data can serve any file the server can read."},
}
