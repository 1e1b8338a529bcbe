package compat

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// Cases for the handler files that write responses: raw, chunks, ok,
// errors, redirect, headers, retval, cry.

// Differences several cases share.
var (
	// The connection is kept by CivetWeb and ended by civetbox.
	closedByBox = "connection afterwards: native open, civetbox closed"
	// CivetWeb answers, civetbox does not.
	answeredOnlyByNative = "responses: native 2, civetbox 1"
)

func rawCases() []testCase {
	return []testCase{
		single("Content-Length", get("/raw/length")),
		withCheck(single("HEAD Content-Length", req("HEAD", "/raw/length"),
			dev{devHeadBody, `trailing bytes: native "raw response\n", civetbox ""`}),
			boxHeader("Content-Length", "13")),
		single("no length, Connection: close", get("/raw/no-length", connClose)),
		single("no length, HTTP/1.0", http10("GET", "/raw/no-length"),
			dev{devStatusVersion, `response 1 status line: native "HTTP/1.1 200 OK", civetbox "HTTP/1.0 200 OK"`}),
		{name: "says close, then another request", steps: []step{{get("/raw/close")}, {get("/raw/length")}}, devs: []dev{
			// The second request is served by CivetWeb only.
			{devHandlerClose, `observations: native ["mg_printf returned 90"], civetbox []`},
			{devHandlerClose, answeredOnlyByNative},
			{devHandlerClose, closedByBox},
		}},
		{name: "says keep-alive, then another request", steps: []step{{get("/raw/keep-alive")}, {get("/raw/length")}}},
		single("own chunked framing", get("/raw/chunked")),
		single("own chunked framing, HTTP/1.0", http10("GET", "/raw/chunked"),
			dev{devStatusVersion, `response 1 status line: native "HTTP/1.1 200 OK", civetbox "HTTP/1.0 200 OK"`}),
		single("chunk extension", get("/raw/chunked-ext")),
		single("chunked trailer", get("/raw/trailer")),
		single("one byte per mg_write", get("/raw/bytewise")),
		single("head split across writes", get("/raw/split")),
		single("200000 bytes from one mg_printf", get("/raw/large")),
		single("mg_printf conversions", get("/raw/format")),
		single("HTTP/1.0 status line", get("/raw/http10"),
			dev{devStatusVersion, `response 1 status line: native "HTTP/1.0 200 OK", civetbox "HTTP/1.1 200 OK"`}),
		single("own reason phrase", get("/raw/reason"),
			dev{devReasonPhrase, `response 1 status line: native "HTTP/1.1 299 Quite Fine", civetbox "HTTP/1.1 299 status code 299"`}),
		single("lower-case header names", get("/raw/lowercase"),
			dev{devResponseCanonical, `response 1 header name spelling: native ["content-type"], civetbox ["Content-Type"]`},
			dev{devResponseCanonical, `response 1 header name spelling: native ["x-lower-case"], civetbox ["X-Lower-Case"]`},
			dev{devResponseCanonical, `response 1 header name spelling: native ["X-UPPER-CASE"], civetbox ["X-Upper-Case"]`}),
		single("repeated headers", get("/raw/repeated")),
		single("204", get("/raw/204")),
		single("interim 100 Continue", get("/raw/interim")),
		withCheck(single("no status line", get("/raw/body-only", connClose),
			// CivetWeb's bytes are not an HTTP response.
			dev{devNoStatusLine, `error: native "malformed response: malformed HTTP status code \"a\"", civetbox ""`},
			dev{devNoStatusLine, "responses: native 0, civetbox 1"}),
			boxAnswer(200, "just a body, no status line\n")),
		single("longer than Content-Length", get("/raw/overlong", connClose),
			dev{devOverlongBody, `trailing bytes: native " and more\n", civetbox ""`}),
		// CivetWeb's excess bytes are read as the next response.
		{name: "longer than Content-Length, then another request", steps: []step{{get("/raw/overlong")}, {get("/raw/chunked")}}, devs: []dev{
			{devOverlongBody, `error: native "malformed response: malformed HTTP status code \"and\"", civetbox ""`},
			{devOverlongBody, "responses: native 1, civetbox 2"},
		}},
		{name: "keep-alive sequence", steps: []step{{get("/raw/length")}, {get("/raw/chunked")}, {get("/raw/split")}, {get("/raw/bytewise")}}},
		{name: "pipelined", steps: []step{{get("/raw/length"), get("/raw/chunked"), get("/raw/large"), get("/raw/split")}}},
	}
}

func chunksCases() []testCase {
	return []testCase{
		single("basic", get("/chunks/basic")),
		single("basic, HTTP/1.0", http10("GET", "/chunks/basic"),
			dev{devHTTP10Chunked, `response 1 body: native "5\r\nHello\r\n2\r\n, \r\n8\r\nchunks!\n\r\n0\r\n\r\n", civetbox "Hello, chunks!\n"`}),
		single("basic, HEAD", req("HEAD", "/chunks/basic"),
			dev{devHeadBody, `trailing bytes: native "5\r\nHello\r\n2\r\n, \r\n8\r\nchunks!\n\r\n0\r\n\r\n", civetbox ""`}),
		single("many", get("/chunks/many")),
		single("one big chunk", get("/chunks/big")),
		single("only the last chunk", get("/chunks/empty")),
		single("return values", get("/chunks/returns")),
		single("mixed with hand-made chunks", get("/chunks/mixed")),
		withCheck(single("no terminating chunk", get("/chunks/unterminated", connClose),
			// CivetWeb's client sees a chunked body cut short.
			dev{devUnterminatedChunked, `error: native "response body: unexpected EOF (14 bytes read)", civetbox ""`},
			dev{devUnterminatedChunked, "responses: native 0, civetbox 1"}),
			boxAnswer(200, "no last chunk\n")),
		single("NULL mime type", get("/chunks/null-type")),
		{name: "keep-alive sequence", steps: []step{{get("/chunks/basic")}, {get("/chunks/many")}, {get("/chunks/empty")}}},
		{name: "pipelined", steps: []step{{get("/chunks/basic"), get("/chunks/big"), get("/chunks/mixed")}}},
	}
}

func okCases() []testCase {
	return []testCase{
		single("text", get("/ok/text")),
		withCheck(single("HEAD text", req("HEAD", "/ok/text"),
			dev{devHeadBody, `trailing bytes: native "hello\n", civetbox ""`}),
			boxHeader("Content-Length", "6")),
		single("text, HTTP/1.0", http10("GET", "/ok/text")),
		single("NULL mime type", get("/ok/null-type")),
		single("empty mime type", get("/ok/empty-type")),
		single("zero length", get("/ok/zero")),
		single("1 MiB", get("/ok/large")),
		single("return values", get("/ok/returns")),
		// The handler does not read the body; its head goes out before the
		// host drops the body (compare headerCases' "Expect").
		{name: "Expect, 1 MiB response, then keep-alive", steps: []step{{withBody("POST", "/ok/large", "abc", "Expect: 100-continue")}, {get("/ok/text")}}, devs: []dev{
			{devExpectUnread, answeredOnlyByNative},
			{devExpectUnread, closedByBox},
		}},
		{name: "1 MiB response, then keep-alive", steps: []step{{withBody("POST", "/ok/large", "abc")}, {get("/ok/text")}}},
		{name: "keep-alive sequence", steps: []step{{get("/ok/text")}, {get("/ok/zero")}, {get("/ok/null-type")}}},
		{name: "pipelined", steps: []step{{get("/ok/text"), get("/ok/large"), get("/ok/zero")}}},
		{name: "HTTP/1.0 keep-alive", steps: []step{{http10("GET", "/ok/text", connKeepAlive)}, {http10("GET", "/ok/zero", connKeepAlive)}}},
	}
}

func errorsCases() []testCase {
	reason := map[string]string{
		"299": `response 1 status line: native "HTTP/1.1 299 Success", civetbox "HTTP/1.1 299 status code 299"`,
		"418": `response 1 status line: native "HTTP/1.1 418 I am a teapot", civetbox "HTTP/1.1 418 I'm a teapot"`,
		"505": `response 1 status line: native "HTTP/1.1 505 HTTP Version not supported", civetbox "HTTP/1.1 505 HTTP Version Not Supported"`,
		"600": `response 1 status line: native "HTTP/1.1 600 ", civetbox "HTTP/1.1 600 status code 600"`,
		"999": `response 1 status line: native "HTTP/1.1 999 ", civetbox "HTTP/1.1 999 status code 999"`,
	}
	var cases []testCase
	for _, code := range []string{"400", "401", "403", "404", "405", "413", "418", "429", "431", "500", "501", "503", "505", "299", "600", "999", "204", "304"} {
		c := single(code, get("/error/"+code))
		if r, ok := reason[code]; ok {
			c.devs = []dev{{devReasonPhrase, r}}
		}
		cases = append(cases, c)
	}
	return append(cases,
		single("long message", get("/error/long")),
		single("empty message", get("/error/empty")),
		single("HEAD 404", req("HEAD", "/error/404"),
			dev{devHeadBody, `trailing bytes: native "Error 404: Not Found\ncustom message 404 for HEAD /error/404", civetbox ""`}),
		single("HTTP/1.0 500", http10("GET", "/error/500")),
		single("POST 400 with unread body", withBody("POST", "/error/400", "name=value", formType)),
		single("no route", get("/nothing")),
		single("no route, HTTP/1.0", http10("GET", "/nothing")),
		// An error page ends the connection: the second request is not
		// answered.
		testCase{name: "keep-alive after an error", steps: []step{{get("/error/500")}, {get("/error/404")}}},
		testCase{name: "pipelined after an error", steps: []step{{get("/error/503"), get("/error/404")}}},
	)
}

func redirectCases() []testCase {
	// Handlers report what mg_send_http_redirect returned: the size of the
	// head CivetWeb sent, the same from both.
	var cases []testCase
	for _, code := range []string{"0", "301", "302", "303", "307", "308"} {
		cases = append(cases, single(code, get("/redirect/"+code+"?/target/"+code)))
	}
	for _, code := range []string{"200", "304", "309", "-1"} {
		cases = append(cases, single("invalid "+code, get("/redirect/"+code+"?/target")))
	}
	return append(cases,
		single("NULL target", get("/redirect/302")),
		single("empty target", get("/redirect/303?")),
		single("absolute target", get("/redirect/301?https://example.com/x?y=1")),
		single("HEAD", req("HEAD", "/redirect/307?/head")),
		single("HTTP/1.0", http10("GET", "/redirect/302?/old"),
			// CivetWeb's mg_send_http_redirect always writes HTTP/1.1.
			dev{devStatusVersion, `response 1 status line: native "HTTP/1.1 302 Found", civetbox "HTTP/1.0 302 Found"`}),
		testCase{name: "keep-alive sequence", steps: []step{{get("/redirect/302?/a")}, {get("/redirect/301?/b")}, {get("/redirect/999?/c")}}},
	)
}

func headersCases() []testCase {
	var cases []testCase
	for _, code := range []string{"200", "201", "299", "404", "600", "204", "304"} {
		c := single("status "+code, get("/headers/status/"+code))
		switch code {
		case "299":
			c.devs = []dev{{devReasonPhrase, `response 1 status line: native "HTTP/1.1 299 Success", civetbox "HTTP/1.1 299 status code 299"`}}
		case "600":
			c.devs = []dev{{devReasonPhrase, `response 1 status line: native "HTTP/1.1 600 ", civetbox "HTTP/1.1 600 status code 600"`}}
		}
		cases = append(cases, c)
	}
	return append(cases,
		single("return codes", get("/headers/codes")),
		single("65 headers", get("/headers/many", connClose)),
		single("70 header lines", get("/headers/many-lines", connClose)),
		single("Content-Length", get("/headers/length")),
		withCheck(single("HEAD Content-Length", req("HEAD", "/headers/length"),
			dev{devHeadBody, `trailing bytes: native "length\n", civetbox ""`}),
			boxHeader("Content-Length", "7")),
		single("HTTP/1.0 return codes", http10("GET", "/headers/codes"),
			// The handler declares chunked framing: CivetWeb sends it to an
			// HTTP/1.0 client, which reads the framing as body.
			dev{devHTTP10Chunked, `response 1 body: native 488 bytes, civetbox 476 bytes, first difference at offset 0: native "1dc\r\nadd before start: -3\nsend before start: -3\nstart 99: -1\nstart 1000: -1\nstar", civetbox "add before start: -3\nsend before start: -3\nstart 99: -1\nstart 1000: -1\nstart 200"`}),
		testCase{name: "says close, then another request", steps: []step{{get("/headers/close")}, {get("/headers/length")}}, devs: []dev{
			// The second request is served by CivetWeb only.
			{devHandlerClose, `observations: native ["mg_write returned 7"], civetbox []`},
			{devHandlerClose, answeredOnlyByNative},
			{devHandlerClose, closedByBox},
		}},
		testCase{name: "keep-alive sequence", steps: []step{{get("/headers/status/201")}, {get("/headers/codes")}, {get("/headers/length")}}},
	)
}

func retvalCases() []testCase {
	var cases []testCase
	for _, n := range []string{"1", "200", "404", "999", "1000"} {
		cases = append(cases, single("sent, returns "+n, get("/ret/sent/"+n)))
	}
	for _, n := range []string{"0", "-1"} {
		cases = append(cases, single("sent, returns "+n, get("/ret/sent/"+n, connClose),
			dev{devNotHandledAfterSend, `trailing bytes: native "Error 404: Not Found\nNot Found", civetbox ""`}))
	}
	for _, n := range []string{"0", "-1"} {
		cases = append(cases, single("silent, returns "+n, get("/ret/silent/"+n)))
	}
	// CivetWeb sends nothing and closes (the request says close); civetbox
	// sends an empty response with the returned status, or 200.
	for _, r := range []struct {
		n      string
		status int
	}{{"1", 200}, {"200", 200}, {"204", 204}, {"404", 404}, {"999", 200}, {"1000", 200}} {
		cases = append(cases, withCheck(single("silent, returns "+r.n, get("/ret/silent/"+r.n, connClose),
			dev{devEmptyResponse, "responses: native 0, civetbox 1"}),
			boxAnswer(r.status, "")))
	}
	return append(cases,
		testCase{name: "keep-alive after handled", steps: []step{{get("/ret/sent/200")}, {get("/ret/sent/1")}, {get("/ret/silent/0")}}},
		// Both answer 405 "PUT method not allowed".
		single("PUT, silent, returns 0", withBody("PUT", "/ret/silent/0", "data")),
	)
}

func cryCases() []testCase {
	logged := func(t *testing.T, native, box *result) {
		require.Len(t, box.observed, 4, "mg_cry messages in civetbox's log")
		require.Equal(t, []string{"short", "formatted 42 GET"}, box.observed[:2])
	}
	return []testCase{
		withCheck(single("cry", get("/cry")), logged),
		{name: "keep-alive sequence", steps: []step{{get("/cry")}, {req("DELETE", "/cry?2")}, {get("/cry?3")}}},
	}
}

// withCheck adds a check to c.
func withCheck(c testCase, check func(t *testing.T, native, box *result)) testCase {
	c.check = check
	return c
}

// boxAnswer checks civetbox's single response.
func boxAnswer(status int, body string) func(t *testing.T, native, box *result) {
	return func(t *testing.T, native, box *result) {
		require.Len(t, box.responses, 1)
		require.Equal(t, status, box.responses[0].status)
		require.Equal(t, body, string(box.responses[0].body))
	}
}

// boxHeader checks a raw header of civetbox's first response.
func boxHeader(name, value string) func(t *testing.T, native, box *result) {
	return func(t *testing.T, native, box *result) {
		require.NotEmpty(t, box.responses)
		got, ok := box.responses[0].rawHeader(name)
		require.True(t, ok, "civetbox sends %s", name)
		require.Equal(t, value, got, name)
	}
}
