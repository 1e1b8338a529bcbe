package response

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/http/httpguts"
)

// pieces cuts data as splits says: each split byte is the length of the
// next write (0 is an empty write); what is left after the last one is one
// final write.
func pieces(data, splits []byte) [][]byte {
	var out [][]byte
	for _, s := range splits {
		n := min(int(s), len(data))
		out = append(out, data[:n])
		data = data[n:]
	}
	return append(out, data)
}

type fuzzRun struct {
	w   *Writer
	rec *recorder
	out outcome
}

func runWriter(parts [][]byte) fuzzRun { return runWriterCached(parts, nil) }

// runWriterCached is runWriter with a head cache (nil for none).
func runWriterCached(parts [][]byte, c *HeadCache) fuzzRun {
	rec := newRecorder()
	w := New(rec)
	w.UseHeadCache(c)
	var first error
	for _, p := range parts {
		if err := w.Write(p); err != nil && first == nil {
			first = err
		}
	}
	return fuzzRun{w, rec, observe(w, rec, first)}
}

var writerSeeds = []struct {
	data   string
	splits []byte
}{
	{"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\n\r\nhello", nil},
	{"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\n\r\nhello", []byte{1, 1, 1, 1, 1, 1, 1, 1}},
	{"HTTP/1.0 404 Not Found\nContent-Type: text/plain\n\nnot here", []byte{2, 0, 17}},
	{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", []byte{50, 1, 2, 3}},
	{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n3;ext=1\r\nabc\r\n0\r\nX-Sum: 1\r\n\r\n", []byte{60, 4}},
	{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\ntrailing garbage", nil},
	{"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nLocation: /x\r\n\r\n", []byte{10, 20}},
	{"HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n", []byte{5}},
	{"HTTP/1.1 204 No Content\r\nConnection: close\r\nKeep-Alive: timeout=5\r\n\r\nbody", nil},
	{"HTTP/1.1 200 OK\r\nX-Bad: a\rSet-Cookie: x=1\r\n\r\n", nil},
	{"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", nil},
	{"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n", nil},
	{"HTTP/2 200\r\n\r\n", nil},
	{"<html><body>implicit</body></html>", []byte{0, 3}},
	{"HT", nil},
	{"HTTP/1.1 200 OK\r\nX: y\r\n folded\r\n\r\n", nil},
}

func FuzzWriter(f *testing.F) {
	for _, s := range writerSeeds {
		f.Add([]byte(s.data), s.splits)
	}
	f.Fuzz(func(t *testing.T, data, splits []byte) {
		split := runWriter(pieces(data, splits))
		whole := runWriter([][]byte{data})

		checkSent(t, split)

		// How the guest cut its writes must not change the response.
		require.Equal(t, errText(whole.out.err), errText(split.out.err), "Err")
		require.Equal(t, errClass(whole.out.firstErr), errClass(split.out.firstErr), "Write errors")
		whole.out.err, whole.out.firstErr, split.out.err, split.out.firstErr = nil, nil, nil, nil
		require.Equal(t, whole.out, split.out)

		checkBody(t, data, split)

		// A head from the cache gives the response its parse gives.
		cache := new(HeadCache)
		runWriterCached(pieces(data, splits), cache)
		want := runWriter([][]byte{data}).out // whole.out's errors are cleared
		requireSameOutcome(t, want, runWriterCached([][]byte{data}, cache).out, "cached")
	})
}

// checkSent checks what reached net/http: statuses in range, and only valid
// header fields, with framing headers reconciled.
func checkSent(t *testing.T, r fuzzRun) {
	t.Helper()
	if r.out.status != 0 {
		require.True(t, r.out.status >= 200 && r.out.status <= 999, "final status %d", r.out.status)
		require.Equal(t, r.out.status, r.rec.Code)
	}
	for _, h := range r.rec.interim {
		require.True(t, h.Status >= 100 && h.Status <= 199 && h.Status != 101, "interim status %d", h.Status)
		checkFields(t, h.Header)
	}
	checkFields(t, r.rec.Header())
	checkFields(t, r.out.header)
	for _, k := range []string{"Transfer-Encoding", "Keep-Alive", "Upgrade", "Proxy-Connection", "Te", "Trailer"} {
		require.NotContains(t, r.out.header, k)
	}
	if c, ok := r.out.header["Connection"]; ok {
		require.Equal(t, []string{"close"}, c)
	}
	if cl, ok := r.out.header["Content-Length"]; ok {
		require.Len(t, cl, 1)
		n, err := strconv.ParseInt(cl[0], 10, 64)
		require.NoError(t, err)
		require.Equal(t, strconv.FormatInt(n, 10), cl[0])
		require.False(t, r.w.chunked, "Content-Length with guest chunked framing")
	}
	if r.out.status == 0 {
		require.Empty(t, r.out.body, "a body without a status")
	}
}

func checkFields(t *testing.T, h http.Header) {
	t.Helper()
	for k, vs := range h {
		k = strings.TrimPrefix(k, http.TrailerPrefix) // trailers to send after the body
		require.True(t, httpguts.ValidHeaderFieldName(k), "header name %q", k)
		for _, v := range vs {
			require.True(t, httpguts.ValidHeaderFieldValue(v), "header %q value %q", k, v)
		}
	}
}

// sentBody is what of a raw body goes out: no more than the Content-Length.
func sentBody(body []byte, header http.Header) []byte {
	if cl, ok := header["Content-Length"]; ok {
		if n, err := strconv.Atoi(cl[0]); err == nil && n < len(body) {
			return body[:n]
		}
	}
	return body
}

// checkBody compares the body with an independent decoding of the input,
// for a single head: none at all (implicit 200) or a final one.
func checkBody(t *testing.T, data []byte, r fuzzRun) {
	t.Helper()
	if !r.out.committed || len(r.out.interim) > 0 {
		return
	}
	if !bytes.HasPrefix(data, []byte("HTTP/")) {
		require.Equal(t, 200, r.out.status)
		require.Equal(t, string(data), r.out.body, "implicit 200 body")
		return
	}
	end, _ := headEnd(data, 0)
	require.Positive(t, end)
	body := data[end:]
	noBody := r.out.status == http.StatusNoContent || r.out.status == http.StatusNotModified
	switch {
	case noBody && r.w.chunked:
		return // the framing is the guest's; what it decodes to is dropped
	case noBody:
		// net/http refuses a body for these (the recorder keeps it anyway).
		require.Equal(t, int64(len(body)), r.w.Dropped(), "dropped bytes")
		return
	}
	if !r.w.chunked {
		want := sentBody(body, r.out.header)
		require.Equal(t, string(want), r.out.body)
		require.Equal(t, int64(len(body)-len(want)), r.w.Dropped(), "dropped bytes")
		return
	}
	ref, err := reference(body)
	if err != nil {
		return // not strictly valid framing: this decoder may be more lenient
	}
	require.Equal(t, string(ref), r.out.body, "decoded body")
	// Valid framing up to the last chunk never fails the response; only
	// trailers, which the reference does not read, may.
	if r.w.Err() != nil {
		require.GreaterOrEqual(t, r.w.chunks.state, chunkTrailer, "failed: %v", r.w.Err())
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func errClass(err error) string {
	var he *HeadError
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrBodyComplete):
		return "complete"
	case errors.As(err, &he):
		return "head"
	}
	return "other: " + err.Error()
}

var chunkSeeds = []struct {
	data   string
	splits []byte
}{
	{"5\r\nhello\r\n0\r\n\r\n", nil},
	{"5\r\nhello\r\n0\r\n\r\n", []byte{1, 1, 1, 1, 1}},
	{"4\r\nWiki\r\n5\r\npedia\r\n0\r\nX-T: 1\r\n\r\n", []byte{3, 7, 2}},
	{"5;a=b\r\nhello\r\n0;c\r\n\r\n", []byte{2}},
	{"a\r\n0123456789\r\n0\r\n\r\n", []byte{0, 1, 0}},
	{"5\nhello\n0\n\n", nil},
	{"3\r\nhello\r\n", nil},
	{"zz\r\n", nil},
	{"0\r\n\r\nextra", []byte{4}},
	{"ffffffffffffffff\r\n", nil},
}

func FuzzChunkDecoder(f *testing.F) {
	for _, s := range chunkSeeds {
		f.Add([]byte(s.data), s.splits)
	}
	f.Fuzz(func(t *testing.T, data, splits []byte) {
		// Arbitrary input, cut arbitrarily.
		split := decode(pieces(data, splits)...)
		whole := decode(data)
		require.Equal(t, whole.data, split.data)
		require.Equal(t, whole.state, split.state)
		if split.state == chunkDone {
			// Extra bytes after the end: the message counts those of one write.
			require.Equal(t, whole.err == nil, split.err == nil)
		} else {
			require.Equal(t, errText(whole.err), errText(split.err))
		}
		if split.err != nil {
			require.ErrorIs(t, split.err, errBadChunk)
		}
		if ref, err := reference(data); err == nil {
			require.Equal(t, string(ref), split.data)
			if split.err != nil {
				require.GreaterOrEqual(t, split.state, chunkTrailer, "valid framing refused: %v", split.err)
			}
		}

		// The same bytes as valid framing must decode to themselves.
		framed := frame(data, splits)
		got := decode(pieces(framed, splits)...)
		require.NoError(t, got.err, "%q", framed)
		require.Equal(t, chunkDone, got.state)
		require.Equal(t, string(data), got.data)
		ref, err := reference(framed)
		require.NoError(t, err, "%q", framed)
		require.Equal(t, string(data), string(ref), "net/http disagrees on %q", framed)
	})
}

// frame encodes data with chunked framing, with chunk sizes, extensions and
// trailers chosen by splits.
func frame(data, splits []byte) []byte {
	var b bytes.Buffer
	for i := 0; len(data) > 0; i++ {
		var s byte = 7
		if len(splits) > 0 {
			s = splits[i%len(splits)]
		}
		n := min(int(s&31)+1, len(data))
		switch {
		case s&64 != 0:
			fmt.Fprintf(&b, "%X;ext=%d\r\n", n, s)
		case s&128 != 0:
			fmt.Fprintf(&b, "%04x\r\n", n)
		default:
			fmt.Fprintf(&b, "%x\r\n", n)
		}
		b.Write(data[:n])
		b.WriteString("\r\n")
		data = data[n:]
	}
	b.WriteString("0\r\n")
	if len(splits) > 0 && splits[0]&32 != 0 {
		b.WriteString("X-Trailer: yes\r\n")
	}
	b.WriteString("\r\n")
	return b.Bytes()
}
