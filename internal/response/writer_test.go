package response

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/http/httputil"
	"net/textproto"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// recorder is an httptest.ResponseRecorder that also keeps interim (1xx)
// responses, which the plain recorder would take as the final status, and
// the header map as it was when the final status was sent.
type recorder struct {
	*httptest.ResponseRecorder
	interim     []sentHead
	final       int         // final status, 0 until sent
	finalHeader http.Header // header map when the final status was sent
}

type sentHead struct {
	Status int
	Header http.Header
}

func newRecorder() *recorder { return &recorder{ResponseRecorder: httptest.NewRecorder()} }

func (r *recorder) WriteHeader(code int) {
	if code >= 100 && code <= 199 && code != http.StatusSwitchingProtocols {
		r.interim = append(r.interim, sentHead{code, r.Header().Clone()})
		return
	}
	if r.final == 0 {
		r.final, r.finalHeader = code, r.Header().Clone()
	}
	r.ResponseRecorder.WriteHeader(code)
}

// outcome is everything observable about one guest response.
type outcome struct {
	status    int
	header    http.Header
	body      string
	interim   []int
	err       error // Writer.Err()
	firstErr  error // first error any call returned
	started   bool
	committed bool
	pending   bool
	dropped   int64
}

func observe(w *Writer, rec *recorder, firstErr error) outcome {
	o := outcome{
		status: rec.final, header: sentHeader(rec.finalHeader), body: rec.Body.String(),
		err: w.Err(), firstErr: firstErr, started: w.Started(), committed: w.Committed(),
		pending: w.Pending() != "", dropped: w.Dropped(),
	}
	for _, h := range rec.interim {
		o.interim = append(o.interim, h.Status)
	}
	return o
}

// sentHeader leaves out entries without values: net/http does not send
// them (an empty Content-Type only stops it from guessing one).
func sentHeader(h http.Header) http.Header {
	if h == nil {
		return nil
	}
	out := http.Header{}
	for k, vs := range h {
		if len(vs) > 0 {
			out[k] = vs
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// writeAll feeds parts to a new Writer, one Write each, and returns the
// outcome and the recorder.
func writeAll(parts ...string) (outcome, *recorder) {
	rec := newRecorder()
	w := New(rec)
	var first error
	for _, p := range parts {
		if err := w.Write([]byte(p)); err != nil && first == nil {
			first = err
		}
	}
	return observe(w, rec, first), rec
}

func bytewise(s string) []string {
	parts := make([]string, len(s))
	for i := range len(s) { // bytes, not runes
		parts[i] = s[i : i+1]
	}
	return parts
}

// errCheck checks an error; a nil errCheck means "no error".
type errCheck func(t *testing.T, err error)

func is(target error) errCheck {
	return func(t *testing.T, err error) { t.Helper(); require.ErrorIs(t, err, target) }
}

// headErr wants a *HeadError about header ("" for the status line).
func headErr(header string) errCheck {
	return func(t *testing.T, err error) {
		t.Helper()
		var he *HeadError
		require.ErrorAs(t, err, &he)
		require.Equal(t, header, he.Header)
	}
}

func checkErr(t *testing.T, check errCheck, err error) {
	t.Helper()
	if check == nil {
		require.NoError(t, err)
		return
	}
	require.Error(t, err)
	check(t, err)
}

func requireHeader(t *testing.T, want, got http.Header) {
	t.Helper()
	if len(want) == 0 {
		require.Empty(t, got)
		return
	}
	require.Equal(t, want, got)
}

// mentions reports whether any header key or value contains s.
func mentions(h http.Header, s string) bool {
	s = strings.ToLower(s)
	for k, vs := range h {
		if strings.Contains(strings.ToLower(k), s) {
			return true
		}
		for _, v := range vs {
			if strings.Contains(strings.ToLower(v), s) {
				return true
			}
		}
	}
	return false
}

const okHead = "HTTP/1.1 200 OK\r\n"
const chunkedHead = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"

type rawCase struct {
	name     string
	writes   []string
	status   int         // final status sent, 0 for none
	header   http.Header // exact final header map
	body     string
	interim  []int
	fail     errCheck // Err(); nil: the response must not fail
	writeErr errCheck // first error returned by Write when the response did not fail
	pending  bool
	dropped  int64
	noLeak   string // must appear in no header map, ever
}

func rawCases() []rawCase {
	longHead := okHead + strings.Repeat("X-Pad: "+strings.Repeat("p", 100)+"\r\n", MaxHeadBytes/108+1) + "\r\n"
	fitHead := okHead + "X-Pad: " + strings.Repeat("p", MaxHeadBytes-len(okHead)-len("X-Pad: \r\n\r\n")) + "\r\n\r\n"
	return []rawCase{
		{
			name:   "head and body in one write",
			writes: []string{"HTTP/1.1 201 Created\r\nContent-Type: text/plain\r\nX-A: 1\r\nX-A: 2\r\nContent-Length: 5\r\n\r\nhello"},
			status: 201, body: "hello",
			header: http.Header{"Content-Type": {"text/plain"}, "X-A": {"1", "2"}, "Content-Length": {"5"}},
		},
		{
			name:   "HTTP/1.0 status line",
			writes: []string{"HTTP/1.0 404 Not Found\r\nX-A: b\r\n\r\nmissing"},
			status: 404, body: "missing", header: http.Header{"X-A": {"b"}},
		},
		{
			name:   "no reason phrase",
			writes: []string{"HTTP/1.1 404\r\n\r\n"},
			status: 404,
		},
		{
			name:   "reason phrase is not forwarded and may hold anything",
			writes: []string{"HTTP/1.1 299 Whatever \x01 you like\r\n\r\n"},
			status: 299,
		},
		{
			name:   "highest status",
			writes: []string{"HTTP/1.1 999 Odd\r\n\r\n"},
			status: 999,
		},
		{
			name:   "LF-only line endings",
			writes: []string{"HTTP/1.1 200 OK\nX-A: 1\nContent-Length: 2\n\nok"},
			status: 200, body: "ok", header: http.Header{"X-A": {"1"}, "Content-Length": {"2"}},
		},
		{
			name:   "mixed CRLF and LF, blank line LF then CRLF",
			writes: []string{"HTTP/1.1 200 OK\nX-A: 1\r\nX-B: 2\n\r\nok"},
			status: 200, body: "ok", header: http.Header{"X-A": {"1"}, "X-B": {"2"}},
		},
		{
			name:   "header values are trimmed, names canonicalized",
			writes: []string{"HTTP/1.1 200 OK\r\nx-lower:   a b \t\r\nX-Empty:\r\nX-Colon: a:b\r\n\r\n"},
			status: 200, header: http.Header{"X-Lower": {"a b"}, "X-Empty": {""}, "X-Colon": {"a:b"}},
		},
		{
			name:   "obs-text in a value is allowed",
			writes: []string{"HTTP/1.1 200 OK\r\nX-Name: caf\xc3\xa9\r\n\r\n"},
			status: 200, header: http.Header{"X-Name": {"caf\xc3\xa9"}},
		},
		{
			name:   "head split across writes",
			writes: []string{"HTTP/1.1 20", "2 Accepted\r", "\nX-A:", " 1\r\n\r", "\nbo", "dy"},
			status: 202, body: "body", header: http.Header{"X-A": {"1"}},
		},
		{
			name:   "HTTP/ prefix split",
			writes: []string{"HT", "TP/1.1 200 OK\r\n\r\nbody"},
			status: 200, body: "body",
		},
		{
			name:   "empty writes are no-ops",
			writes: []string{"", okHead, "", "\r\n", "", "body", ""},
			status: 200, body: "body",
		},
		{
			name:   "only an empty write sends nothing",
			writes: []string{""},
		},
		{
			name:   "head without body",
			writes: []string{"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"},
			status: 200, header: http.Header{"Content-Length": {"0"}},
		},
		{
			name:   "head exactly MaxHeadBytes long",
			writes: []string{fitHead + "body"},
			status: 200, body: "body",
			header: http.Header{"X-Pad": {strings.Repeat("p", MaxHeadBytes-len(okHead)-len("X-Pad: \r\n\r\n"))}},
		},

		// Implicit 200.
		{
			name:   "implicit 200",
			writes: []string{"hello ", "world"},
			status: 200, body: "hello world",
		},
		{
			name:   "implicit 200 that starts like HTTP/",
			writes: []string{"HT", "ML is fun"},
			status: 200, body: "HTML is fun",
		},
		{
			name:   "implicit 200 for HTTPS",
			writes: []string{"HTTPS everywhere"},
			status: 200, body: "HTTPS everywhere",
		},
		{
			name:   "lowercase status line is body",
			writes: []string{"http/1.1 200 OK\r\n\r\n"},
			status: 200, body: "http/1.1 200 OK\r\n\r\n",
		},
		{
			name:    "incomplete prefix is pending",
			writes:  []string{"HTTP"},
			pending: true,
		},
		{
			name:    "incomplete head is pending",
			writes:  []string{"HTTP/1.1 200 OK\r\nX-A: 1\r\n"},
			pending: true,
		},

		// Guest chunked framing.
		{
			name:   "guest chunked framing",
			writes: []string{chunkedHead + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"},
			status: 200, body: "hello world",
		},
		{
			name:   "chunk extensions",
			writes: []string{chunkedHead + "5;name=value\r\nhello\r\n1 ; a=\"b;c\"\r\n!\r\n0;last\r\n\r\n"},
			status: 200, body: "hello!",
		},
		{
			// The trailers go to net/http as trailers (see TestWriterOverHTTP);
			// the declaring Trailer header is hop-by-hop and dropped.
			name:   "trailers after the last chunk",
			writes: []string{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n", "3\r\nabc\r\n0\r\nX-Sum: 900150983cd2\r\nX-Other: 1\r\n\r\n"},
			status: 200, body: "abc",
		},
		{
			name:   "uppercase hex and leading zeros in chunk sizes",
			writes: []string{chunkedHead + "0A\r\n0123456789\r\n00F\r\nabcdefghijklmno\r\n0\r\n\r\n"},
			status: 200, body: "0123456789abcdefghijklmno",
		},
		{
			name:   "chunk size split across writes",
			writes: []string{chunkedHead + "1", "0\r", "\n0123456789abcdef", "\r\n", "0", "\r\n\r\n"},
			status: 200, body: "0123456789abcdef",
		},
		{
			name:   "LF-only chunk framing",
			writes: []string{chunkedHead + "5\nhello\n0\n\n"},
			status: 200, body: "hello",
		},
		{
			name:   "chunked head and first chunk in separate writes",
			writes: []string{chunkedHead, "4\r\nwiki\r\n", "5\r\npedia\r\n", "0\r\n\r\n"},
			status: 200, body: "wikipedia",
		},
		{
			name:   "chunked body not finished is not an error",
			writes: []string{chunkedHead + "4\r\nwiki\r\n"},
			status: 200, body: "wiki",
		},
		{
			name:   "bad chunk size",
			writes: []string{chunkedHead + "zz\r\nhello\r\n0\r\n\r\n"},
			status: 200, fail: is(errBadChunk),
		},
		{
			name:   "empty chunk size line",
			writes: []string{chunkedHead + "\r\nhello\r\n"},
			status: 200, fail: is(errBadChunk),
		},
		{
			name:   "negative chunk size",
			writes: []string{chunkedHead + "-5\r\nhello\r\n"},
			status: 200, fail: is(errBadChunk),
		},
		{
			name:   "0x prefix in chunk size",
			writes: []string{chunkedHead + "0x5\r\nhello\r\n"},
			status: 200, fail: is(errBadChunk),
		},
		{
			name:   "chunk size overflow",
			writes: []string{chunkedHead + "10000000000000000\r\nhello\r\n"},
			status: 200, fail: is(errBadChunk),
		},
		{
			name:   "data longer than its declared size",
			writes: []string{chunkedHead + "3\r\nhello\r\n0\r\n\r\n"},
			status: 200, body: "hel", fail: is(errBadChunk),
		},
		{
			name:   "chunk size line too long",
			writes: []string{chunkedHead + "5;" + strings.Repeat("x", maxChunkLine) + "\r\nhello\r\n0\r\n\r\n"},
			status: 200, fail: is(errBadChunk),
		},
		{
			name:   "chunk size line at the limit",
			writes: []string{chunkedHead + "5;" + strings.Repeat("x", maxChunkLine-3) + "\r\nhello\r\n0\r\n\r\n"},
			status: 200, body: "hello",
		},
		{
			name:   "bytes after the last chunk",
			writes: []string{chunkedHead + "5\r\nhello\r\n0\r\n\r\nEXTRA", "more"},
			status: 200, body: "hello",
			writeErr: is(ErrBodyComplete),
		},
		{
			name:   "write after the last chunk",
			writes: []string{chunkedHead + "5\r\nhello\r\n0\r\n\r\n", "5\r\nagain\r\n0\r\n\r\n"},
			status: 200, body: "hello",
			writeErr: is(ErrBodyComplete),
		},

		// Framing headers.
		{
			name:   "Content-Length then Transfer-Encoding: chunked wins",
			writes: []string{"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"},
			status: 200, body: "ok",
		},
		{
			name:   "Transfer-Encoding: chunked then Content-Length",
			writes: []string{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 100\r\n\r\n2\r\nok\r\n0\r\n\r\n"},
			status: 200, body: "ok",
		},
		{
			name:   "Transfer-Encoding is case-insensitive",
			writes: []string{"HTTP/1.1 200 OK\r\ntransfer-encoding:  Chunked \r\n\r\n2\r\nok\r\n0\r\n\r\n"},
			status: 200, body: "ok",
		},
		{
			name:   "Transfer-Encoding: identity is plain body",
			writes: []string{"HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\n\r\n2\r\nok"},
			status: 200, body: "2\r\nok",
		},
		{
			name:   "two identical Content-Lengths",
			writes: []string{"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 02\r\n\r\nok"},
			status: 200, body: "ok", header: http.Header{"Content-Length": {"2"}},
		},
		{
			name:   "two different Content-Lengths",
			writes: []string{"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok"},
			fail:   headErr("Content-Length"),
		},
		{
			name:   "largest Content-Length",
			writes: []string{"HTTP/1.1 200 OK\r\nContent-Length: 9223372036854775807\r\n\r\n"},
			status: 200, header: http.Header{"Content-Length": {"9223372036854775807"}},
		},
		{name: "Content-Length over 2^63-1", writes: []string{"HTTP/1.1 200 OK\r\nContent-Length: 9223372036854775808\r\n\r\n"}, fail: headErr("Content-Length")},
		{name: "Content-Length not a number", writes: []string{"HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n"}, fail: headErr("Content-Length")},
		{name: "Content-Length negative", writes: []string{"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"}, fail: headErr("Content-Length")},
		{name: "Content-Length with sign", writes: []string{"HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\n"}, fail: headErr("Content-Length")},
		{name: "Content-Length empty", writes: []string{"HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n"}, fail: headErr("Content-Length")},
		{name: "Content-Length list", writes: []string{"HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\n"}, fail: headErr("Content-Length")},
		{name: "Content-Length hex", writes: []string{"HTTP/1.1 200 OK\r\nContent-Length: 0x5\r\n\r\n"}, fail: headErr("Content-Length")},
		{name: "Transfer-Encoding gzip", writes: []string{"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n"}, fail: headErr("Transfer-Encoding")},
		{name: "Transfer-Encoding gzip, chunked", writes: []string{"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"}, fail: headErr("Transfer-Encoding")},

		// Hop-by-hop headers.
		{
			name:   "Connection: close is kept",
			writes: []string{"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n"},
			status: 200, header: http.Header{"Connection": {"close"}},
		},
		{
			name:   "Connection: keep-alive, close keeps only close",
			writes: []string{"HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\n\r\n"},
			status: 200, header: http.Header{"Connection": {"close"}},
		},
		{
			name:   "Connection: keep-alive is dropped",
			writes: []string{"HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5, max=100\r\n\r\n"},
			status: 200,
		},
		{
			name:   "Upgrade is dropped",
			writes: []string{"HTTP/1.1 200 OK\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nX-Kept: 1\r\n\r\n"},
			status: 200, header: http.Header{"X-Kept": {"1"}},
		},
		{
			name:   "other hop-by-hop headers are dropped",
			writes: []string{"HTTP/1.1 200 OK\r\nProxy-Connection: keep-alive\r\nTE: trailers\r\nTrailer: X-Sum\r\n\r\n"},
			status: 200,
		},

		// Injection and malformed lines.
		{
			name:   "CR in a value",
			writes: []string{"HTTP/1.1 200 OK\r\nX-A: a\rSet-Cookie: evil=1\r\n\r\n"},
			fail:   headErr("X-A"), noLeak: "evil",
		},
		{
			name:   "bare CR at the end of the last value",
			writes: []string{"HTTP/1.1 200 OK\r\nX-Evil: a\r\r\n\r\n"},
			fail:   headErr("X-Evil"), noLeak: "evil",
		},
		{
			name:   "bare CR at the end of a middle value",
			writes: []string{"HTTP/1.1 200 OK\r\nX-Evil: a\r\r\nX-B: b\r\n\r\n"},
			fail:   headErr("X-Evil"), noLeak: "evil",
		},
		{
			name:   "NUL in a value",
			writes: []string{"HTTP/1.1 200 OK\r\nX-Evil: a\x00b\r\n\r\n"},
			fail:   headErr("X-Evil"), noLeak: "evil",
		},
		{
			name:   "control byte in a value",
			writes: []string{"HTTP/1.1 200 OK\r\nX-Evil: a\x1bb\r\n\r\n"},
			fail:   headErr("X-Evil"), noLeak: "evil",
		},
		{
			name:   "DEL in a value",
			writes: []string{"HTTP/1.1 200 OK\r\nX-Evil: a\x7fb\r\n\r\n"},
			fail:   headErr("X-Evil"), noLeak: "evil",
		},
		{
			name:   "CR in a name",
			writes: []string{"HTTP/1.1 200 OK\r\nX-Evil\rSet-Cookie: x\r\n\r\n"},
			fail:   headErr("X-Evil\rSet-Cookie"), noLeak: "evil",
		},
		{
			name:   "NUL in a name",
			writes: []string{"HTTP/1.1 200 OK\r\nX-Evil\x00: x\r\n\r\n"},
			fail:   headErr("X-Evil\x00"), noLeak: "evil",
		},
		{
			name:   "space in a name",
			writes: []string{"HTTP/1.1 200 OK\r\nX Evil: x\r\n\r\n"},
			fail:   headErr("X Evil"), noLeak: "evil",
		},
		{
			name:   "space before the colon",
			writes: []string{"HTTP/1.1 200 OK\r\nX-Evil : x\r\n\r\n"},
			fail:   headErr("X-Evil "), noLeak: "evil",
		},
		{
			name:   "obs-fold line",
			writes: []string{"HTTP/1.1 200 OK\r\nX-A: a\r\n folded: evil\r\n\r\n"},
			fail:   headErr(" folded: evil"), noLeak: "evil",
		},
		{
			name:   "obs-fold line with a tab",
			writes: []string{"HTTP/1.1 200 OK\r\nX-A: a\r\n\tevil\r\n\r\n"},
			fail:   headErr("\tevil"), noLeak: "evil",
		},
		{
			name:   "line without a colon",
			writes: []string{"HTTP/1.1 200 OK\r\nevil\r\n\r\n"},
			fail:   headErr("evil"), noLeak: "evil",
		},
		{
			name:   "empty name",
			writes: []string{"HTTP/1.1 200 OK\r\n: evil\r\n\r\n"},
			fail:   headErr(": evil"), noLeak: "evil",
		},
		{
			name:   "head longer than MaxHeadBytes in one write",
			writes: []string{longHead + "body"},
			fail:   headErr(""),
		},
		{
			name:   "unfinished head longer than MaxHeadBytes",
			writes: []string{okHead + strings.Repeat("X-Pad: p\r\n", MaxHeadBytes/10+1)},
			fail:   headErr(""),
		},

		// Status line variants.
		{name: "HTTP/2 status line", writes: []string{"HTTP/2 200\r\n\r\n"}, fail: headErr("")},
		{name: "HTTP/1.2 status line", writes: []string{"HTTP/1.2 200 OK\r\n\r\n"}, fail: headErr("")},
		{name: "status 99", writes: []string{"HTTP/1.1 99 Low\r\n\r\n"}, fail: headErr("")},
		{name: "status 099", writes: []string{"HTTP/1.1 099 Low\r\n\r\n"}, fail: headErr("")},
		{name: "status 1000", writes: []string{"HTTP/1.1 1000 High\r\n\r\n"}, fail: headErr("")},
		{name: "status 20x", writes: []string{"HTTP/1.1 20x OK\r\n\r\n"}, fail: headErr("")},
		{name: "status +99", writes: []string{"HTTP/1.1 +99 OK\r\n\r\n"}, fail: headErr("")},
		{name: "status missing", writes: []string{"HTTP/1.1\r\n\r\n"}, fail: headErr("")},
		{name: "status empty", writes: []string{"HTTP/1.1 \r\n\r\n"}, fail: headErr("")},
		{name: "two spaces before status", writes: []string{"HTTP/1.1  200 OK\r\n\r\n"}, fail: headErr("")},
		{name: "tab after status", writes: []string{"HTTP/1.1 200\tOK\r\n\r\n"}, fail: headErr("")},
		{name: "only HTTP/", writes: []string{"HTTP/\r\n\r\n"}, fail: headErr("")},

		// Interim and bodiless statuses.
		{
			name:    "100 Continue then the real head",
			writes:  []string{"HTTP/1.1 100 Continue\r\nX-Interim: 1\r\n\r\nHTTP/1.1 201 Created\r\nX-A: 1\r\n\r\ndone"},
			interim: []int{100}, status: 201, body: "done", header: http.Header{"X-A": {"1"}},
		},
		{
			name:    "103 Early Hints in its own write",
			writes:  []string{"HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n", "HTTP/1.1 200 OK\r\n\r\nok"},
			interim: []int{103}, status: 200, body: "ok",
		},
		{
			name:    "two interim responses",
			writes:  []string{"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"},
			interim: []int{100, 102}, status: 204,
		},
		{
			name:    "interim response, then implicit 200",
			writes:  []string{"HTTP/1.1 100 Continue\r\n\r\n", "plain"},
			interim: []int{100}, status: 200, body: "plain",
		},
		{
			name:    "interim response framing does not carry over",
			writes:  []string{"HTTP/1.1 100 Continue\r\nTransfer-Encoding: chunked\r\nContent-Length: 9\r\n\r\nHTTP/1.1 200 OK\r\n\r\n2\r\nok"},
			interim: []int{100}, status: 200, body: "2\r\nok",
		},
		{
			name:    "interim response without a final head is pending",
			writes:  []string{"HTTP/1.1 100 Continue\r\n\r\n"},
			interim: []int{100}, pending: true,
		},
		{
			name:   "101 is refused",
			writes: []string{"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"},
			fail:   headErr(""),
		},
		{
			name:   "204 with a body",
			writes: []string{"HTTP/1.1 204 No Content\r\n\r\n", "dropped"},
			status: 204, body: "dropped", dropped: 7, // the recorder records refused writes
		},
		{
			name:   "304 with a chunked body",
			writes: []string{"HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"},
			status: 304, body: "abc", dropped: 3,
		},
	}
}

func TestWriterRaw(t *testing.T) {
	for _, tc := range rawCases() {
		whole := strings.Join(tc.writes, "")
		splits := map[string][]string{
			"as written":   tc.writes,
			"one write":    {whole},
			"byte by byte": bytewise(whole),
		}
		for mode, parts := range splits {
			t.Run(tc.name+"/"+mode, func(t *testing.T) {
				got, rec := writeAll(parts...)
				require.Equal(t, tc.status, got.status, "final status")
				require.Equal(t, tc.interim, got.interim, "interim statuses")
				require.Equal(t, tc.body, got.body, "body")
				require.Equal(t, tc.dropped, got.dropped, "dropped")
				require.Equal(t, tc.pending, got.pending, "pending")
				require.Equal(t, tc.status != 0, got.committed, "committed")
				require.Equal(t, whole != "", got.started, "started")
				checkErr(t, tc.fail, got.err)
				switch {
				case tc.fail != nil:
					require.Equal(t, got.err, got.firstErr, "Write returns the failure")
				default:
					checkErr(t, tc.writeErr, got.firstErr)
				}
				if tc.status != 0 {
					requireHeader(t, tc.header, got.header)
				}
				if tc.noLeak != "" {
					require.False(t, mentions(rec.Header(), tc.noLeak), "live header map %v", rec.Header())
					require.False(t, mentions(got.header, tc.noLeak), "sent header map %v", got.header)
					for _, h := range rec.interim {
						require.False(t, mentions(h.Header, tc.noLeak))
					}
				}
			})
		}
	}
}

// TestWriterEverySplit feeds valid responses split at every pair of points:
// the outcome must not depend on how the guest cut its writes.
func TestWriterEverySplit(t *testing.T) {
	streams := map[string]string{
		"plain":   "HTTP/1.1 200 OK\r\nX-A: 1\r\nContent-Length: 4\r\n\r\nbody",
		"lf":      "HTTP/1.1 200 OK\nX-A: 1\n\nbody",
		"chunked": "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n4;e=1\r\nbo\r\n\r\n2\r\ndy\r\n0\r\nT: x\r\n\r\n",
		"interim": "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nX-A: 1\r\n\r\nbody",
	}
	for name, s := range streams {
		t.Run(name, func(t *testing.T) {
			want, _ := writeAll(s)
			require.NoError(t, want.err)
			require.Equal(t, 200, want.status)
			require.Equal(t, http.Header{"X-A": {"1"}}, http.Header{"X-A": want.header["X-A"]})
			require.Contains(t, []string{"body", "bo\r\ndy"}, want.body)
			for i := 0; i <= len(s); i++ {
				for j := i; j <= len(s); j++ {
					got, _ := writeAll(s[:i], s[i:j], s[j:])
					require.Equal(t, want, got, "split at %d and %d", i, j)
				}
			}
		})
	}
}

type op func(w *Writer) error

func start(status int) op       { return func(w *Writer) error { return w.StartResponse(status) } }
func add(name, value string) op { return func(w *Writer) error { return w.AddHeader(name, value) } }
func send() op                  { return func(w *Writer) error { return w.SendHeaders() } }
func write(s string) op         { return func(w *Writer) error { return w.Write([]byte(s)) } }
func addMany(n int) (ops []op) {
	for i := range n {
		ops = append(ops, add("X-H"+strconv.Itoa(i), "v"))
	}
	return ops
}

type step struct {
	op  op
	err errCheck
}

type structuredCase struct {
	name      string
	steps     []step
	status    int
	header    http.Header
	body      string
	interim   []int
	fail      errCheck
	started   bool
	pending   bool
	dropped   int64
	noLeak    string
	numHeader int // when > 0, the number of header keys sent
}

func ok(ops ...op) []step {
	steps := make([]step, len(ops))
	for i, o := range ops {
		steps[i] = step{op: o}
	}
	return steps
}

func cat(steps ...[]step) []step {
	var all []step
	for _, s := range steps {
		all = append(all, s...)
	}
	return all
}

func TestWriterStructured(t *testing.T) {
	cases := []structuredCase{
		{
			name:   "start, add, send, write",
			steps:  ok(start(201), add("Content-Type", "text/plain"), add("x-a", "1"), add("X-A", "2"), send(), write("body")),
			status: 201, body: "body", started: true,
			header: http.Header{"Content-Type": {"text/plain"}, "X-A": {"1", "2"}},
		},
		{
			name:   "framing headers are reconciled",
			steps:  ok(start(200), add("Content-Length", "9"), add("Transfer-Encoding", "chunked"), add("Connection", "close"), add("Keep-Alive", "timeout=5"), send(), write("2\r\nok\r\n0\r\n\r\n")),
			status: 200, body: "ok", started: true, header: http.Header{"Connection": {"close"}},
		},
		{
			name:   "Content-Length",
			steps:  ok(start(200), add("Content-Length", "2"), send(), write("ok")),
			status: 200, body: "ok", started: true, header: http.Header{"Content-Length": {"2"}},
		},
		{
			name: "a second different Content-Length is refused, the first stays",
			steps: cat(ok(start(200), add("Content-Length", "2")),
				[]step{{add("Content-Length", "3"), headErr("Content-Length")}},
				ok(send(), write("ok"))),
			status: 200, body: "ok", started: true, header: http.Header{"Content-Length": {"2"}},
		},
		{
			name:    "add before start",
			steps:   []step{{add("X-A", "1"), is(ErrState)}},
			started: false,
		},
		{
			name:  "send before start",
			steps: []step{{send(), is(ErrState)}},
		},
		{
			name:    "start twice",
			steps:   []step{{start(200), nil}, {start(201), is(ErrState)}},
			started: true, pending: true,
		},
		{
			name:   "start after a raw head",
			steps:  []step{{write("HTTP/1.1 200 OK\r\n\r\n"), nil}, {start(201), is(ErrState)}, {add("X", "y"), is(ErrState)}, {send(), is(ErrState)}},
			status: 200, started: true,
		},
		{
			name:    "start after part of a raw head",
			steps:   []step{{write("HTTP/1.1 2"), nil}, {start(201), is(ErrState)}},
			started: true, pending: true,
		},
		{
			name:   "start after an implicit body",
			steps:  []step{{write("text"), nil}, {start(201), is(ErrState)}},
			status: 200, body: "text", started: true,
		},
		{
			name:  "status 99 is refused without failing",
			steps: []step{{start(99), headErr("")}},
		},
		{
			name:  "status 1000 is refused without failing",
			steps: []step{{start(1000), headErr("")}, {start(0), headErr("")}, {start(-1), headErr("")}},
		},
		{
			name:   "a refused status can be retried",
			steps:  []step{{start(1000), headErr("")}, {start(200), nil}, {send(), nil}},
			status: 200, started: true,
		},
		{
			name:    "write between start and send fails the response",
			steps:   []step{{start(200), nil}, {add("X-A", "1"), nil}, {write("body"), is(ErrState)}, {send(), is(ErrState)}, {write("more"), is(ErrState)}},
			fail:    is(ErrState),
			started: true,
		},
		{
			name:   "64 headers",
			steps:  ok(append(append([]op{start(200)}, addMany(MaxHeaders)...), send())...),
			status: 200, started: true, numHeader: MaxHeaders,
		},
		{
			name: "the 65th header is refused without failing",
			steps: cat(ok(append([]op{start(200)}, addMany(MaxHeaders)...)...),
				[]step{{add("X-Too-Many", "v"), is(ErrTooManyHeaders)}, {add("X-Still-Too-Many", "v"), is(ErrTooManyHeaders)}},
				ok(send())),
			status: 200, started: true, numHeader: MaxHeaders, noLeak: "too-many",
		},
		{
			name: "refused headers count against the limit only when accepted",
			steps: cat(ok(start(200)),
				[]step{{add("Bad Name", "v"), headErr("Bad Name")}},
				ok(addMany(MaxHeaders)...),
				[]step{{add("X-Too-Many", "v"), is(ErrTooManyHeaders)}},
				ok(send())),
			status: 200, started: true, numHeader: MaxHeaders,
		},
		{
			name: "injection in a value is refused",
			steps: cat(ok(start(200)),
				[]step{
					{add("X-A", "a\r\nSet-Cookie: evil=1"), headErr("X-A")},
					{add("X-A", "a\nevil: 1"), headErr("X-A")},
					{add("X-A", "a\revil"), headErr("X-A")},
					{add("X-A", "a\x00evil"), headErr("X-A")},
				},
				ok(send(), write("body"))),
			status: 200, body: "body", started: true, noLeak: "evil",
		},
		{
			name: "injection in a name is refused",
			steps: cat(ok(start(200)),
				[]step{
					{add("X-A\r\nSet-Cookie: evil", "1"), headErr("X-A\r\nSet-Cookie: evil")},
					{add("evil\n", "1"), headErr("evil\n")},
					{add("evil\x00", "1"), headErr("evil\x00")},
					{add("evil:", "1"), headErr("evil:")},
					{add("", "evil"), headErr("")},
				},
				ok(send())),
			status: 200, started: true, noLeak: "evil",
		},
		{
			name:   "unsupported Transfer-Encoding is refused without failing",
			steps:  cat(ok(start(200)), []step{{add("Transfer-Encoding", "gzip"), headErr("Transfer-Encoding")}}, ok(send(), write("raw"))),
			status: 200, body: "raw", started: true,
		},
		{
			name:   "add after send",
			steps:  cat(ok(start(200), send()), []step{{add("X-Late", "1"), is(ErrState)}, {send(), is(ErrState)}}),
			status: 200, started: true, noLeak: "late",
		},
		{
			name:    "101 fails the response",
			steps:   []step{{start(101), nil}, {add("Upgrade", "websocket"), nil}, {send(), headErr("")}, {write("x"), headErr("")}},
			fail:    headErr(""),
			started: true,
		},
		{
			name:    "interim response then final head",
			steps:   ok(start(103), add("Link", "</a.css>; rel=preload"), send(), start(200), add("X-A", "1"), send(), write("ok")),
			interim: []int{103}, status: 200, body: "ok", started: true, header: http.Header{"X-A": {"1"}},
		},
		{
			name:    "the header limit restarts after an interim response",
			steps:   ok(append(append(append([]op{start(100)}, addMany(MaxHeaders)...), send(), start(200)), append(addMany(MaxHeaders), send())...)...),
			interim: []int{100}, status: 200, started: true, numHeader: MaxHeaders,
		},
		{
			name:    "interim response then raw head",
			steps:   ok(start(100), send(), write("HTTP/1.1 202 Accepted\r\n\r\nok")),
			interim: []int{100}, status: 202, body: "ok", started: true,
		},
		{
			name:   "204 with a body",
			steps:  ok(start(204), send(), write("abc"), write("de")),
			status: 204, body: "abcde", dropped: 5, started: true,
		},
		{
			name:    "a failed response refuses everything",
			steps:   []step{{write("HTTP/9 200\r\n\r\n"), headErr("")}, {start(200), is(ErrState)}, {add("X", "1"), is(ErrState)}, {send(), is(ErrState)}, {write("x"), headErr("")}},
			fail:    headErr(""),
			started: true,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := newRecorder()
			w := New(rec)
			for i, s := range tc.steps {
				err := s.op(w)
				if s.err == nil {
					require.NoError(t, err, "step %d", i)
				} else {
					require.Error(t, err, "step %d", i)
					s.err(t, err)
				}
			}
			got := observe(w, rec, nil)
			require.Equal(t, tc.status, got.status, "final status")
			require.Equal(t, tc.interim, got.interim, "interim")
			require.Equal(t, tc.body, got.body, "body")
			require.Equal(t, tc.dropped, got.dropped, "dropped")
			require.Equal(t, tc.pending, got.pending, "pending")
			require.Equal(t, tc.started, got.started, "started")
			require.Equal(t, tc.status != 0, got.committed, "committed")
			checkErr(t, tc.fail, got.err)
			switch {
			case tc.numHeader > 0:
				require.Len(t, got.header, tc.numHeader)
			case tc.status != 0:
				requireHeader(t, tc.header, got.header)
			}
			if tc.noLeak != "" {
				require.False(t, mentions(rec.Header(), tc.noLeak), "%v", rec.Header())
			}
		})
	}
}

func TestWriterPending(t *testing.T) {
	const chunkedHead = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	const rawMsg = "the guest wrote an incomplete response head"
	const structMsg = "mg_response_header_start was not followed by mg_response_header_send"
	cases := []struct {
		name string
		ops  []op
		want string
	}{
		{"nothing", nil, ""},
		{"empty write", []op{write("")}, ""},
		{"part of the HTTP/ prefix", []op{write("HTT")}, rawMsg},
		{"status line only", []op{write("HTTP/1.1 200 OK\r\n")}, rawMsg},
		{"head without blank line", []op{write("HTTP/1.1 200 OK\r\nX: y\r\n")}, rawMsg},
		{"complete head", []op{write("HTTP/1.1 200 OK\r\n\r\n")}, ""},
		{"implicit body", []op{write("hi")}, ""},
		{"raw interim only", []op{write("HTTP/1.1 100 Continue\r\n\r\n")}, rawMsg},
		{"structured start", []op{start(200)}, structMsg},
		{"structured start and add", []op{start(200), add("X", "y")}, structMsg},
		{"structured sent", []op{start(200), send()}, ""},
		{"failed", []op{write("HTTP/1.1 20x\r\n\r\n")}, ""},
		{"inside a chunk", []op{write(chunkedHead + "a\r\nonly5")}, "the guest's chunked body stopped inside a chunk"},
		{"between chunks", []op{write(chunkedHead + "5\r\nHello\r\n")}, ""},
		{"chunk without its CRLF", []op{write(chunkedHead + "5\r\nHello")}, ""},
		{"partial size line", []op{write(chunkedHead + "5\r\nHello\r\n1")}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := New(newRecorder())
			for _, o := range tc.ops {
				_ = o(w)
			}
			require.Equal(t, tc.want, w.Pending())
		})
	}
}

func TestWriterStates(t *testing.T) {
	cases := []struct {
		name                       string
		ops                        []op
		started, committed, failed bool
	}{
		{"new", nil, false, false, false},
		{"empty write", []op{write("")}, false, false, false},
		{"prefix", []op{write("HT")}, true, false, false},
		{"head", []op{write("HTTP/1.1 200 OK\r\n\r\n")}, true, true, false},
		{"implicit", []op{write("x")}, true, true, false},
		{"structured started", []op{start(200)}, true, false, false},
		{"structured sent", []op{start(200), send()}, true, true, false},
		{"structured interim sent", []op{start(100), send(), start(200)}, true, false, false},
		{"failed before commit", []op{write("HTTP/1.1 200 OK\r\nBad\x00: x\r\n\r\n")}, true, false, true},
		{"failed after commit", []op{write(chunkedHead + "zz\r\n")}, true, true, true},
		{"body complete is not a failure", []op{write(chunkedHead + "0\r\n\r\n"), write("x")}, true, true, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := New(newRecorder())
			for _, o := range tc.ops {
				_ = o(w)
			}
			require.Equal(t, tc.started, w.Started(), "Started")
			require.Equal(t, tc.committed, w.Committed(), "Committed")
			require.Equal(t, tc.failed, w.Err() != nil, "Err: %v", w.Err())
		})
	}
}

// TestWriterFailureIsSticky checks that every call after a failure returns
// the same error and sends nothing more.
func TestWriterFailureIsSticky(t *testing.T) {
	rec := newRecorder()
	w := New(rec)
	err := w.Write([]byte(chunkedHead + "2\r\nok\r\nzz\r\n"))
	require.ErrorIs(t, err, errBadChunk)
	require.Same(t, w.Err(), err)
	require.Same(t, err, w.Write([]byte("2\r\nno\r\n")))
	require.Equal(t, "ok", rec.Body.String())
}

func TestHeadErrorText(t *testing.T) {
	require.Equal(t, "response: status line: bad", (&HeadError{Reason: "bad"}).Error())
	require.Equal(t, `response: header "X-A": bad`, (&HeadError{Header: "X-A", Reason: "bad"}).Error())
	long := strings.Repeat("n", 100)
	require.Equal(t, `response: header "`+strings.Repeat("n", 64)+`...": bad`, (&HeadError{Header: long, Reason: "bad"}).Error())
	require.Equal(t, `response: header "a\r\nb": bad`, (&HeadError{Header: "a\r\nb", Reason: "bad"}).Error())

	w := New(newRecorder())
	err := w.Write([]byte("HTTP/1.1 200 OK\r\nTransfer-Encoding: " + strings.Repeat("z", 100) + "\r\n\r\n"))
	require.EqualError(t, err, `response: header "Transfer-Encoding": "`+strings.Repeat("z", 64)+`..." is not supported (only chunked)`)
}

// serverResult is what a guest handler running in a real server left.
type serverResult struct {
	firstErr error
	err      error
	dropped  int64
}

// serveGuest runs guest in a real HTTP/1.1 server and returns its result
// once the handler has returned.
func serveGuest(t *testing.T, guest func(w *Writer) error) (*httptest.Server, <-chan serverResult) {
	t.Helper()
	results := make(chan serverResult, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, _ *http.Request) {
		w := New(rw)
		first := guest(w)
		results <- serverResult{first, w.Err(), w.Dropped()}
	}))
	t.Cleanup(srv.Close)
	return srv, results
}

func writes(parts ...string) func(w *Writer) error {
	return func(w *Writer) error {
		var first error
		for _, p := range parts {
			if err := w.Write([]byte(p)); err != nil && first == nil {
				first = err
			}
		}
		return first
	}
}

func TestWriterOverHTTP(t *testing.T) {
	cases := []struct {
		name       string
		guest      func(w *Writer) error
		status     int
		header     map[string]string // headers the client must see
		absent     []string          // headers the client must not see
		trailer    map[string]string // trailers the client must see
		body       string
		chunked    bool // the client must see chunked framing
		close      bool
		interim    []int
		dropped    int64
		fail       errCheck
		interimHdr string // a header every interim response carries
	}{
		{
			name:   "raw head with Content-Length",
			guest:  writes("HTTP/1.1 201 Created\r\nContent-Type: text/plain\r\nX-A: 1\r\nContent-Length: 5\r\n\r\n", "hello"),
			status: 201, body: "hello", header: map[string]string{"Content-Type": "text/plain", "X-A": "1", "Content-Length": "5"},
		},
		{
			name:   "implicit 200",
			guest:  writes("hello", " world"),
			status: 200, body: "hello world", absent: []string{"Content-Type"}, // no guess, as CivetWeb
		},
		{
			name:   "guest chunked framing is re-framed once",
			guest:  writes(chunkedHead, "5\r\nhello\r\n", "6;x=y\r\n world\r\n", "0\r\nX-T: 1\r\nContent-Length: 9\r\nBad Name: x\r\n\r\n"),
			status: 200, body: "hello world", chunked: true, trailer: map[string]string{"X-T": "1"},
			absent: []string{"Content-Length", "Bad Name"},
		},
		{
			name:   "Connection: close",
			guest:  writes("HTTP/1.1 200 OK\r\nConnection: close\r\nKeep-Alive: timeout=5\r\nUpgrade: h2c\r\nContent-Length: 2\r\n\r\nok"),
			status: 200, body: "ok", close: true, absent: []string{"Keep-Alive", "Upgrade"},
		},
		{
			name:   "103 Early Hints then the final head",
			guest:  writes("HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"),
			status: 200, body: "ok", interim: []int{103}, absent: []string{"Link"}, interimHdr: "Link",
		},
		{
			name:   "204 with a body",
			guest:  writes("HTTP/1.1 204 No Content\r\n\r\n", "dropped"),
			status: 204, dropped: 7,
		},
		{
			name: "structured head",
			guest: func(w *Writer) error {
				return errors.Join(w.StartResponse(202), w.AddHeader("X-A", "1"), w.AddHeader("Transfer-Encoding", "chunked"),
					w.SendHeaders(), w.Write([]byte("2\r\nok\r\n0\r\n\r\n")))
			},
			status: 202, body: "ok", chunked: true, header: map[string]string{"X-A": "1"},
		},
		{
			name:   "body longer than Content-Length is cut at its length",
			guest:  writes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n", "o", "kmore", "more"),
			status: 200, body: "ok", dropped: 8,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, results := serveGuest(t, tc.guest)
			var (
				interim    []int
				interimHdr []textproto.MIMEHeader
			)
			// Called on the transport's goroutine, before Do returns.
			trace := &httptrace.ClientTrace{Got1xxResponse: func(code int, h textproto.MIMEHeader) error {
				interim, interimHdr = append(interim, code), append(interimHdr, h)
				return nil
			}}
			req, err := http.NewRequestWithContext(httptrace.WithClientTrace(t.Context(), trace), http.MethodGet, srv.URL, nil)
			require.NoError(t, err)
			resp, err := srv.Client().Do(req)
			require.NoError(t, err)
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())
			res := <-results

			require.Equal(t, tc.status, resp.StatusCode)
			require.Equal(t, tc.body, string(body))
			require.Equal(t, tc.interim, interim)
			for _, h := range interimHdr {
				require.NotEmpty(t, h.Get(tc.interimHdr), "interim header %s", tc.interimHdr)
			}
			require.Equal(t, tc.close, resp.Close, "Connection: close")
			require.Equal(t, tc.dropped, res.dropped)
			for k, v := range tc.header {
				require.Equal(t, v, resp.Header.Get(k), k)
			}
			for _, k := range tc.absent {
				require.Empty(t, resp.Header.Values(k), k)
				require.Empty(t, resp.Trailer.Values(k), k)
			}
			for k, v := range tc.trailer {
				require.Equal(t, v, resp.Trailer.Get(k), "trailer %s", k)
			}
			if tc.chunked {
				require.Equal(t, []string{"chunked"}, resp.TransferEncoding)
				require.Equal(t, int64(-1), resp.ContentLength)
			}
			checkErr(t, tc.fail, res.err)
		})
	}
}

// TestWriterChunkedOnTheWire reads the raw bytes a real server sends for a
// guest-framed body: net/http's framing must carry the decoded data, not the
// guest's framing a second time.
func TestWriterChunkedOnTheWire(t *testing.T) {
	srv, results := serveGuest(t, writes(chunkedHead, "5\r\nhello\r\n", "6\r\n world\r\n", "0\r\n\r\n"))
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	_, err = io.WriteString(conn, "GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
	require.NoError(t, err)
	raw, err := io.ReadAll(conn)
	require.NoError(t, err)
	require.NoError(t, (<-results).err)

	head, body, found := bytes.Cut(raw, []byte("\r\n\r\n"))
	require.True(t, found, "%q", raw)
	require.Contains(t, string(head), "\r\nTransfer-Encoding: chunked")
	require.NotContains(t, string(head), "Content-Length")
	decoded, err := io.ReadAll(httputil.NewChunkedReader(bytes.NewReader(body)))
	require.NoError(t, err)
	require.Equal(t, "hello world", string(decoded))

	// And http.ReadResponse agrees.
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(raw)), nil)
	require.NoError(t, err)
	all, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, "hello world", string(all))
}

// TestWriterFlushesCompletedChunks checks that a completed guest chunk is
// flushed, so streamed output reaches the client.
func TestWriterFlushesCompletedChunks(t *testing.T) {
	rec := newRecorder()
	w := New(rec)
	require.NoError(t, w.Write([]byte(chunkedHead+"5\r\nhel")))
	require.False(t, rec.Flushed, "half a chunk is not flushed")
	require.NoError(t, w.Write([]byte("lo\r\n")))
	require.True(t, rec.Flushed)
}

// BenchmarkWriteHeadByteByByte writes a maximal head one byte per call, as a
// guest can: the cost must stay linear in the head size.
func BenchmarkWriteHeadByteByByte(b *testing.B) {
	head := []byte(okHead)
	for len(head) < MaxHeadBytes-10 {
		head = append(head, "a:b\n"...)
	}
	head = append(head, "\r\n"...)
	for b.Loop() {
		w := New(httptest.NewRecorder())
		for i := range head {
			if err := w.Write(head[i : i+1]); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// TestHeadEndResumes checks that resuming the blank-line scan where the last
// one stopped finds the same end as a scan from the start.
func TestHeadEndResumes(t *testing.T) {
	heads := []string{
		"HTTP/1.1 200 OK\r\n\r\n",
		"HTTP/1.1 200 OK\nA: b\n\nbody\n\n",
		"HTTP/1.1 200 OK\r\nA: b\r\nC: d\r\n\r\nbody",
		"HTTP/1.1 200 OK\r\nA: b\r\n",
		"HTTP/1.1 200 OK\r\nA: \rb\r\n\r",
	}
	for _, h := range heads {
		want, _ := headEnd([]byte(h), 0)
		from := 0
		for i := 0; i <= len(h); i++ {
			var got int
			got, from = headEnd([]byte(h[:i]), from)
			require.LessOrEqual(t, from, i)
			if got >= 0 {
				require.Equal(t, want, got, "%q at %d", h, i)
				break
			}
			require.False(t, want >= 0 && want <= i, "%q: end %d missed at %d", h, want, i)
		}
	}
}

// Example-style sanity check of the test helpers themselves: a recorder must
// keep interim responses apart from the final one.
func TestRecorderHelper(t *testing.T) {
	rec := newRecorder()
	rec.Header().Set("Link", "x")
	rec.WriteHeader(103)
	rec.Header().Del("Link")
	rec.WriteHeader(200)
	_, _ = fmt.Fprint(rec, "ok")
	require.Equal(t, []sentHead{{103, http.Header{"Link": {"x"}}}}, rec.interim)
	require.Equal(t, 200, rec.final)
	require.Equal(t, 200, rec.Code)
	require.Empty(t, rec.finalHeader)
}

func TestCanonicalKeyMatchesNetHTTP(t *testing.T) {
	for _, name := range []string{"Content-Length", "content-length", "CONTENT-TYPE", "X-Abc", "X-ABC", "x-a-b",
		"A--B", "-Foo", "-foo", "Foo_bar", "WWW-Authenticate", "Www-Authenticate", "X-1a", "X-1A", "Te", "TE", "a", "A"} {
		require.Equal(t, http.CanonicalHeaderKey(name), canonicalKey(name), name)
	}
}

// Over HTTP/2 a Connection header would shut the whole connection down in
// Go's server, so it is dropped, raw or structured; over HTTP/1.1 it stays.
func TestOverHTTP2DropsConnection(t *testing.T) {
	for _, http2 := range []bool{false, true} {
		raw, rec := New(nil), newRecorder()
		raw.Reset(rec)
		if http2 {
			raw.OverHTTP2()
		}
		require.NoError(t, raw.Write([]byte("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok")))
		structured, rec2 := New(nil), newRecorder()
		structured.Reset(rec2)
		if http2 {
			structured.OverHTTP2()
		}
		require.NoError(t, structured.StartResponse(404))
		require.NoError(t, structured.AddHeader("Connection", "close"))
		require.NoError(t, structured.SendHeaders())
		for _, h := range []http.Header{rec.finalHeader, rec2.finalHeader} {
			if http2 {
				require.NotContains(t, h, "Connection")
			} else {
				require.Equal(t, "close", h.Get("Connection"))
			}
		}
	}
}
