package runtime_test

import (
	"bufio"
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/internal/enginetest"
	"github.com/civetbox/civetbox/internal/testguests"
	"github.com/civetbox/civetbox/internal/testutil"
	"github.com/civetbox/civetbox/runtime"
	"github.com/civetbox/civetbox/runtime/engine"
)

// rawConn is one client connection that writes raw HTTP/1.1 and reads the
// responses, for what http.Client hides: keep-alive and the timing of an
// answer relative to the body.
type rawConn struct {
	net.Conn
	r *bufio.Reader
}

func dialRaw(t *testing.T, srv *httptest.Server) *rawConn {
	t.Helper()
	c, err := net.Dial("tcp", srv.Listener.Addr().String())
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return &rawConn{Conn: c, r: bufio.NewReader(c)}
}

func (c *rawConn) send(t *testing.T, s string) {
	t.Helper()
	_, err := io.WriteString(c, s)
	require.NoError(t, err)
}

// response reads one response within a second: nothing here may wait for
// the request deadline.
func (c *rawConn) response(t *testing.T) (*http.Response, string) {
	t.Helper()
	require.NoError(t, c.SetReadDeadline(time.Now().Add(time.Second)))
	resp, err := http.ReadResponse(c.r, nil)
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(body)
}

// closed reports whether the server closes the connection within a second.
func (c *rawConn) closed(t *testing.T) bool {
	t.Helper()
	require.NoError(t, c.SetReadDeadline(time.Now().Add(time.Second)))
	_, err := c.r.ReadByte()
	return err == io.EOF
}

// serveWithServerLog serves a test guest and captures http.Server's own
// log, where panics in handlers show.
func serveWithServerLog(t *testing.T, eng engine.Engine, name string, timeout time.Duration) (*httptest.Server, *testutil.SyncBuffer) {
	t.Helper()
	h, err := runtime.Load(context.Background(), eng, testguests.Read(t, name), runtime.Config{Name: name, RequestTimeout: timeout})
	require.NoError(t, err)
	var serverLog testutil.SyncBuffer
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(&serverLog, "", 0)
	srv.Start()
	t.Cleanup(func() {
		srv.Close()
		require.NoError(t, h.Close(context.Background()))
	})
	return srv, &serverLog
}

func post(path string, body string, headers ...string) string {
	return "POST " + path + " HTTP/1.1\r\nHost: test\r\n" + strings.Join(append(headers, ""), "\r\n") +
		"Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body
}

const getCount = "GET /count HTTP/1.1\r\nHost: test\r\n\r\n"

// TestUnreadBody: a handler that does not read the request body gets its
// answer out first when it has a length; the host then drops the body so
// the connection serves the next request, up to net/http's 256 KiB, beyond
// which it closes the connection cleanly.
func TestUnreadBody(t *testing.T) {
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		srv, serverLog := serveWithServerLog(t, eng, "responses.wasm", 500*time.Millisecond)

		t.Run("body sent after an answer with a length", func(t *testing.T) {
			c := dialRaw(t, srv)
			c.send(t, "POST /sized HTTP/1.1\r\nHost: test\r\nContent-Length: 3\r\n\r\n")
			resp, body := c.response(t)
			require.Equal(t, http.StatusOK, resp.StatusCode)
			require.Equal(t, "ok", body)
			c.send(t, "abc"+getCount)
			resp, _ = c.response(t)
			require.Equal(t, http.StatusOK, resp.StatusCode)
		})
		for _, size := range []int{100 << 10, 256<<10 - 1} {
			t.Run(strconv.Itoa(size)+" bytes unread keep the connection", func(t *testing.T) {
				c := dialRaw(t, srv)
				c.send(t, post("/count", strings.Repeat("x", size))+getCount)
				for range 2 {
					resp, _ := c.response(t)
					require.Equal(t, http.StatusOK, resp.StatusCode)
				}
			})
		}
		for _, size := range []int{256 << 10, 300 << 10, 1 << 20} {
			t.Run(strconv.Itoa(size)+" bytes unread close the connection", func(t *testing.T) {
				c := dialRaw(t, srv)
				c.send(t, post("/count", strings.Repeat("x", size))+getCount)
				resp, _ := c.response(t)
				require.Equal(t, http.StatusOK, resp.StatusCode)
				require.True(t, c.closed(t), "the connection should close after the response")
			})
		}
		// The answer does not wait for a body the client holds back until
		// it hears "100 Continue"; the connection closes at the request
		// deadline at the latest.
		t.Run("Expect: 100-continue, body never sent", func(t *testing.T) {
			c := dialRaw(t, srv)
			c.send(t, "POST /count HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n")
			resp, _ := c.response(t)
			require.Equal(t, http.StatusOK, resp.StatusCode)
			require.True(t, resp.Close, "Connection: close, since the body will not be read")
			require.True(t, c.closed(t))
		})
		t.Run("Expect: 100-continue, body sent anyway", func(t *testing.T) {
			c := dialRaw(t, srv)
			c.send(t, "POST /count HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc")
			resp, _ := c.response(t)
			require.Equal(t, http.StatusOK, resp.StatusCode)
			require.True(t, c.closed(t))
		})
		require.NotContains(t, serverLog.String(), "panic", "http.Server's log")
	})
}

// TestSlowReader: a client that stops reading cannot hold a guest (and its
// instance) past the request deadline: the blocked write fails soon after
// it and the instance is released (wasmtime's epoch then stops the guest;
// wazero's guest sees -1 and returns).
func TestSlowReader(t *testing.T) {
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		const timeout = 300 * time.Millisecond
		srv := serveGuest(t, eng, "responses.wasm", runtime.Config{RequestTimeout: timeout})
		c := dialRaw(t, srv.Server)
		start := time.Now()
		c.send(t, "GET /flood HTTP/1.1\r\nHost: test\r\n\r\n")
		require.Eventually(t, func() bool { return srv.handler.LiveInstances() == 1 }, time.Second, time.Millisecond)
		require.Eventually(t, func() bool { return srv.handler.LiveInstances() == 0 },
			timeout+runtime.WriteGrace+2*time.Second, 10*time.Millisecond, "the guest is still held")
		require.Less(t, time.Since(start), timeout+runtime.WriteGrace+time.Second)
		require.NotContains(t, srv.logs.String(), "stopped after 4096 writes")
	})
}
