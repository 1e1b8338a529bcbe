package compat

import (
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/runtime"
)

// The files suite serves testdata/compat/docroot. Etag and Last-Modified
// derive from modification times, which a checkout sets to whenever it ran:
// the suite sets them to fixedMtime first, so both servers see the same and
// the cases can send the validators.
var fixedMtime = time.Date(2024, time.March, 1, 12, 0, 0, 0, time.UTC)

// fixedLastModified is fixedMtime as Last-Modified.
const fixedLastModified = "Fri, 01 Mar 2024 12:00:00 GMT"

var fixDocroot = sync.OnceValue(func() error {
	root := docroot()
	err := filepath.WalkDir(root, func(path string, _ os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Chtimes(path, fixedMtime, fixedMtime)
	})
	if err != nil {
		return err
	}
	return os.Chtimes(filepath.Join(root, outsideFile), fixedMtime, fixedMtime)
})

// outsideFile is a file next to the document root, relative to it.
const outsideFile = "../outside.txt"

// docroot is the files suite's document root, absolute as CivetWeb's
// document_root option wants it.
func docroot() string {
	abs, err := filepath.Abs(filepath.Join(dir(), "docroot"))
	if err != nil {
		panic(err)
	}
	return abs
}

// filesNativeOptions: the document root, and no directory listings (which
// civetbox does not generate; CivetWeb then answers 403 as civetbox does).
func filesNativeOptions() []string {
	// An error fails the files suite in configureFiles; suites() is also
	// used by tests that need no files.
	_ = fixDocroot()
	return []string{"document_root", docroot(), "enable_directory_listing", "no"}
}

func configureFiles(t *testing.T, cfg *runtime.Config) {
	require.NoError(t, fixDocroot(), "setting the document root's modification times")
	cfg.DocumentRoot = docroot()
}

// etagOf is CivetWeb's Etag for a docroot file at fixedMtime.
func etagOf(name string) string {
	info, err := os.Stat(filepath.Join(docroot(), name))
	if err != nil {
		panic(err)
	}
	return `"` + strconv.FormatInt(fixedMtime.Unix(), 16) + "." + strconv.FormatInt(info.Size(), 10) + `"`
}

func filesCases() []testCase {
	return slicesConcat(filesPlainCases(), filesConditionalCases(), filesRangeCases(), filesHandlerCases(), filesTraversalCases())
}

func slicesConcat(lists ...[]testCase) []testCase {
	var all []testCase
	for _, l := range lists {
		all = append(all, l...)
	}
	return all
}

func filesPlainCases() []testCase {
	return []testCase{
		single("html", get("/static/index.html")),
		single("text", get("/static/notes.txt")),
		single("css", get("/static/style.css")),
		single("json", get("/static/data.json")),
		single("unknown extension", get("/static/blob.xyz")),
		single("upper-case extension", get("/static/LOUD.HTML")),
		single("subdirectory", get("/static/sub/page.html")),
		single("100 KiB binary", get("/static/big.bin")),
		single("HEAD", req("HEAD", "/static/index.html")),
		single("HTTP/1.0", http10("GET", "/static/notes.txt")),
		single("missing file", get("/static/nope.html")),
		single("missing file, HEAD", req("HEAD", "/static/nope.html"),
			dev{devHeadBody, `trailing bytes: native "Error 404: Not Found\nError: File not found", civetbox ""`}),
		single("directory", get("/static/sub")),
		single("directory with slash", get("/static/sub/")),
		single("the root itself", get("/static/")),
		single("Accept-Encoding: gzip", get("/static/log.txt", "Accept-Encoding: gzip, deflate")),
		{name: "keep-alive sequence", steps: []step{{get("/static/index.html")}, {get("/static/big.bin")}, {get("/static/nope")}, {get("/static/notes.txt")}}},
		{name: "pipelined", steps: []step{{get("/static/index.html"), req("HEAD", "/static/big.bin"), get("/static/style.css")}}},
	}
}

func filesConditionalCases() []testCase {
	etag := etagOf("index.html")
	return []testCase{
		single("If-None-Match, same Etag", get("/static/index.html", "If-None-Match: "+etag)),
		single("If-None-Match, Etag in upper case", get("/static/index.html", "If-None-Match: "+upperASCII(etag))),
		single("If-None-Match, other Etag", get("/static/index.html", `If-None-Match: "1.2"`)),
		single("If-None-Match, list", get("/static/index.html", `If-None-Match: "1.2", `+etag)),
		single("If-None-Match, HEAD request", req("HEAD", "/static/index.html", "If-None-Match: "+etag)),
		single("If-Modified-Since, Last-Modified", get("/static/index.html", "If-Modified-Since: "+fixedLastModified)),
		single("If-Modified-Since, a second earlier", get("/static/index.html", "If-Modified-Since: Fri, 01 Mar 2024 11:59:59 GMT")),
		single("If-Modified-Since, later", get("/static/index.html", "If-Modified-Since: Sat, 01 Jun 2024 00:00:00 GMT")),
		single("If-Modified-Since, day month year", get("/static/index.html", "If-Modified-Since: 01 Mar 2024 12:00:00")),
		single("If-Modified-Since, slashes", get("/static/index.html", "If-Modified-Since: 01/Mar/2024 12:00:00")),
		single("If-Modified-Since, dashes", get("/static/index.html", "If-Modified-Since: 01-Mar-2024 12:00:00")),
		single("If-Modified-Since, RFC 850", get("/static/index.html", "If-Modified-Since: Friday, 01-Mar-24 12:00:00 GMT")),
		single("If-Modified-Since, asctime", get("/static/index.html", "If-Modified-Since: Fri Mar  1 12:00:00 2024")),
		single("If-Modified-Since, garbage", get("/static/index.html", "If-Modified-Since: yesterday")),
		single("If-Modified-Since, day overflow", get("/static/index.html", "If-Modified-Since: Sun, 40 Feb 2024 00:00:00 GMT")),
		single("conditional on a directory", get("/static/sub", "If-Modified-Since: Sat, 01 Jun 2024 00:00:00 GMT")),
		single("conditional with extra headers", get("/extra/notes.txt", "If-None-Match: "+etagOf("notes.txt"))),
		{name: "304 then 200 on one connection", steps: []step{
			{get("/static/index.html", "If-None-Match: "+etag)}, {get("/static/index.html")}}},
	}
}

func filesRangeCases() []testCase {
	rng := func(name, value string, headers ...string) testCase {
		return single(name, get("/static/big.bin", append([]string{"Range: " + value}, headers...)...))
	}
	return []testCase{
		rng("first bytes", "bytes=0-99"),
		rng("middle", "bytes=1000-1999"),
		rng("last byte", "bytes=102399-102399"),
		rng("open-ended", "bytes=100000-"),
		rng("suffix", "bytes=-500"),
		rng("first of two", "bytes=0-9,20-29"),
		rng("spaces", "bytes= 5 - 9"),
		rng("other unit", "items=0-5"),
		rng("upper-case unit", "Bytes=0-5"),
		rng("no numbers", "bytes=-"),
		rng("with If-None-Match", "bytes=0-9", "If-None-Match: "+etagOf("big.bin")),
		single("range, HEAD", req("HEAD", "/static/big.bin", "Range: bytes=0-99")),
		single("small text file", get("/static/notes.txt", "Range: bytes=6-10")),
		// CivetWeb's answers to these are broken; with "Connection:
		// close" the client does not wait for bytes that never come.
		rng("start past the end", "bytes=200000-", connClose).with(
			dev{devRangeArithmetic, `error: native "malformed response: bad Content-Length \"-97600\"", civetbox ""`},
			dev{devRangeArithmetic, "responses: native 0, civetbox 1"}).checking(boxStatus(416, "bytes */102400")),
		rng("start at the end", "bytes=102400-102500", connClose).with(
			dev{devRangeArithmetic, `error: native "response body: unexpected EOF (0 bytes read)", civetbox ""`},
			dev{devRangeArithmetic, "responses: native 0, civetbox 1"}).checking(boxStatus(416, "bytes */102400")),
		rng("end past the end", "bytes=102000-999999", connClose).with(
			dev{devRangeArithmetic, `error: native "response body: unexpected EOF (400 bytes read)", civetbox ""`},
			dev{devRangeArithmetic, "responses: native 0, civetbox 1"}).checking(boxStatus(206, "bytes 102000-102399/102400")),
		rng("last before first", "bytes=100-50", connClose).with(
			dev{devRangeArithmetic, `error: native "malformed response: bad Content-Length \"-49\"", civetbox ""`},
			dev{devRangeArithmetic, "responses: native 0, civetbox 1"}).checking(boxStatus(200, "")),
	}
}

func filesHandlerCases() []testCase {
	return []testCase{
		single("MIME type override", get("/mime/notes.txt")),
		single("MIME type override, missing file", get("/mime/nope.txt")),
		single("additional headers", get("/extra/notes.txt")),
		single("additional headers, range", get("/extra/big.bin", "Range: bytes=0-3")),
		// The handler's raw head has no length: the request asks for
		// the connection to end, as CivetWeb ignores the handler's
		// "Connection: close".
		single("file body in a handler's response", get("/body/notes.txt", connClose)),
		single("file body, missing file", get("/body/nope.txt", connClose)),
		single("file body, directory", get("/body/sub", connClose)),
		single("file body, binary", get("/body/big.bin", connClose)),
		single("printed text before the file", get("/after", connClose)),
	}
}

// Both servers remove dot segments from the request path before a handler
// sees it, so attempts in the URI stay inside /static/ (a target that
// leaves it reaches no handler). A handler that passes on a path from the
// query string is where they differ: CivetWeb opens whatever the handler
// names, civetbox nothing outside the document root.
func filesTraversalCases() []testCase {
	return []testCase{
		single("dot segments in the URI", get("/static/sub/../../static/notes.txt")),
		single("encoded dot segments", get("/static/%2e%2e/%2E%2E/static/notes.txt")),
		single("double-encoded dot segments", get("/static/%252e%252e/files.c")),
		single("encoded slashes", get("/static/sub/..%2f..%2fstatic/notes.txt")),
		single("encoded backslash", get("/static/sub%5cpage.html")),
		single("query: parent", get("/query?path="+outsideFile), servedOnlyNatively(outsideFile)...),
		single("query: parent after a directory", get("/query?path=sub/../"+outsideFile), servedOnlyNatively(outsideFile)...),
		single("query: dot segment inside the root", get("/query?path=sub/../notes.txt"), servedOnlyNatively("notes.txt")...),
		single("query: absolute", get("/query?path=/etc/passwd")),
		single("query: NUL", get("/query?path=notes.txt%00.html")),
		single("query: backslash", get("/query?path=sub%5cpage.html")),
		single("query: trailing dot", get("/query?path=notes.txt.")),
		single("query: empty", get("/query?path=")),
	}
}

// servedOnlyNatively are the differences when CivetWeb serves a text file
// (relative to the document root) that civetbox refuses with its 404.
func servedOnlyNatively(name string) []dev {
	body, err := os.ReadFile(filepath.Join(docroot(), name))
	if err != nil {
		panic(err)
	}
	d := func(diff string) dev { return dev{devOutsideDocRoot, diff} }
	q := strconv.Quote
	return []dev{
		d(`response 1 status line: native "HTTP/1.1 200 OK", civetbox "HTTP/1.1 404 Not Found"`),
		d(`response 1 header Accept-Ranges: native ["bytes"], civetbox []`),
		d(`response 1 header Cache-Control: native ["max-age=3600"], civetbox ["no-cache, no-store, must-revalidate, private, max-age=0"]`),
		d(`response 1 header Content-Type: native ["text/plain"], civetbox ["text/plain; charset=utf-8"]`),
		d(`response 1 header Etag: native [` + q(etagOf(name)) + `], civetbox []`),
		d(`response 1 header Expires: native [], civetbox ["0"]`),
		d(`response 1 header Last-Modified: native ["` + fixedLastModified + `"], civetbox []`),
		d(`response 1 header Pragma: native [], civetbox ["no-cache"]`),
		d(`response 1 body: native ` + q(string(body)) + `, civetbox "Error 404: Not Found\nError: File not found"`),
		d("connection afterwards: native open, civetbox closed"),
	}
}

// with adds declared differences to a case.
func (c testCase) with(devs ...dev) testCase {
	c.devs = append(c.devs, devs...)
	return c
}

// check sets the case's extra assertions.
func (c testCase) checking(check func(t *testing.T, native, box *result)) testCase {
	c.check = check
	return c
}

// boxStatus checks civetbox's status and Content-Range ("" for none).
func boxStatus(status int, contentRange string) func(t *testing.T, native, box *result) {
	return func(t *testing.T, native, box *result) {
		require.Len(t, box.responses, 1)
		require.Equal(t, status, box.responses[0].status)
		got, _ := box.responses[0].rawHeader("Content-Range")
		require.Equal(t, contentRange, got)
	}
}

func upperASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}
