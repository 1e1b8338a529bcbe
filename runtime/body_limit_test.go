package runtime_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/internal/enginetest"
	"github.com/civetbox/civetbox/runtime"
	"github.com/civetbox/civetbox/runtime/engine"
)

const bodyLimit = 4096

// chunkedPost is a POST to /readall whose body of n bytes arrives in 1000
// byte chunks, so its size is unknown until it ends.
func chunkedPost(n int) string {
	var b strings.Builder
	b.WriteString("POST /readall HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n")
	for n > 0 {
		c := min(n, 1000)
		fmt.Fprintf(&b, "%x\r\n%s\r\n", c, strings.Repeat("b", c))
		n -= c
	}
	b.WriteString("0\r\n\r\n")
	return b.String()
}

func sizedPost(n int) string {
	return fmt.Sprintf("POST /readall HTTP/1.1\r\nHost: test\r\nContent-Length: %d\r\n\r\n%s", n, strings.Repeat("b", n))
}

func TestBodyLimit(t *testing.T) {
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		modes(t, func(t *testing.T, mode runtime.Mode) {
			srv := serveGuest(t, eng, "responses.wasm", runtime.Config{Mode: mode, MaxRequestBody: bodyLimit})
			for _, tc := range []struct {
				name, request string
				status        int
				body, log     string
			}{
				{"declared length at the limit", sizedPost(bodyLimit), 200, "read 4096 bytes", ""},
				{"chunked body at the limit", chunkedPost(bodyLimit), 200, "read 4096 bytes", ""},
				// The guest never runs: its 400 would say "read failed".
				{"declared length over the limit", sizedPost(bodyLimit + 1), 413, "Error 413: Request Entity Too Large\nRequest body too large",
					"request refused before the guest"},
				// The guest's read fails at the limit; the host has
				// answered 413 before the guest's own 400.
				{"chunked body over the limit", chunkedPost(3 * bodyLimit), 413, "Error 413: Request Entity Too Large\nRequest body too large",
					"request body over the limit"},
			} {
				t.Run(tc.name, func(t *testing.T) {
					c := dialRaw(t, srv.Server)
					c.send(t, tc.request)
					resp, body := c.response(t)
					require.Equal(t, tc.status, resp.StatusCode, body)
					require.Equal(t, tc.body, body)
					if tc.status == http.StatusRequestEntityTooLarge {
						require.True(t, resp.Close, "a refused body closes the connection")
						require.True(t, c.closed(t))
						srv.logs.eventually(t, tc.log)
					}
				})
			}
		})
	})
}

func TestBodyLimit_negativeMeansNone(t *testing.T) {
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		srv := serveGuest(t, eng, "responses.wasm", runtime.Config{MaxRequestBody: -1})
		c := dialRaw(t, srv.Server)
		c.send(t, chunkedPost(runtime.DefaultMaxRequestBody/64+1))
		resp, body := c.response(t)
		require.Equal(t, http.StatusOK, resp.StatusCode, body)
	})
}
