package response

import (
	"bytes"
	"errors"
	"io"
	"net/http/httputil"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// decodeResult is what a chunkDecoder did with a whole stream.
type decodeResult struct {
	data  string
	err   error
	state chunkState
}

// decode feeds parts to a new decoder, stopping at the first error as the
// Writer does.
func decode(parts ...[]byte) decodeResult {
	var d chunkDecoder
	var out bytes.Buffer
	emit := func(b []byte) error { out.Write(b); return nil }
	for _, p := range parts {
		if err := d.feed(p, emit); err != nil {
			return decodeResult{out.String(), err, d.state}
		}
	}
	return decodeResult{out.String(), nil, d.state}
}

func decodeString(parts ...string) decodeResult {
	bs := make([][]byte, len(parts))
	for i, p := range parts {
		bs[i] = []byte(p)
	}
	return decode(bs...)
}

// reference decodes s with net/http's chunked reader, which stops at the
// last chunk (it leaves trailers to its caller).
func reference(s []byte) ([]byte, error) {
	return io.ReadAll(httputil.NewChunkedReader(bytes.NewReader(s)))
}

var validStreams = []struct {
	name, stream, data string
	strict             bool // net/http's reader accepts it too
}{
	{"one chunk", "5\r\nhello\r\n0\r\n\r\n", "hello", true},
	{"several chunks", "4\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\n\r\n", "Wikipedia in\r\n\r\nchunks.", true},
	{"empty body", "0\r\n\r\n", "", true},
	{"extensions", "5;a=b\r\nhello\r\n1;x;y=\"q;r\"\r\n!\r\n0;end\r\n\r\n", "hello!", true},
	{"whitespace before an extension", "5 ;a=b\r\nhello\r\n0\r\n\r\n", "hello", false},
	{"trailing whitespace", "5 \t\r\nhello\r\n0\r\n\r\n", "hello", true},
	{"trailers", "3\r\nabc\r\n0\r\nX-Sum: 1\r\nX-Other: two words\r\n\r\n", "abc", true},
	{"hex digits", "a\r\n0123456789\r\nA\r\nabcdefghij\r\n0\r\n\r\n", "0123456789abcdefghij", true},
	{"leading zeros", "0005\r\nhello\r\n000\r\n\r\n", "hello", true},
	{"LF only", "5\nhello\n0\n\n", "hello", false},
	{"data with CR and LF", "6\r\n\r\n\r\n\r\n\r\n0\r\n\r\n", "\r\n\r\n\r\n", true},
	{"binary data", "4\r\n\x00\xff\n\r\r\n0\r\n\r\n", "\x00\xff\n\r", true},
}

func TestChunkDecoderValid(t *testing.T) {
	for _, tc := range validStreams {
		t.Run(tc.name, func(t *testing.T) {
			got := decodeString(tc.stream)
			require.NoError(t, got.err)
			require.Equal(t, tc.data, got.data)
			require.Equal(t, chunkDone, got.state)
			if tc.strict {
				ref, err := reference([]byte(tc.stream))
				require.NoError(t, err)
				require.Equal(t, tc.data, string(ref), "net/http agrees")
			}
		})
	}
}

// TestChunkDecoderEverySplit feeds each valid stream cut at every pair of
// points (so also byte by byte at each boundary): the decoded bytes must not
// depend on how the guest split its writes.
func TestChunkDecoderEverySplit(t *testing.T) {
	for _, tc := range validStreams {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.stream
			for i := 0; i <= len(s); i++ {
				for j := i; j <= len(s); j++ {
					got := decodeString(s[:i], s[i:j], s[j:])
					require.NoError(t, got.err, "split at %d, %d", i, j)
					require.Equal(t, tc.data, got.data, "split at %d, %d", i, j)
					require.Equal(t, chunkDone, got.state)
				}
			}
			got := decodeString(bytewise(s)...)
			require.NoError(t, got.err)
			require.Equal(t, tc.data, got.data)
		})
	}
}

func TestChunkDecoderInvalid(t *testing.T) {
	long := strings.Repeat("x", maxChunkLine)
	cases := []struct {
		name, stream, data string // data: what was emitted before the error
	}{
		{"bad size", "zz\r\nhello\r\n", ""},
		{"empty size", "\r\nhello\r\n", ""},
		{"only an extension", ";a=b\r\nhello\r\n", ""},
		{"leading space", " 5\r\nhello\r\n", ""},
		{"negative size", "-5\r\nhello\r\n", ""},
		{"plus sign", "+5\r\nhello\r\n", ""},
		{"0x prefix", "0x5\r\nhello\r\n", ""},
		{"underscore", "1_0\r\n", ""},
		{"size over 2^62", "4000000000000000\r\n", ""},
		{"size over 2^64", "10000000000000000\r\n", ""},
		{"CR inside the size line", "5\rX\r\nhello\r\n", ""},
		{"data longer than its size", "3\r\nhello\r\n0\r\n\r\n", "hel"},
		{"no CRLF after data", "3\r\nabc5\r\nhello\r\n", "abc"},
		{"second chunk bad", "3\r\nabc\r\nq\r\n", "abc"},
		{"size line too long", "5;" + long + "\r\nhello\r\n", ""},
		{"trailer line too long", "1\r\na\r\n0\r\nX-T: " + long + "\r\n\r\n", "a"},
		{"unterminated line too long", "5;" + long, ""},
		{"bytes after the last chunk", "1\r\na\r\n0\r\n\r\nX", "a"},
	}
	for _, tc := range cases {
		for mode, parts := range map[string][]string{"one write": {tc.stream}, "byte by byte": bytewise(tc.stream)} {
			t.Run(tc.name+"/"+mode, func(t *testing.T) {
				got := decodeString(parts...)
				require.ErrorIs(t, got.err, errBadChunk)
				require.Equal(t, tc.data, got.data)
			})
		}
	}
}

// TestChunkDecoderLineLimit pins the line limit on both sides, for one write
// and for a line split in two.
func TestChunkDecoderLineLimit(t *testing.T) {
	for _, n := range []int{maxChunkLine - 1, maxChunkLine, maxChunkLine + 1} {
		line := "1;" + strings.Repeat("e", n-len("1;\r")) + "\r" // n bytes before the LF
		stream := line + "\na\r\n0\r\n\r\n"
		for _, cut := range []int{0, 1, n / 2, n - 1, n, n + 1} {
			got := decodeString(stream[:cut], stream[cut:])
			if n > maxChunkLine {
				require.ErrorIs(t, got.err, errBadChunk, "line of %d cut at %d", n, cut)
				continue
			}
			require.NoError(t, got.err, "line of %d cut at %d", n, cut)
			require.Equal(t, "a", got.data)
		}
	}
}

func TestChunkDecoderEmitError(t *testing.T) {
	boom := errors.New("boom")
	var d chunkDecoder
	calls := 0
	err := d.feed([]byte("2\r\nab\r\n2\r\ncd\r\n"), func(b []byte) error {
		calls++
		if string(b) == "cd" {
			return boom
		}
		return nil
	})
	require.ErrorIs(t, err, boom)
	require.Equal(t, 2, calls)
}

// TestChunkDecoderEmitsSubslices checks that data is handed on without a
// copy and without any framing bytes.
func TestChunkDecoderEmitsSubslices(t *testing.T) {
	in := []byte("3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")
	var d chunkDecoder
	var got [][]byte
	require.NoError(t, d.feed(in, func(b []byte) error { got = append(got, b); return nil }))
	require.Len(t, got, 2)
	require.Equal(t, "abc", string(got[0]))
	require.Same(t, &in[3], &got[0][0])
	require.Same(t, &in[11], &got[1][0])
}

func TestChunkDecoderCompleted(t *testing.T) {
	var d chunkDecoder
	nop := func([]byte) error { return nil }
	steps := []struct {
		in        string
		completed bool
		done      bool
	}{
		{"3\r\nab", false, false},
		{"c", false, false},
		{"\r", false, false},
		{"\n", true, false},
		{"0\r\n", true, false},
		{"X-T: 1\r\n", false, false},
		{"\r\n", false, true},
	}
	for _, s := range steps {
		require.NoError(t, d.feed([]byte(s.in), nop), "%q", s.in)
		require.Equal(t, s.completed, d.completed, "completed after %q", s.in)
		require.Equal(t, s.done, d.done(), "done after %q", s.in)
	}
	require.ErrorIs(t, d.feed([]byte("x"), nop), errBadChunk)
	require.True(t, d.done())
}
