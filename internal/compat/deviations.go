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
	// README reports whether the README's list of differences from
	// CivetWeb already covers it.
	README bool
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

	bugOptionsStar      = "options-star"
	bugUnreadBody       = "unread-body-closes-connection"
	bugShortRead        = "mg-read-returns-early"
	bugMethodNotAllowed = "put-delete-without-route"
	bugUnknownMethod    = "unknown-method"
	bugSniffedType      = "sniffed-content-type"
	bugSendChunkReturn  = "mg-send-chunk-return-value"
	bugSendOKReturn     = "mg-send-http-ok-return-value"
	bugConnDataStale    = "conn-data-not-live"
	bugTrailerDropped   = "response-trailer-dropped"
	bugOverlongBody     = "body-longer-than-content-length"
	bugRedirectReturn   = "mg-send-http-redirect-return-value"
	bugCryTruncated     = "mg-cry-truncated"
)

// Markdown renders Deviations as a Markdown table, for the README.
func Markdown() string {
	var b strings.Builder
	b.WriteString("| difference | what civetbox does, and CivetWeb 1.15 | status |\n|---|---|---|\n")
	for _, d := range Deviations {
		status := "intended"
		switch {
		case d.Bug:
			status = "suspected bug"
		case !d.README:
			status = "intended, not yet in the README"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", d.Name, strings.ReplaceAll(d.Explanation, "|", "\\|"), status)
	}
	return b.String()
}

// Deviations lists every kind of difference the compat suite expects.
var Deviations = []Deviation{
	// ---- documented in the README ----
	{Name: devStatusVersion, README: true, Explanation: "The status line's version is the request's: " +
		"an HTTP/1.0 client gets \"HTTP/1.0\" even where the handler (or CivetWeb's mg_send_http_redirect) " +
		"wrote \"HTTP/1.1\", and an HTTP/1.1 client gets \"HTTP/1.1\" for a handler's \"HTTP/1.0\" status line. " +
		"CivetWeb sends a raw status line as written."},
	{Name: devReasonPhrase, README: true, Explanation: "The reason phrase is Go's (418 \"I'm a teapot\", " +
		"505 \"HTTP Version Not Supported\", \"status code 299\" for codes Go does not name), not CivetWeb's " +
		"table (\"I am a teapot\", \"Success\" for 299, empty for 600) nor the one a raw handler wrote."},
	{Name: devHeadBody, README: true, Explanation: "A response to HEAD carries no body. CivetWeb sends " +
		"whatever the handler writes for a HEAD request, and its own error pages with their body, so those " +
		"bytes sit on the connection where the client expects the next response."},
	{Name: devHTTP10Chunked, README: true, Explanation: "An HTTP/1.0 client never gets chunked framing. " +
		"CivetWeb sends \"Transfer-Encoding: chunked\" and chunk framing to HTTP/1.0 clients " +
		"(mg_send_http_ok(conn, type, -1), or a structured head declaring it), which HTTP/1.0 clients " +
		"do not decode: they see the framing as part of the body."},
	{Name: devEmptyResponse, README: true, Explanation: "A handler that returns 1-999 without sending " +
		"anything gets an empty response, with the returned value as status if it is 200-599, else 200. " +
		"CivetWeb sends nothing; the client waits until the connection closes."},
	{Name: devTooManyHeaders, README: true, Explanation: "A request with more than 64 header fields " +
		"(MG_MAX_HEADERS) is answered 431 before any guest code runs. CivetWeb drops the fields after the " +
		"64th and serves the request."},
	{Name: devAbsoluteForm, README: true, Explanation: "An absolute-form target (GET http://host/path) is " +
		"served as a local request. CivetWeb serves it only when it names CivetWeb's own port (and, with " +
		"enable_auth_domain_check, its authentication_domain); otherwise it closes the connection " +
		"without an answer."},
	{Name: devExpectContinue, README: true, Explanation: "\"Expect: 100-continue\" is answered by Go with " +
		"an interim \"100 Continue\" when the handler first reads the body. CivetWeb sends none to a " +
		"handler's request."},
	{Name: devChunkExtension, README: true, Explanation: "A chunked request body with a chunk extension " +
		"(\";name=value\") is decoded by Go as RFC 9112 says. CivetWeb 1.15's mg_read fails on it: the " +
		"handler sees an empty body and CivetWeb closes the connection."},
	{Name: devChunkTrailer, README: true, Explanation: "A chunked request body with a trailer is decoded " +
		"by Go and the connection stays usable. CivetWeb 1.15 closes the connection after the response."},
	{Name: devConnDataPerRequest, README: true, Explanation: "conn_data (mg_set_user_connection_data) " +
		"starts NULL for every request. CivetWeb keeps it for the whole connection, so later requests on " +
		"a keep-alive connection see what an earlier one set."},
	{Name: devHeaderCanonical, README: true, Explanation: "Request header names reach the handler in Go's " +
		"canonical spelling (\"content-type\" arrives as \"Content-Type\"); CivetWeb keeps the client's " +
		"spelling. mg_get_header is case-insensitive either way."},
	{Name: devNoStatusLine, README: true, Explanation: "Bytes a handler writes that do not start with " +
		"\"HTTP/\" are sent as the body of a \"200 OK\". CivetWeb sends them as they are, which is not an " +
		"HTTP response."},

	// ---- intended, not yet in the README ----
	{Name: devExpectUnread, Explanation: "A request with \"Expect: 100-continue\" whose body the " +
		"handler does not read ends the connection after the response: Go cannot tell whether the " +
		"client sent the body anyway. CivetWeb reads and discards the body and keeps the connection."},
	{Name: devHandlerClose, Explanation: "A response whose head says \"Connection: close\" (raw or " +
		"structured) ends the connection, as it announces. CivetWeb does not read the handler's headers: " +
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
	{Name: devUnreadBodyLimit, Explanation: "When a handler leaves more than 256 KiB of the request body " +
		"unread, Go closes the connection after the response instead of reading the rest. CivetWeb reads " +
		"and discards any amount and keeps the connection."},

	// ---- suspected bugs ----
	{Name: bugOptionsStar, README: true, Bug: true, Explanation: "\"OPTIONS *\" (a target without a " +
		"local path) is answered \"200 OK\" with an empty body by net/http's built-in OPTIONS handler " +
		"(http.Server.DisableGeneralOptionsHandler is false), before the module is involved. The README " +
		"says civetbox answers 400. CivetWeb closes the connection without an answer."},
	{Name: bugUnreadBody, Bug: true, Explanation: "After a request whose body the handler did not read " +
		"to the end (any size), the connection is closed and keep-alive or pipelined requests that follow " +
		"get no answer; http.Server logs \"panic serving ...: invalid concurrent Body.Read call\". The host " +
		"enables full duplex (http.ResponseController.EnableFullDuplex), which skips net/http's drain " +
		"before the response, and the drain after the handler then races the next request's read " +
		"(golang/go#68560). CivetWeb discards the rest of the body and serves the next request. A fix: " +
		"drain (up to a limit) or close r.Body in the host before ServeHTTP returns."},
	{Name: bugShortRead, Bug: true, Explanation: "mg_read returns as soon as some body bytes are there, " +
		"possibly fewer than asked although the body has more. CivetWeb's mg_read waits until the buffer " +
		"is full or the body is over, so a handler that reads a body with one " +
		"mg_read(conn, buf, content_length) works under CivetWeb and gets only part of it under civetbox."},
	{Name: bugMethodNotAllowed, Bug: true, Explanation: "A PUT or DELETE request no handler takes (no " +
		"route, or the handler returned 0) is answered with CivetWeb's 404 page. CivetWeb without a " +
		"document_root answers it with its 405 page, \"Error 405: Method Not Allowed\\n<METHOD> method not " +
		"allowed\"."},
	{Name: bugUnknownMethod, Bug: true, Explanation: "Requests with a method CivetWeb does not know " +
		"(\"BREW\", or a lower-case \"get\": CivetWeb's method table is case-sensitive) reach the handler. " +
		"CivetWeb refuses them with \"400 Bad Request\" (\"Bad request\") and closes the connection."},
	{Name: bugSniffedType, Bug: true, Explanation: "A response the handler sends without a Content-Type " +
		"gets one from net/http's content sniffing (\"text/plain; charset=utf-8\"). CivetWeb sends none. " +
		"Setting w.Header()[\"Content-Type\"] = nil before WriteHeader suppresses the sniffing."},
	{Name: bugSendChunkReturn, Bug: true, Explanation: "mg_send_chunk returns the chunk's length (0 for " +
		"the terminating chunk). CivetWeb returns the bytes it wrote: the hex size line, the data and " +
		"both CRLFs (33 for a 27-byte chunk, 5 for the terminating one)."},
	{Name: bugRedirectReturn, Bug: true, Explanation: "mg_send_http_redirect returns 0 on success. " +
		"CivetWeb 1.15 returns what its mg_printf of the response head returned: the number of bytes " +
		"sent (76 to 114 in the suite). The civetweb.h comment (\"0\") follows civetbox, not CivetWeb."},
	{Name: bugCryTruncated, Bug: true, Explanation: "mg_cry messages are cut at 1023 bytes: the SDK " +
		"formats into a 1 KiB buffer (its comment says CivetWeb does). CivetWeb 1.15 formats into " +
		"MG_BUF_LEN, 8 KiB, so a 3000-byte message reaches its log whole."},
	{Name: bugSendOKReturn, Bug: true, Explanation: "mg_send_http_ok once the head is sent returns -3. " +
		"CivetWeb's returns 0 (and sends nothing), since it ignores its own calls' return codes."},
	{Name: bugConnDataStale, Bug: true, Explanation: "The conn_data of an mg_request_info fetched before " +
		"mg_set_user_connection_data still reads NULL afterwards: the SDK copies conn_data into the info " +
		"when mg_get_request_info is called. In CivetWeb the info is the connection's own, so the field " +
		"changes at once."},
	{Name: bugTrailerDropped, Bug: true, Explanation: "Trailer fields a raw handler writes after the last " +
		"chunk of its own chunked response are dropped. CivetWeb sends them; they could be forwarded with " +
		"http.TrailerPrefix."},
	{Name: bugOverlongBody, Bug: true, Explanation: "A raw response with more body bytes than its " +
		"Content-Length is aborted: the client gets no response at all, just a closed connection. " +
		"CivetWeb sends the response, and the excess bytes follow it on the connection."},
}
