package runtime_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/abi"
	"github.com/civetbox/civetbox/internal/enginetest"
	"github.com/civetbox/civetbox/runtime"
	"github.com/civetbox/civetbox/runtime/engine"
)

// TestHostile_badPointers passes an out-of-range pointer to every host
// function that takes one: each request gets 500, the fault is logged with
// the function's name, and the next request is served normally.
func TestHostile_badPointers(t *testing.T) {
	fault := func(fn, param string) string { return "guestmem: " + fn + ": " + param + "[" }
	routes := map[string]string{ // route -> the fault the log must name
		"mg_read":                               fault(abi.FuncMgRead, "buf"),
		"mg_read_wrap":                          fault(abi.FuncMgRead, "buf"),
		"mg_write":                              fault(abi.FuncMgWrite, "buf"),
		"mg_write_wrap":                         fault(abi.FuncMgWrite, "buf"),
		"mg_send_chunk":                         fault(abi.FuncMgSendChunk, "chunk"),
		"mg_get_request_info":                   fault(abi.FuncMgGetRequestInfo, "buf"),
		"mg_get_request_info_misaligned":        fault(abi.FuncMgGetRequestInfo, "buf"),
		"mg_send_http_ok":                       fault(abi.FuncMgSendHTTPOk, "mime_type"),
		"mg_send_http_error":                    fault(abi.FuncMgSendHTTPError, "msg"),
		"mg_send_http_redirect":                 fault(abi.FuncMgSendHTTPRedirect, "target_url"),
		"mg_response_header_add":                fault(abi.FuncMgResponseHeaderAdd, "value"),
		"mg_response_header_add_lines":          fault(abi.FuncMgResponseHeaderAddLine, "http1_headers"),
		"mg_cry":                                fault(abi.FuncMgCry, "msg"),
		"mg_send_mime_file2":                    fault(abi.FuncMgSendMimeFile2, "additional_headers"),
		"mg_send_file_body":                     fault(abi.FuncMgSendFileBody, "path"),
		"upload_open":                           fault(abi.FuncUploadOpen, "path"),
		"upload_write":                          fault(abi.FuncUploadWrite, "buf"),
		"mg_check_digest_access_authentication": fault(abi.FuncMgCheckDigest, "filename"),
		"mg_send_digest_access_authentication_request": fault(abi.FuncMgSendDigestAuth, "realm"),
		// Only valid in civetbox_init, so during a request the contract
		// check comes first; hostfuncs' unit tests cover its pointers.
		"mg_set_request_handler": "hostfuncs: " + abi.FuncMgSetRequestHandler + ": called during a request",
	}
	requirePointerFuncsCovered(t, routes)
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		modes(t, func(t *testing.T, mode runtime.Mode) {
			srv := serveGuest(t, eng, "hostile.wasm", runtime.Config{Mode: mode, PoolSize: 1})
			for route, evidence := range routes {
				t.Run(route, func(t *testing.T) {
					resp, body := srv.get(t, "/badptr/"+route)
					require.Equal(t, http.StatusInternalServerError, resp.StatusCode, body)
					require.Equal(t, "Error 500: Internal Server Error\nThe request handler failed.", body)
					srv.logs.eventually(t, evidence)
					resp, body = srv.get(t, "/ok")
					require.Equal(t, http.StatusOK, resp.StatusCode)
					require.Equal(t, "ok", body)
				})
			}
		})
	})
}

// requirePointerFuncsCovered fails if a host function with a pointer
// parameter has no bad-pointer route, so new functions cannot skip the test.
func requirePointerFuncsCovered(t *testing.T, routes map[string]string) {
	covered := map[string]bool{}
	for route := range routes {
		covered[strings.TrimSuffix(strings.TrimSuffix(route, "_wrap"), "_misaligned")] = true
	}
	for _, f := range abi.HostFuncs() {
		takesPointer := len(f.Params) > 0 && f.Name != abi.FuncMgResponseHeaderStart && f.Name != abi.FuncUploadClose
		require.Equal(t, takesPointer, covered[f.Name], "bad-pointer coverage of %s", f.Name)
	}
}

func TestHostile_trapsAndContractBreaches(t *testing.T) {
	routes := map[string]string{ // route -> log evidence
		"/trap/unreachable": "unreachable",
		"/trap/divzero":     "integer divide by zero",
		"/trap/oob":         "out of bounds memory access",
		"/trap/indirect":    "indirect call type mismatch",
		"/trap/stack":       "stack overflow",
		"/trap/cstack":      "out of bounds memory access", // the C stack runs below 0
		"/exit":             "guest exited with code 3",
		"/late-register":    "register handlers in civetbox_init",
		"/inject/header":    "value contains CR, LF, NUL",
		"/inject/status":    "is not a number in 100-999",
	}
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		modes(t, func(t *testing.T, mode runtime.Mode) {
			srv := serveGuest(t, eng, "hostile.wasm", runtime.Config{Mode: mode, PoolSize: 1})
			for route, evidence := range routes {
				t.Run(route, func(t *testing.T) {
					resp, body := srv.get(t, route)
					require.Equal(t, http.StatusInternalServerError, resp.StatusCode, body)
					require.NotContains(t, resp.Header, "Set-Cookie")
					require.NotContains(t, body, "evil")
					srv.logs.eventually(t, evidence)
					resp, _ = srv.get(t, "/ok")
					require.Equal(t, http.StatusOK, resp.StatusCode)
				})
			}
		})
	})
}

// TestHostile_headerValueRefused checks that mg_response_header_add refuses a
// CR LF value with CivetWeb's parameter error, and the response goes on.
func TestHostile_headerValueRefused(t *testing.T) {
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		srv := serveGuest(t, eng, "hostile.wasm", runtime.Config{})
		resp, body := srv.get(t, "/inject/value")
		require.Equal(t, http.StatusOK, resp.StatusCode, "599 means the host accepted the injected value")
		require.Equal(t, "ok", body)
		require.Empty(t, resp.Header.Values("Set-Cookie"))
		require.Empty(t, resp.Header.Values("X-A"))
	})
}

// TestHostile_deadline stops a guest that never returns and answers 504,
// while a well-behaved request served at the same time succeeds.
func TestHostile_deadline(t *testing.T) {
	const timeout = 200 * time.Millisecond
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		modes(t, func(t *testing.T, mode runtime.Mode) {
			srv := serveGuest(t, eng, "hostile.wasm", runtime.Config{Mode: mode, RequestTimeout: timeout})
			var wg sync.WaitGroup
			wg.Go(func() {
				resp, _ := srv.get(t, "/ok")
				require.Equal(t, http.StatusOK, resp.StatusCode)
			})
			start := time.Now()
			resp, body := srv.get(t, "/loop")
			elapsed := time.Since(start)
			wg.Wait()
			require.Equal(t, http.StatusGatewayTimeout, resp.StatusCode, body)
			require.True(t, strings.HasPrefix(body, "Error 504: Gateway Time-out\n"), body)
			require.GreaterOrEqual(t, elapsed, timeout)
			require.Less(t, elapsed, 5*timeout, "the guest was not stopped near its deadline")
			resp, _ = srv.get(t, "/ok")
			require.Equal(t, http.StatusOK, resp.StatusCode)
		})
	})
}

// TestHostile_stalledBody: a client that sends part of a body and stops must
// not hold the guest past its deadline, even though the guest is blocked in
// the host (mg_read), where the engine cannot interrupt it.
func TestHostile_stalledBody(t *testing.T) {
	const timeout = 200 * time.Millisecond
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		srv := serveGuest(t, eng, "hostile.wasm", runtime.Config{RequestTimeout: timeout})
		conn, err := net.Dial("tcp", srv.Listener.Addr().String())
		require.NoError(t, err)
		defer conn.Close()
		start := time.Now()
		_, err = io.WriteString(conn, "POST /read-all HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789")
		require.NoError(t, err)
		require.NoError(t, conn.SetReadDeadline(time.Now().Add(5*time.Second)))
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		require.NoError(t, err)
		require.Equal(t, http.StatusGatewayTimeout, resp.StatusCode)
		require.Less(t, time.Since(start), 5*timeout)
		resp, body := srv.do(t, http.MethodPost, "/read-all", strings.NewReader("0123456789"))
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Equal(t, "read 10", body)
	})
}

// TestHostile_trapAfterSend: once the response has started, a trap can no
// longer become a 500, so the connection is aborted and the client sees an
// incomplete response rather than a complete-looking one.
func TestHostile_trapAfterSend(t *testing.T) {
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		srv := serveGuest(t, eng, "hostile.wasm", runtime.Config{})
		resp, err := srv.Client().Get(srv.URL + "/trap/after-send")
		if err == nil {
			_, err = io.ReadAll(resp.Body)
			resp.Body.Close()
		}
		require.Error(t, err, "the client must notice the aborted response")
		srv.logs.eventually(t, "guest trapped: unreachable")
		ok, _ := srv.get(t, "/ok")
		require.Equal(t, http.StatusOK, ok.StatusCode)
	})
}
