package compat

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Cases for the handler files that read the request: read, info, header,
// vars, cookies, urlcode, split, strings, link, routes, conndata, methods.

func readCases() []testCase {
	small := "Hello, mg_read!\n"
	return []testCase{
		single("1-byte pieces, 64 KiB", withBody("POST", "/read/1", pattern(64<<10))),
		single("7-byte pieces, 10 MiB", withBody("POST", "/read/7", body10MiB())),
		single("4096-byte pieces, 10 MiB", withBody("PUT", "/read/4096", body10MiB())),
		single("65536-byte pieces, 1 MiB", withBody("POST", "/read/65536", body1MiB())),
		single("1-byte pieces, chunked", chunked("POST", "/read/1", splitChunks(pattern(5000)), "")),
		single("4096-byte pieces, chunked 1 MiB", chunked("POST", "/read/4096", splitChunks(body1MiB()), "")),
		single("7-byte pieces, empty body", withBody("POST", "/read/7", "")),
		single("7-byte pieces, GET", get("/read/7")),
		single("echo", withBody("POST", "/read/echo", small)),
		single("echo chunked", chunked("POST", "/read/echo", []string{"Hello", ", ", "chunks"}, "")),
		single("echo chunked with extension", strings.Replace(chunked("POST", "/read/echo", []string{"Hello", ", ", "chunks"}, ""), "2\r\n", "2;ext=1\r\n", 1),
			dev{devChunkExtension, `response 1 body: native "", civetbox "Hello, chunks"`},
			dev{devChunkExtension, "connection afterwards: native closed, civetbox open"}),
		single("echo chunked with trailer", chunked("POST", "/read/echo", []string{"Hello"}, "X-Trailer: 1\r\n"),
			dev{devChunkTrailer, "connection afterwards: native closed, civetbox open"}),
		single("echo 1 MiB", withBody("POST", "/read/echo", body1MiB())),
		single("one read, small body", withBody("POST", "/read/once", small)),
		single("one read, 64 KiB body", withBody("POST", "/read/once", pattern(64<<10))),
		// The host drops less than 256 KiB of unread body (100 KiB and one
		// byte short of 256 KiB here); from 256 KiB on the connection ends.
		{name: "partial read, then keep-alive", steps: []step{{withBody("POST", "/read/partial", pattern(100<<10))}, {get("/read/7")}}},
		{name: "partial read leaving 256 KiB - 1, then keep-alive", steps: []step{{withBody("POST", "/read/partial", pattern(10+256<<10-1))}, {get("/read/7")}}},
		{name: "partial read leaving 256 KiB, then keep-alive", steps: []step{{withBody("POST", "/read/partial", pattern(10+256<<10))}, {get("/read/7")}}, devs: unreadBodyLimit},
		{name: "partial read leaving 300 KiB, then keep-alive", steps: []step{{withBody("POST", "/read/partial", pattern(10+300<<10))}, {get("/read/7")}}, devs: unreadBodyLimit},
		{name: "partial read of 1 MiB, then keep-alive", steps: []step{{withBody("POST", "/read/partial", body1MiB())}, {get("/read/7")}}, devs: unreadBodyLimit},
		{name: "partial read of 300 KiB chunked, then keep-alive", steps: []step{{chunked("POST", "/read/partial", splitChunks(pattern(10+300<<10)), "")}, {get("/read/7")}}, devs: unreadBodyLimit},
		single("Expect: 100-continue", withBody("POST", "/read/4096", small, "Expect: 100-continue"), expectContinue),
		single("Transfer-Encoding and Content-Length", "POST /read/4096 HTTP/1.1\r\n"+hostLine+
			"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"+"10\r\n0123456789abcdef\r\n0\r\n\r\n"),
		{name: "keep-alive sequence", steps: []step{
			{withBody("POST", "/read/7", small)},
			{chunked("POST", "/read/1", []string{"abc", "defg"}, "")},
			{withBody("PUT", "/read/4096", pattern(10000))},
			{get("/read/7")},
		}},
		{name: "pipelined", steps: []step{{
			withBody("POST", "/read/7", small),
			chunked("POST", "/read/1", []string{"abc", "defg"}, ""),
			withBody("POST", "/read/echo", small),
			get("/read/4096"),
		}}},
		single("HTTP/1.0 with body", "POST /read/7 HTTP/1.0\r\nContent-Length: 16\r\n\r\n"+small),
	}
}

func infoCases() []testCase {
	big := strings.Repeat("b", 1000)
	var header17K []string
	for i := range 17 {
		header17K = append(header17K, "X-Big-"+string(rune('A'+i))+": "+big)
	}
	return []testCase{
		single("GET", get("/info")),
		single("query", get("/info?x=1&y=%20two&z")),
		single("empty query", get("/info?")),
		single("query with fragment", get("/info?x=1#frag")),
		single("POST form", withBody("POST", "/info", "a=1&b=2", formType)),
		single("PUT", withBody("PUT", "/info", "data")),
		single("DELETE", req("DELETE", "/info")),
		single("HEAD", req("HEAD", "/info"),
			dev{devHeadBody, `trailing bytes: native "request_method: HEAD\nrequest_uri: /info\nlocal_uri_raw: /info\nlocal_uri: /info\nhttp_version: 1.1\nquery_string: (null)\nremote_user: (null)\nremote_addr is 127.0.0.1: yes\ncontent_length: -1\nbody bytes read: 0\nremote_port set: yes\nserver_port set: yes\nis_ssl: 0\nuser_data: (null)\nconn_data: (null)\nclient_"..., civetbox ""`}),
		single("OPTIONS", req("OPTIONS", "/info")),
		single("PATCH", withBody("PATCH", "/info", "patch")),
		single("headers", get("/info", "X-Custom: custom value", "User-Agent: compat/1.0", "Accept: */*",
			"X-Dup: first", "X-Dup: second", "Cookie: a=1", "X-Empty:", "Content-Type: text/plain")),
		single("lower-case header names", get("/info", "x-lower: lower", "content-type: text/plain"),
			dev{devHeaderCanonical, `response 1 body: native 444 bytes, civetbox 444 bytes, first difference at offset 372: native "protocol: (null)\nnum_headers: 3\nheader: content-type: text/plain\nheader: Host: 127.0.0.1\nheader: x-lower: lower\n", civetbox "protocol: (null)\nnum_headers: 3\nheader: Content-Type: text/plain\nheader: Host: 127.0.0.1\nheader: X-Lower: lower\n"`}),
		single("header value with trailing spaces", get("/info", "X-Trailing: value  "),
			dev{devHeaderWhitespace, `response 1 body: native 416 bytes, civetbox 414 bytes, first difference at offset 413: native "ost: 127.0.0.1\nheader: X-Trailing: value  \n", civetbox "ost: 127.0.0.1\nheader: X-Trailing: value\n"`}),
		single("header value with tabs", get("/info", "X-Tabs:\t\tvalue"),
			dev{devHeaderTab, `response 1 status line: native "HTTP/1.0 400 Bad Request", civetbox "HTTP/1.1 200 OK"`},
			dev{devHeaderTab, `response 1 body: native 40 bytes, civetbox 410 bytes, first difference at offset 0: native "Error 400: Bad Request\nMalformed message", civetbox "request_method: GET\nrequest_uri: /info\nlocal_uri_raw: /info\nlocal_uri: /info\nhtt"`},
			dev{devHeaderTab, "connection afterwards: native closed, civetbox open"}),
		single("chunked body", chunked("POST", "/info", []string{"a=1"}, "")),
		single("HTTP/1.0", http10("GET", "/info")),
		{name: "HTTP/1.0 keep-alive", steps: []step{{http10("GET", "/info", connKeepAlive)}, {http10("GET", "/info?second", connKeepAlive)}, {http10("GET", "/info?third")}}},
		single("HTTP/1.1 Connection: close", get("/info", connClose)),
		{name: "keep-alive sequence", steps: []step{{get("/info?1")}, {withBody("POST", "/info?2", "x=2", formType)}, {chunked("PUT", "/info?3", []string{"abc", "de"}, "")}, {req("DELETE", "/info?4")}, {req("HEAD", "/info?5")}}, devs: []dev{
			{devHeadBody, `trailing bytes: native "request_method: HEAD\nrequest_uri: /info\nlocal_uri_raw: /info\nlocal_uri: /info\nhttp_version: 1.1\nquery_string: 5\nremote_user: (null)\nremote_addr is 127.0.0.1: yes\ncontent_length: -1\nbody bytes read: 0\nremote_port set: yes\nserver_port set: yes\nis_ssl: 0\nuser_data: (null)\nconn_data: (null)\nclient_cert:"..., civetbox ""`},
		}},
		{name: "pipelined", steps: []step{{get("/info?1"), withBody("POST", "/info?2", "x=2", formType), chunked("PUT", "/info?3", []string{"abc", "de"}, ""), req("OPTIONS", "/info?4"), get("/info?5", connClose)}}},
		single("64 header fields", get("/info", numberedHeaders(63)...)),
		single("65 header fields", get("/info", numberedHeaders(64)...),
			dev{devTooManyHeaders, `response 1 status line: native "HTTP/1.1 200 OK", civetbox "HTTP/1.1 431 Request Header Fields Too Large"`},
			dev{devTooManyHeaders, `response 1 body: native 2270 bytes, civetbox 66 bytes, first difference at offset 0: native "request_method: GET\nrequest_uri: /info\nlocal_uri_raw: /info\nlocal_uri: /info\nhtt", civetbox "Error 431: Request Header Fields Too Large\nToo many header fields."`},
			dev{devTooManyHeaders, closedByBox}),
		single("17 KiB header block", get("/info", header17K...),
			dev{devHeadLimit, `response 1 status line: native "HTTP/1.0 400 Bad Request", civetbox "HTTP/1.1 200 OK"`},
			dev{devHeadLimit, "response 1 body: native 40 bytes, civetbox 17695 bytes, first difference at offset 0"},
			dev{devHeadLimit, "connection afterwards: native closed, civetbox open"}),
		single("1.1 MiB header block", get("/info", "X-Huge: "+strings.Repeat("h", 1100<<10)),
			dev{devHeadLimit, `response 1 status line: native "HTTP/1.0 400 Bad Request", civetbox "HTTP/1.1 431 Request Header Fields Too Large"`},
			dev{devHeadLimit, `response 1 header Cache-Control: native ["no-cache, no-store, must-revalidate, private, max-age=0"], civetbox []`},
			dev{devHeadLimit, `response 1 header Expires: native ["0"], civetbox []`},
			dev{devHeadLimit, `response 1 header Pragma: native ["no-cache"], civetbox []`},
			dev{devHeadLimit, `response 1 body: native "Error 400: Bad Request\nMalformed message", civetbox "431 Request Header Fields Too Large"`}),
		withCheck(single("absolute-form target", "GET http://example.com/info?abs=1 HTTP/1.1\r\nHost: example.com\r\n\r\n",
			// CivetWeb is not on port 80 and closes without an answer.
			dev{devAbsoluteForm, "responses: native 0, civetbox 1"},
			dev{devAbsoluteForm, "connection afterwards: native closed, civetbox open"}),
			func(t *testing.T, native, box *result) {
				require.Equal(t, 200, box.responses[0].status)
				require.Contains(t, string(box.responses[0].body), "\nlocal_uri: /info\n")
				require.Contains(t, string(box.responses[0].body), "\nquery_string: abs=1\n")
			}),
		single("percent-encoded path", get("/info/%41b%63%20d%2Fe%3F?q=%41")),
		single("dot segments", get("/info/a/../b/./c")),
		single("encoded dot segments", get("/info/a/%2e%2e/b/%2E/c")),
		single("dot segments above the route", get("/x/../info")),
		single("dot segments above the root", get("/../info")),
		single("double slashes", get("/info//a//b")),
		single("encoded NUL", get("/info/a%00b")),
		single("pattern route", get("/some/where.info")),
		single("Expect: 100-continue", withBody("POST", "/info", "a=1", "Expect: 100-continue"), expectContinue),
		single("Transfer-Encoding and Content-Length", "POST /info HTTP/1.1\r\n"+hostLine+
			"Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"+"3\r\na=1\r\n0\r\n\r\n",
			dev{devTEAndCL, `response 1 body: native 450 bytes, civetbox 424 bytes, first difference at offset 363: native "bSocketSubprotocol: (null)\nnum_headers: 3\nheader: Content-Length: 3\nheader: Host: 127.0.0.1\nheader: Transfer-Encoding: c", civetbox "bSocketSubprotocol: (null)\nnum_headers: 2\nheader: Host: 127.0.0.1\nheader: Transfer-Encoding: chunked\n"`}),
		single("no Host", "GET /info HTTP/1.1\r\n\r\n", append(goRefusal(`"HTTP/1.1 400 Bad Request: missing required Host header"`),
			dev{devHostRequired, `response 1 body: native 364 bytes, civetbox 45 bytes, first difference at offset 0: native "request_method: GET\nrequest_uri: /info\nlocal_uri_raw: /info\nlocal_uri: /info\nhtt", civetbox "400 Bad Request: missing required Host header"`})...),
		single("two Host headers", "GET /info HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", append(goRefusal(`"HTTP/1.1 400 Bad Request"`),
			dev{devHostRequired, `response 1 body: native 396 bytes, civetbox 15 bytes, first difference at offset 0: native "request_method: GET\nrequest_uri: /info\nlocal_uri_raw: /info\nlocal_uri: /info\nhtt", civetbox "400 Bad Request"`})...),
		withCheck(single("OPTIONS *", "OPTIONS * HTTP/1.1\r\n"+hostLine+"\r\n",
			dev{devOptionsStar, "responses: native 0, civetbox 1"},
			dev{devOptionsStar, "connection afterwards: native closed, civetbox open"}),
			boxAnswer(200, "")),
		// Both answer 400 "Bad request" and close.
		single("unknown method", req("BREW", "/info")),
		single("lower-case method", req("get", "/info")),
	}
}

func headerCases() []testCase {
	return []testCase{
		single("lookups", get("/header", "X-Custom: custom", "x-lower: lower", "X-Repeated: one",
			"X-Repeated: two", "Cookie: c=1", "X-Empty:", "X-Spaces:   spaced", connKeepAlive)),
		single("no extra headers", get("/header")),
		// The handler does not read the body; the host drops it.
		single("Content-Length", withBody("POST", "/header", "abc", "Content-Type: text/plain")),
		single("chunked", chunked("POST", "/header", []string{"abc"}, "")),
		// No interim response: the handler never reads the body, and the
		// host does not wait for it.
		single("Expect", withBody("POST", "/header", "abc", "Expect: 100-continue"),
			dev{devExpectUnread, closedByBox}),
		{name: "keep-alive after an unread body", steps: []step{{withBody("POST", "/header", "abc")}, {get("/header")}}},
		{name: "pipelined after an unread body", steps: []step{{withBody("POST", "/header", "abc"), get("/header"), get("/header")}}},
		// A client that waits for "100 Continue" or an answer before sending
		// the body gets the answer at once, with "Connection: close".
		withCheck(testCase{name: "Expect, body sent after the answer", steps: []step{
			{"POST /header HTTP/1.1\r\n" + hostLine + "Expect: 100-continue\r\nContent-Length: 3\r\n\r\n"},
			{"abc" + get("/header")},
		}, devs: []dev{
			{devExpectUnread, answeredOnlyByNative},
			{devExpectUnread, closedByBox},
		}}, boxHeader("Connection", "close")),
		// A body sent after a pause is read and dropped; the connection
		// goes on.
		{name: "body sent after the answer, then keep-alive", steps: []step{
			{"POST /header HTTP/1.1\r\n" + hostLine + "Content-Length: 3\r\n\r\n"},
			{"abc" + get("/header")},
		}},
		single("HTTP/1.0", http10("GET", "/header", "X-Custom: ten")),
	}
}

func varsCases() []testCase {
	query := "name=Ada%20Lovelace&a=1&aa=2&A=3&empty=&plus=a+b&pct=%41%zz&bad=%&tag=x&tag=y&tag=z&x+y=sp&=noname&long=" + strings.Repeat("L", 2000)
	return []testCase{
		single("query", get("/vars/query?"+query)),
		single("no query", get("/vars/query")),
		single("empty query", get("/vars/query?")),
		single("name only", get("/vars/query?name&a")),
		single("form body", withBody("POST", "/vars/body", query, formType)),
		single("chunked form body", chunked("POST", "/vars/body", splitChunks(query), "", formType)),
		single("empty body", withBody("POST", "/vars/body", "", formType)),
		single("separators", withBody("POST", "/vars/body", "&&name=x&&a=&a=2&", formType)),
	}
}

func cookiesCases() []testCase {
	return []testCase{
		single("cookies", get("/cookies", `Cookie: session=abc123; a=1; b=two words; quoted="q v"; empty=; spaced = x ; last=z`)),
		single("no cookie", get("/cookies")),
		single("two Cookie headers", get("/cookies", "Cookie: a=first", "Cookie: a=second; b=2")),
		single("prefixes", get("/cookies", "Cookie: sess=1; session=2; xsession=3")),
		single("no spaces", get("/cookies", "Cookie: a=1;b=2;last=3")),
	}
}

func urlcodeCases() []testCase {
	return []testCase{
		single("fixed strings", get("/urlcode")),
		single("query", get("/urlcode?a%20b+c%2Bd%25e%zz%4")),
		single("UTF-8 query", get("/urlcode?%E2%82%AC%c3%a9")),
	}
}

func splitCases() []testCase {
	form := "name=Ada+Lovelace&a=1&flag&empty=&pct=%41%2B&=v&last"
	return []testCase{
		single("body", withBody("POST", "/split/body", form, formType)),
		single("body, at most 2", withBody("POST", "/split/body/2", form, formType)),
		single("body, at most 0", withBody("POST", "/split/body/0", form, formType)),
		single("empty body", withBody("POST", "/split/body", "", formType)),
		single("leading spaces", withBody("POST", "/split/body", "  a=1& b=2", formType)),
		single("query", get("/split/query?"+form)),
		single("no query", get("/split/query")),
	}
}

func stringsCases() []testCase {
	return []testCase{
		single("compare", get("/strings/compare")),
		single("response code texts", get("/strings/codes")),
		single("version", get("/strings/version")),
	}
}

func linkCases() []testCase {
	return []testCase{
		single("link", get("/link")),
		single("query", get("/link?x=1")),
		single("below", get("/link/a/b")),
		single("dot segments", get("/link/a/../b")),
		single("percent-encoded", get("/link/%41%20b")),
		single("HTTP/1.0", http10("GET", "/link")),
	}
}

func routesCases() []testCase {
	var cases []testCase
	for _, path := range []string{
		"/a", "/a/b", "/a/b/c", "/a/c", "/abc", "/A", "/a/B",
		"/Case", "/case", "/CASE/x",
		"/files/x.txt", "/files/x.TXT", "/files/sub/x.txt", "/files/x.txt/more",
		"/img/x.png", "/x.png", "/img/x.PNG", "/img/x.png/y",
		"/xyz", "/xYz", "/xz", "/xyzz",
		"/one", "/two", "/two/x", "/one/x",
		"/deep/a/b/leaf", "/deep/leaf", "/deep/a/leaf/x",
		"/star/x/end", "/star/x/y/end", "/star//end",
		"/end", "/end/x",
		"/order/exact", "/order/x", "/order/x/y", "/order",
		"/decline", "/decline/x",
		"/gone", "/replaced", "/replaced/more", "/replaced/x",
		"/never", "/nothing", "/",
		"/a/../files/y.txt", "/%61/b",
	} {
		cases = append(cases, single(path, get(path)))
	}
	return append(cases,
		// Both answer 405 "PUT method not allowed".
		single("PUT to a declining route", withBody("PUT", "/decline", "x")),
		testCase{name: "keep-alive sequence", steps: []step{{get("/a")}, {get("/a/b")}, {get("/img/x.png")}, {get("/replaced")}}},
		testCase{name: "pipelined", steps: []step{{get("/one"), get("/two"), get("/deep/x/leaf"), get("/order/x")}}},
	)
}

func conndataCases() []testCase {
	return []testCase{
		single("one request", get("/conn")),
		{name: "keep-alive sequence", steps: []step{{get("/conn")}, {get("/conn")}, {get("/conn")}}, devs: []dev{
			connDataKept(2), connDataKept(3),
		}},
		{name: "pipelined", steps: []step{{get("/conn"), get("/conn")}}, devs: []dev{
			connDataKept(2),
		}},
	}
}

func methodsCases() []testCase {
	var cases []testCase
	for _, m := range []string{"GET", "DELETE", "OPTIONS"} {
		cases = append(cases, single(m, req(m, "/m")))
	}
	cases = append(cases, single("HEAD", req("HEAD", "/m"),
		dev{devHeadBody, `trailing bytes: native "method HEAD\ncontent_length -1\nread 0 bytes\nfirst []\n", civetbox ""`}))
	for _, m := range []string{"POST", "PUT", "PATCH", "DELETE"} {
		cases = append(cases, single(m+" with body", withBody(m, "/m", m+" body")))
	}
	// Nobody takes them: 404, but 405 "<METHOD> method not allowed" for
	// PUT, DELETE, PATCH and MKCOL, from both.
	for _, m := range []string{"GET", "POST", "PUT", "DELETE", "PATCH", "MKCOL"} {
		cases = append(cases, single(m+" without a route", withBody(m, "/nothing", "x")))
	}
	return append(cases,
		single("PUT to a declining route", withBody("PUT", "/m/decline", "x")),
		single("DELETE to a declining route", req("DELETE", "/m/decline")),
		single("GET to a declining route", get("/m/decline")),
		// Refused with 400 "Bad request" before the handler runs.
		single("unknown method", withBody("BREW", "/m", "coffee")),
		single("CONNECT", req("CONNECT", "/m")),
		single("PROPFIND", req("PROPFIND", "/m")),
		testCase{name: "keep-alive sequence", steps: []step{{get("/m")}, {withBody("POST", "/m", "one")}, {withBody("PUT", "/m", "two")}, {req("DELETE", "/m")}}},
	)
}

// What http.Server logs for a panic, which no case may show.
const httpPanic = "http: panic serving"

// unreadBodyLimit: 256 KiB or more left unread ends the connection.
var unreadBodyLimit = []dev{
	{devUnreadBodyLimit, answeredOnlyByNative},
	{devUnreadBodyLimit, closedByBox},
}

// expectContinue: Go answers "Expect: 100-continue" with an interim
// response when the handler reads the body.
var expectContinue = dev{devExpectContinue, `response 1 interim responses: native [], civetbox ["HTTP/1.1 100 Continue"]`}

// goRefusal is how net/http's own 400 for a request it refuses differs from
// the info page CivetWeb sends: status line, no cache headers.
func goRefusal(statusLine string) []dev {
	return []dev{
		{devHostRequired, `response 1 status line: native "HTTP/1.1 200 OK", civetbox ` + statusLine},
		{devHostRequired, `response 1 header Cache-Control: native ["no-cache, no-store, must-revalidate, private, max-age=0"], civetbox []`},
		{devHostRequired, `response 1 header Expires: native ["0"], civetbox []`},
		{devHostRequired, `response 1 header Pragma: native ["no-cache"], civetbox []`},
		{devHostRequired, closedByBox},
	}
}

// connDataKept: CivetWeb's response n still sees the conn_data an earlier
// request on the connection set (devConnDataPerRequest).
func connDataKept(n int) dev {
	return dev{devConnDataPerRequest, fmt.Sprintf(`response %d body: native 301 bytes, civetbox 289 bytes, first difference at offset 38: native "at start: mg_get_user_connection_data the marker, conn_data the marker\nafter set: mg_get_user_connection_data the mark", civetbox "at start: mg_get_user_connection_data NULL, conn_data NULL\nafter set: mg_get_user_connection_data the marker\nafter set"`, n)}
}
