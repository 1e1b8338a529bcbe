package compat

import (
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Cases for forms.c: mg_handle_form_request. Field names choose what
// field_found answers (see forms.c): skip*, store*, storestop*, nopath*,
// abort*, abortget*; field_get answers ABORT for stop* and NEXT for next*.

// mpPart is one part of a multipart body: its head lines and content.
type mpPart struct {
	head    []string
	content string
}

func mpField(name, value string) mpPart {
	return mpPart{head: []string{`Content-Disposition: form-data; name="` + name + `"`}, content: value}
}

func mpFile(name, filename, content string) mpPart {
	return mpPart{head: []string{
		`Content-Disposition: form-data; name="` + name + `"; filename="` + filename + `"`,
		"Content-Type: application/octet-stream",
	}, content: content}
}

// multipartBody is a well-formed multipart/form-data body.
func multipartBody(boundary string, parts ...mpPart) string {
	var b strings.Builder
	for _, p := range parts {
		b.WriteString("--" + boundary + "\r\n" + headerLines(p.head) + "\r\n" + p.content + "\r\n")
	}
	b.WriteString("--" + boundary + "--\r\n")
	return b.String()
}

const boundary = "XXXX-civetbox-form-boundary"

var mpType = "Content-Type: multipart/form-data; boundary=" + boundary

func postMultipart(body string, headers ...string) string {
	return withBody("POST", "/forms/all", body, append([]string{mpType}, headers...)...)
}

// awkward is binary content with CRLFs, NUL bytes and near-boundaries.
var awkward = sync.OnceValue(func() string {
	return "line 1\r\nline 2\r\n\r\n" + pattern(3000) + "\x00\r\n--" + boundary[:10] +
		"\r\n--" + boundary[:len(boundary)-1] + "Y\r\n-" + boundary + "\r\n"
})

// bigField is a long urlencoded value whose escapes straddle the 8 KiB
// window in different places.
var bigField = strings.Repeat("ab%41c+", 4000)

const queryForm = "a=1&b=x+y&c=%41%42&c=dup&empty=&noeq&d=4&e=%zz&f=%4"

// bodyForm is queryForm for a body. A body whose last value ends in a cut
// escape ("%" or "%4") makes CivetWeb 1.15 loop forever (a worker thread
// spins calling field_get with an empty value); civetbox returns -1.
// Those bodies are left to the SDK's own tests.
const bodyForm = "a=1&b=x+y&c=%41%42&c=dup&empty=&noeq&d=4&e=%zz&f=%4x"

func formsCases() []testCase {
	return slices.Concat(formsGetCases(), formsURLEncodedCases(), formsMultipartCases(), formsMalformedCases(), formsTruncatedCases())
}

func formsGetCases() []testCase {
	return []testCase{
		single("GET query", get("/forms/all?"+queryForm)),
		single("GET without query", get("/forms/all")),
		single("GET empty query", get("/forms/all?")),
		single("GET key without value at the end", get("/forms/all?a=1&last")),
		single("GET trailing percent", get("/forms/all?a=abc%2")),
		single("GET skip, then abort", get("/forms/all?skip1=a&b=2&abort1=b&after=c")),
		single("GET abort with get", get("/forms/all?a=1&abortget1=x&b=1")),
		single("GET field_get aborts", get("/forms/all?a=1&stop=2&b=3")),
		single("GET field_get next", get("/forms/all?next1=abc&b=1")),
		{name: "GET store", steps: []step{{get("/forms/all?storeq=hello%20world+x&x=1")}},
			check: storedFiles(map[string]*string{"form-storeq.bin": ptr("hello%20world+x")})},
		{name: "GET store, field_store aborts", steps: []step{{get("/forms/all?storestopq=v&x=1")}},
			check: storedFiles(map[string]*string{"form-storestopq.bin": ptr("v")})},
		single("GET store without a path", get("/forms/all?nopath=v&x=1")),
		single("GET without field_get or field_store", get("/forms/noget?a=1&store1=2&skip=3")),
		single("POST without body", withBody("POST", "/forms/all?a=1", "", formType)),
		single("HEAD with query", req("HEAD", "/forms/all?a=1"),
			dev{devHeadBody, `trailing bytes: native "Error 400: Bad Request\nreturned -1\n", civetbox ""`}),
	}
}

func formsURLEncodedCases() []testCase {
	long := "a=" + bigField + "&b=2&c=" + bigField
	return []testCase{
		single("urlencoded", withBody("POST", "/forms/all", bodyForm, formType)),
		single("urlencoded without Content-Type", withBody("POST", "/forms/all", bodyForm)),
		single("urlencoded, www-form-urlencoded", withBody("POST", "/forms/all", bodyForm,
			"Content-Type: application/www-form-urlencoded")),
		single("urlencoded, charset", withBody("PUT", "/forms/all", "a=1&b=2",
			"Content-Type: application/x-www-form-urlencoded; charset=utf-8")),
		single("urlencoded long values", withBody("POST", "/forms/all", long, formType)),
		single("urlencoded chunked", chunked("POST", "/forms/all", splitChunks(long), "", formType)),
		single("urlencoded without =", withBody("POST", "/forms/all", "%", formType)),
		single("urlencoded ends with a key", withBody("POST", "/forms/all", "a=1&b", formType)),
		single("urlencoded empty key and value", withBody("POST", "/forms/all", "=&=x&y=", formType)),
		single("urlencoded field_get aborts", withBody("POST", "/forms/all", "a=1&stop=2&b=3", formType)),
		single("urlencoded abort", withBody("POST", "/forms/all", "a=1&abort=2&b=3", formType)),
		single("urlencoded next and skip", withBody("POST", "/forms/all", "next=1&skip=2&b=3", formType)),
		{name: "urlencoded store", steps: []step{{withBody("POST", "/forms/all", "storeu=raw%20value+x&x=1", formType)}},
			check: storedFiles(map[string]*string{"form-storeu.bin": ptr("raw%20value+x")})},
		{name: "urlencoded long store", steps: []step{{withBody("POST", "/forms/all", "storel="+bigField+"&x=1", formType)}},
			check: storedFiles(map[string]*string{"form-storel.bin": ptr(bigField)})},
		single("urlencoded storestop", withBody("POST", "/forms/all", "storestopu=1&b=2", formType)),
		single("urlencoded without callbacks", withBody("POST", "/forms/noget", "a=1&store=2", formType)),
	}
}

func formsMultipartCases() []testCase {
	big := body1MiB()
	fields := multipartBody(boundary, mpField("a", "1"), mpField("b", "two words"), mpField("empty", ""),
		mpField("a", "again"), mpField("x+y%21", "encoded name"))
	return []testCase{
		single("multipart text fields", postMultipart(fields)),
		single("multipart binary file", postMultipart(multipartBody(boundary, mpFile("f", "data.bin", awkward()), mpField("after", "x")))),
		single("multipart quoted boundary", withBody("POST", "/forms/all",
			multipartBody("quoted boundary", mpField("a", "1"), mpField("b", "2")),
			`Content-Type: multipart/form-data; boundary="quoted boundary"`)),
		single("multipart boundary in other case and spaces", withBody("POST", "/forms/all", fields,
			"Content-Type: MULTIPART/FORM-DATA;   BOUNDARY="+boundary)),
		single("multipart file names with paths", postMultipart(multipartBody(boundary,
			mpFile("f1", `C:\dir\..\x.txt`, "1"), mpFile("f2", "../../etc/passwd", "2"),
			mpFile("f3", "a/./b/../c.txt", "3"), mpFile("f4", "", "4"), mpFile("f5", "x%20y+z.txt", "5")))),
		single("multipart unquoted name and filename", postMultipart(multipartBody(boundary,
			mpPart{head: []string{"Content-Disposition: form-data; name=plain; filename=f.txt"}, content: "v"},
			mpPart{head: []string{"content-disposition: form-data;name=\"b\",filename=\"g\""}, content: "w"}))),
		single("multipart preamble", postMultipart("preamble text\r\n"+fields)),
		single("multipart 1 MiB file", postMultipart(multipartBody(boundary, mpFile("big", "big.bin", big), mpField("after", "x")))),
		{name: "multipart store files", steps: []step{{postMultipart(multipartBody(boundary,
			mpFile("storef", "awkward.bin", awkward()), mpFile("storeempty", "e.bin", ""), mpField("after", "x")))}},
			check: storedFiles(map[string]*string{"form-storef.bin": ptr(awkward()), "form-storeempty.bin": ptr("")})},
		{name: "multipart store 1 MiB", steps: []step{{postMultipart(multipartBody(boundary, mpFile("storebig", "big.bin", big)))}},
			check: storedFiles(map[string]*string{"form-storebig.bin": &big})},
		{name: "multipart chunked", steps: []step{{chunked("POST", "/forms/all",
			splitChunks(multipartBody(boundary, mpFile("storec", "c.bin", awkward()), mpField("a", pattern(20000)))), "", mpType)}},
			check: storedFiles(map[string]*string{"form-storec.bin": ptr(awkward())})},
		single("multipart skip, next, stop", postMultipart(multipartBody(boundary,
			mpField("skip1", "s"), mpField("next1", pattern(20000)), mpField("stop1", "x"), mpField("b", "2")))),
		single("multipart field_get aborts a long value", postMultipart(multipartBody(boundary,
			mpField("stop1", pattern(20000)), mpField("b", "2")))),
		single("multipart abort", postMultipart(multipartBody(boundary, mpField("a", "1"), mpField("abort1", "x"), mpField("b", "2")))),
		single("multipart storestop", postMultipart(multipartBody(boundary, mpFile("storestopm", "s.bin", "x"), mpField("b", "2")))),
		single("multipart without callbacks", withBody("POST", "/forms/noget", multipartBody(boundary, mpField("a", "1"), mpField("store1", "2")), mpType)),
		{name: "multipart chunked over the body limit", steps: []step{{chunked("POST", "/forms/all",
			splitChunks(multipartBody(boundary, mpFile("storeover", "over.bin", pattern(uploadMaxBody+1)))), "", mpType)}},
			devs: overLimit(`response 1 body: native "found key=\"storeover\" filename=\"over.bin\" pathlen=511 -> 2\nstored path=\"form-storeover.bin\" size=2097153 -> 0\nreturned 1\n", civetbox "Error 413: Request Entity Too Large\nRequest body too large"`,
				`mg_handle_form_request returned 1`, `mg_handle_form_request returned -1`),
			check: storedFilesEach(map[string]*string{"form-storeover.bin": ptr(pattern(uploadMaxBody + 1))},
				map[string]*string{"form-storeover.bin": nil})},
		single("multipart part with 64 head lines", postMultipart(multipartBody(boundary,
			mpPart{head: append([]string{`Content-Disposition: form-data; name="a"`}, numberedHeaders(63)...), content: "x"}))),
		single("multipart part with 65 head lines", postMultipart(multipartBody(boundary,
			mpPart{head: append([]string{`Content-Disposition: form-data; name="a"`}, numberedHeaders(64)...), content: "x"}))),
		single("long names", postMultipart(multipartBody(boundary, mpFile(strings.Repeat("k", 1023), "f", "1"),
			mpFile(strings.Repeat("k", 1024), "f", "2"), mpFile("n", strings.Repeat("f", 1024), "3"), mpField("b", "2")))),
		single("GET long key and many fields", get("/forms/all?"+strings.Repeat("k", 1030)+"=1&"+strings.Repeat("x=1&", 300)+"z=2")),
		single("other content type", withBody("POST", "/forms/all", "a=1", "Content-Type: text/plain")),
		single("multipart/mixed", withBody("POST", "/forms/all", fields, "Content-Type: multipart/mixed; boundary="+boundary)),
	}
}

func formsMalformedCases() []testCase {
	field := multipartBody(boundary, mpField("a", "1"), mpField("b", "2"))
	head := "--" + boundary + "\r\n"
	return []testCase{
		single("malformed: no boundary", withBody("POST", "/forms/all", field, "Content-Type: multipart/form-data; charset=utf-8")),
		single("malformed: no semicolon", withBody("POST", "/forms/all", field, "Content-Type: multipart/form-data")),
		single("malformed: boundary too short", withBody("POST", "/forms/all", multipartBody("abc", mpField("a", "1")), "Content-Type: multipart/form-data; boundary=abc")),
		single("malformed: boundary too long", withBody("POST", "/forms/all", multipartBody(strings.Repeat("b", 71), mpField("a", "1")),
			"Content-Type: multipart/form-data; boundary="+strings.Repeat("b", 71))),
		single("malformed: unterminated quoted boundary", withBody("POST", "/forms/all", field, `Content-Type: multipart/form-data; boundary="`+boundary)),
		single("malformed: other boundary in body", postMultipart(multipartBody("YYYY-other", mpField("a", "1")))),
		single("malformed: boundary with parameter after it", withBody("POST", "/forms/all", field, mpType+"; charset=utf-8")),
		single("malformed: truncated part", postMultipart(head+"Content-Disposition: form-data; name=\"a\"\r\n\r\nvalue without end")),
		// CivetWeb leaves the partial file (its handle, too); civetbox
		// removes it.
		{name: "malformed: truncated long part", steps: []step{{postMultipart(head + "Content-Disposition: form-data; name=\"storet\"\r\n\r\n" + pattern(20000))}},
			check: storedFilesEach(nil, map[string]*string{"form-storet.bin": nil})},
		single("malformed: truncated head", postMultipart(head+"Content-Disposition: form-data; name=\"a\"\r\n")),
		single("malformed: no close delimiter", postMultipart(head+"Content-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n")),
		single("malformed: close delimiter without CRLF", postMultipart(strings.TrimSuffix(field, "\r\n"))),
		single("malformed: epilogue", postMultipart(field+"epilogue\r\n")),
		single("malformed: no Content-Disposition", postMultipart(multipartBody(boundary, mpPart{head: []string{"Content-Type: text/plain"}, content: "x"}))),
		single("malformed: no name", postMultipart(multipartBody(boundary, mpPart{head: []string{"Content-Disposition: form-data; filename=\"f\""}, content: "x"}))),
		single("malformed: unterminated name", postMultipart(multipartBody(boundary, mpPart{head: []string{"Content-Disposition: form-data; name=\"a"}, content: "x"}))),
		single("malformed: unterminated filename", postMultipart(multipartBody(boundary, mpPart{head: []string{"Content-Disposition: form-data; name=\"a\"; filename=\"f"}, content: "x"}))),
		single("malformed: head line without colon", postMultipart(multipartBody(boundary, mpPart{head: []string{"Content-Disposition: form-data; name=\"a\"", "garbage"}, content: "x"}))),
		single("malformed: head line ending in LF", postMultipart(head+"Content-Disposition: form-data; name=\"a\"\n\r\n\r\n1\r\n--"+boundary+"--\r\n")),
		single("malformed: no head", postMultipart(head+"\r\n1\r\n--"+boundary+"--\r\n")),
		single("malformed: empty body", chunked("POST", "/forms/all", nil, "", mpType)),
		single("malformed: garbage", postMultipart("no delimiter at all")),
	}
}

// formsTruncatedCases cut a valid multipart body (a long value, so the
// window slides) at many places, each sent with its Content-Length.
func formsTruncatedCases() []testCase {
	body := multipartBody(boundary, mpField("a", "1"), mpFile("f", "f.bin", pattern(9000)), mpField("b", "two"))
	var cases []testCase
	for _, n := range []int{1, 2, 30, 60, 95, 100, 130, 200, 8000, 8191, 8192, 8300, 9100, 9200, len(body) - 40, len(body) - 8, len(body) - 3, len(body) - 1} {
		cases = append(cases, single(fmt.Sprintf("malformed: cut after %d of %d bytes", n, len(body)), postMultipart(body[:n])))
	}
	return cases
}
