package nativecivet

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestReader_keepsHeadsAsSent(t *testing.T) {
	first := "HTTP/1.1 200 OK\r\nx-lower: a\r\nContent-Length: 2\r\nX-Twice: 1\r\nX-Twice:  2 \r\n\r\n"
	second := "HTTP/1.1 204 No Content\n\n"
	wire := NewReader(strings.NewReader(first + "hi" + second))

	resp, head, err := wire.ReadResponse(http.MethodGet)
	require.NoError(t, err)
	require.Equal(t, first, string(head))
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, "hi", string(body))
	statusLine, fields := ParseHead(head)
	require.Equal(t, "HTTP/1.1 200 OK", statusLine)
	require.Equal(t, Fields{{"x-lower", "a"}, {"Content-Length", "2"}, {"X-Twice", "1"}, {"X-Twice", "2"}}, fields)
	v, ok := fields.Get("X-LOWER")
	require.True(t, ok)
	require.Equal(t, "a", v)
	_, ok = fields.Get("X-Missing")
	require.False(t, ok)
	names, header := fields.Compared([]string{"Content-Length"})
	require.Equal(t, []string{"X-Twice", "X-Twice", "x-lower"}, names)
	require.Equal(t, http.Header{"X-Lower": {"a"}, "X-Twice": {"1", "2"}}, header)

	_, head, err = wire.ReadResponse(http.MethodGet)
	require.NoError(t, err)
	require.Equal(t, second, string(head))

	_, head, err = wire.ReadResponse(http.MethodGet)
	require.ErrorIs(t, err, io.ErrUnexpectedEOF) // net/http's word for any EOF
	require.Empty(t, head, "the connection ended before a response")
}

func TestBodyDiff(t *testing.T) {
	long := strings.Repeat("0123456789", 100)
	require.Equal(t, `native "a", civetbox "b"`, BodyDiff([]byte("a"), []byte("b")))
	require.Contains(t, BodyDiff([]byte(long), []byte(long[:999])), "native 1000 bytes, civetbox 999 bytes, first difference at offset 999")
	huge := strings.Repeat("x", 5000)
	require.Equal(t, "native 5000 bytes, civetbox 1 bytes, first difference at offset 1", BodyDiff([]byte(huge), []byte("x")))
}

func TestCloseConsistent(t *testing.T) {
	check := func(saysClose []bool, closed bool) error {
		return CloseConsistent(saysClose, func(says bool) bool { return says }, closed)
	}
	require.NoError(t, check([]bool{false, false}, false))
	require.Error(t, check([]bool{true}, false), "says close, stays open")
	require.NoError(t, check([]bool{true}, true))
	require.Error(t, check([]bool{true, true}, true), "says close, more followed")
}
