package response

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// writeCached is writeAll through a Writer that uses c.
func writeCached(c *HeadCache, parts ...string) outcome {
	rec := newRecorder()
	w := New(rec)
	w.UseHeadCache(c)
	var first error
	for _, p := range parts {
		if err := w.Write([]byte(p)); err != nil && first == nil {
			first = err
		}
	}
	return observe(w, rec, first)
}

// comparable drops the errors' identities, keeping their text.
func comparable(o outcome) (outcome, string, string) {
	err, first := errText(o.err), errText(o.firstErr)
	o.err, o.firstErr = nil, nil
	return o, err, first
}

func requireSameOutcome(t *testing.T, want, got outcome, msg string) {
	t.Helper()
	w, wErr, wFirst := comparable(want)
	g, gErr, gFirst := comparable(got)
	require.Equal(t, w, g, msg)
	require.Equal(t, wErr, gErr, msg)
	require.Equal(t, wFirst, gFirst, msg)
}

// TestHeadCache_sameOutcome: a response whose head comes from the cache is
// the response the parsed head gives, whatever head the cache held before:
// the same one, another one, or one that failed.
func TestHeadCache_sameOutcome(t *testing.T) {
	cases := rawCases()
	for _, tc := range cases {
		whole := strings.Join(tc.writes, "")
		want, _ := writeAll(whole)
		t.Run(tc.name, func(t *testing.T) {
			c := new(HeadCache)
			requireSameOutcome(t, want, writeCached(c, whole), "first, parsed")
			requireSameOutcome(t, want, writeCached(c, whole), "again, cached")
			requireSameOutcome(t, want, writeCached(c, tc.writes...), "again, as written")
			for _, other := range cases {
				prev := strings.Join(other.writes, "")
				c := new(HeadCache)
				writeCached(c, prev)
				requireSameOutcome(t, want, writeCached(c, whole), "after "+other.name)
			}
		})
	}
}

// TestHeadCache_keepsOnlyGoodHeads: a head is cached once applied without
// error; a failing one is not, and makes the cache forget the last.
func TestHeadCache_keepsOnlyGoodHeads(t *testing.T) {
	good := []byte("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n")
	bad := []byte("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Bad: a\x01\r\n\r\n")
	c := new(HeadCache)
	writeCached(c, string(good)+"ok")
	_, _, ok := c.lookup(good)
	require.True(t, ok, "a good head is cached")
	status, fields, _ := c.lookup(good)
	require.Equal(t, 200, status)
	require.Equal(t, []field{{"Content-Type", "text/plain"}, {"Content-Length", "2"}}, fields)

	got := writeCached(c, string(bad))
	require.Error(t, got.err)
	_, _, ok = c.lookup(bad)
	require.False(t, ok, "a failing head is not cached")
	_, _, ok = c.lookup(good)
	require.False(t, ok, "the cache holds one head")

	c.Reset()
	_, _, ok = c.lookup(nil)
	require.False(t, ok)
}

// TestHeadCache_allocatesNothingWhenHit: the point of the cache.
func TestHeadCache_allocatesNothingWhenHit(t *testing.T) {
	head := []byte("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 14\r\n\r\n")
	rec := newRecorder()
	c := new(HeadCache)
	var w Writer
	run := func() {
		clear(rec.Header())
		w.Reset(rec)
		w.UseHeadCache(c)
		require.NoError(t, w.applyRawHead(head))
	}
	run()
	require.Zero(t, testing.AllocsPerRun(100, run))
}
