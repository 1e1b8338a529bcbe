package examples_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/internal/enginetest"
	"github.com/civetbox/civetbox/internal/nativecivet"
	"github.com/civetbox/civetbox/internal/testutil"
	"github.com/civetbox/civetbox/internal/toolchain"
	"github.com/civetbox/civetbox/runtime"
	"github.com/civetbox/civetbox/runtime/engine"
)

// The examples are CivetWeb handlers: only civetbox_init replaces main().
// TestNative_matchesCivetWeb builds each example unchanged against the real
// CivetWeb 1.15 (Debian libcivetweb-dev) with internal/nativecivet, as the
// differential suite (internal/compat) does, and sends identical raw
// requests over TCP to it and to the sandboxed build (the committed .wasm).
// Every difference between the two answers must be one of the case's
// declared deviations: intended behaviour of civetbox, each explained where
// it is declared.

// nativeOptions are the CivetWeb options the native servers run with, over
// nativecivet's defaults (listening_ports=127.0.0.1:0, num_threads=4, ...).
// CivetWeb's default is enable_keep_alive=no; civetbox (Go's net/http)
// always keeps connections alive, so the native server is compared with
// keep-alive on. The long keep-alive timeout keeps idle connections open
// while the test probes them.
var nativeOptions = []string{"enable_keep_alive", "yes", "keep_alive_timeout_ms", "10000"}

// noisyHeaders differ between any two servers and are not compared: the
// clock, the product name, and the message framing, which is compared in
// its own way (body after de-framing, framing kind, connection closing).
var noisyHeaders = []string{"Date", "Server", "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive"}

// idleProbe is how long a connection must stay silent after the last
// response to count as kept open.
const idleProbe = 250 * time.Millisecond

const host = "Host: 127.0.0.1\r\n"

// rawCase is one connection: raw request bytes, and the method of each
// request in them (a response to HEAD has no body).
type rawCase struct {
	name    string
	raw     string
	methods []string
	// deviations lists, exactly, the differences compare reports between
	// native CivetWeb and civetbox for this case.
	deviations []string
	// check makes extra assertions on both results.
	check func(t *testing.T, native, box *result)
}

// Documented deviations, shared by several cases.
const (
	// When a connection ends after the response because the request said
	// "Connection: close", Go's net/http announces it with "Connection:
	// close". CivetWeb sends a handler's raw response unchanged, without it.
	// Both close the connection.
	devAnnouncesClose = "response 1 says close: native false, civetbox true"

	// CivetWeb sends its error page close-delimited (Connection: close, no
	// Content-Length); civetbox's Go server knows the length of the whole
	// page and adds Content-Length. Both close the connection. README: "A
	// response without Content-Length is chunked (or length-counted when
	// short) by Go instead of being delimited by closing the connection."
	devErrorPageLength = "response 1 framing: native close-delimited, civetbox content-length 30"
)

// helloCases run against examples/hello.
func helloCases() []rawCase {
	get := "GET /hello HTTP/1.1\r\n" + host + "\r\n"
	return []rawCase{
		{name: "GET HTTP/1.1", raw: get, methods: []string{"GET"},
			check: func(t *testing.T, native, box *result) {
				requireHello(t, native)
				requireHello(t, box)
			}},
		{name: "GET HTTP/1.0", raw: "GET /hello HTTP/1.0\r\n\r\n", methods: []string{"GET"},
			deviations: []string{
				// Go's net/http answers an HTTP/1.0 request with an
				// HTTP/1.0 status line whatever the handler wrote; CivetWeb
				// sends the handler's raw "HTTP/1.1 200 OK" unchanged.
				`response 1 status line: native "HTTP/1.1 200 OK", civetbox "HTTP/1.0 200 OK"`,
				// So civetbox's response (HTTP/1.0, no keep-alive) says the
				// connection ends; CivetWeb's (HTTP/1.1, no Connection
				// header) does not. Both close it.
				devAnnouncesClose,
			},
			check: func(t *testing.T, native, box *result) {
				requireHello(t, native)
				requireHello(t, box)
				require.True(t, box.closed, "HTTP/1.0 without keep-alive: civetbox closes")
			}},
		{name: "GET query", raw: "GET /hello?x=1 HTTP/1.1\r\n" + host + "\r\n", methods: []string{"GET"},
			check: func(t *testing.T, native, box *result) {
				requireHello(t, native)
				requireHello(t, box)
			}},
		{name: "Connection close", raw: "GET /hello HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n", methods: []string{"GET"},
			deviations: []string{devAnnouncesClose},
			check: func(t *testing.T, native, box *result) {
				requireHello(t, box)
				require.True(t, box.closed)
			}},
		{name: "HEAD", raw: "HEAD /hello HTTP/1.1\r\n" + host + "\r\n", methods: []string{"HEAD"},
			deviations: []string{
				// The handler writes its body for HEAD too. civetbox (Go's
				// net/http) drops the body of a HEAD response as HTTP
				// requires; CivetWeb sends it, so the 14 bytes follow the
				// head on the wire, where a client reads them as the start
				// of the next response.
				`trailing bytes: native "Hello, world!\n", civetbox ""`,
			},
			check: func(t *testing.T, native, box *result) {
				require.Equal(t, "14", box.responses[0].rawHeader("Content-Length"), "HEAD keeps the GET's Content-Length")
				require.Empty(t, box.trailing)
			}},
		{name: "keep-alive GET GET 404", raw: get + get + "GET /nothing HTTP/1.1\r\n" + host + "\r\n",
			methods:    []string{"GET", "GET", "GET"},
			deviations: []string{strings.Replace(devErrorPageLength, "response 1", "response 3", 1)},
			check: func(t *testing.T, native, box *result) {
				for _, r := range []*result{native, box} {
					require.Len(t, r.responses, 3)
					require.Equal(t, "Hello, world!\n", string(r.responses[1].body))
					require.Equal(t, 404, r.responses[2].status)
					require.True(t, r.closed)
				}
			}},
		{name: "not found", raw: "GET /nothing HTTP/1.1\r\n" + host + "\r\n", methods: []string{"GET"},
			deviations: []string{devErrorPageLength},
			check:      requireNotFound},
		{name: "not found HTTP/1.0", raw: "GET /nothing HTTP/1.0\r\n\r\n", methods: []string{"GET"},
			deviations: []string{devErrorPageLength},
			check:      requireNotFound},
	}
}

// echoCases run against examples/echo.
func echoCases() []rawCase {
	small := "Hello, echo!\n"
	post := func(method, body string) string {
		return method + " /echo HTTP/1.1\r\n" + host + "Content-Type: text/plain\r\nContent-Length: " +
			strconv.Itoa(len(body)) + "\r\n\r\n" + body
	}
	chunked := "POST /echo HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n" +
		"5\r\nHello\r\n8\r\n, chunks\r\n1\r\n!\r\n0\r\n\r\n"
	chunkedExt := strings.Replace(chunked, "1\r\n!", "1;ext=1\r\n!", 1)
	chunkedTrailer := "POST /echo HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n" +
		"5\r\nHello\r\n0\r\nX-Trailer: 1\r\n\r\n"
	big := make([]byte, 1<<20)
	for i := range big {
		big[i] = byte(i*7 + i>>8)
	}
	echoed := func(want string) func(t *testing.T, native, box *result) {
		return func(t *testing.T, native, box *result) {
			for _, r := range []*result{native, box} {
				require.Len(t, r.responses, 1)
				require.Equal(t, 200, r.responses[0].status)
				require.Equal(t, "application/octet-stream", r.responses[0].header.Get("Content-Type"))
				require.True(t, bytes.Equal([]byte(want), r.responses[0].body), "echoed body, %d bytes", len(r.responses[0].body))
			}
		}
	}
	return []rawCase{
		{name: "POST small", raw: post("POST", small), methods: []string{"POST"}, check: echoed(small)},
		{name: "POST 1 MiB", raw: post("POST", string(big)), methods: []string{"POST"}, check: echoed(string(big))},
		{name: "POST chunked", raw: chunked, methods: []string{"POST"}, check: echoed("Hello, chunks!")},
		{name: "POST chunked with extension", raw: chunkedExt, methods: []string{"POST"},
			deviations: []string{
				// A chunk extension (";ext=1", valid HTTP/1.1) makes
				// CivetWeb 1.15's chunked decoder fail: the handler's
				// mg_read sees an empty body, the echo is empty and CivetWeb
				// closes the connection. civetbox (Go's net/http) ignores
				// the extension as RFC 9112 says.
				`response 1 body: native "", civetbox "Hello, chunks!"`,
				"connection after the last response: native closed, civetbox open",
			},
			check: func(t *testing.T, native, box *result) { echoed("Hello, chunks!")(t, box, box) }},
		{name: "POST chunked with trailer", raw: chunkedTrailer, methods: []string{"POST"},
			deviations: []string{
				// A trailer field after the last chunk (valid HTTP/1.1):
				// both echo the body, but CivetWeb 1.15 then closes the
				// connection without saying so; civetbox (Go's net/http)
				// consumes the trailer and keeps the connection.
				"connection after the last response: native closed, civetbox open",
			},
			check: echoed("Hello")},
		{name: "PUT", raw: post("PUT", small), methods: []string{"PUT"}, check: echoed(small)},
		{name: "POST empty", raw: post("POST", ""), methods: []string{"POST"}, check: echoed("")},
		// No Content-Length and not chunked: the body is empty, and the
		// handler sees content_length -1 and answers chunked.
		{name: "POST no length", raw: "POST /echo HTTP/1.1\r\n" + host + "\r\n", methods: []string{"POST"}, check: echoed("")},
		{name: "POST HTTP/1.0", raw: strings.Replace(post("POST", small), "HTTP/1.1", "HTTP/1.0", 1),
			methods: []string{"POST"}, check: echoed(small)},
		{name: "POST HTTP/1.0 no length", raw: "POST /echo HTTP/1.0\r\n\r\n", methods: []string{"POST"},
			deviations: []string{
				// The handler asks for a chunked response (content_length
				// -1). CivetWeb 1.15 sends "Transfer-Encoding: chunked" and
				// chunk framing even to an HTTP/1.0 client, which reads the
				// framing as body bytes. civetbox (Go's net/http) never
				// chunks for HTTP/1.0: it drops the header and sends the
				// body close-delimited.
				"response 1 framing: native chunked, civetbox close-delimited",
				`response 1 body: native "0\r\n\r\n", civetbox ""`,
			},
			check: func(t *testing.T, native, box *result) {
				require.Empty(t, box.responses[0].rawHeader("Transfer-Encoding"))
				require.Empty(t, box.responses[0].body)
				require.True(t, box.closed)
			}},
		{name: "keep-alive POST POST PUT", raw: post("POST", small) + chunked + post("PUT", "x"),
			methods: []string{"POST", "POST", "PUT"},
			check: func(t *testing.T, native, box *result) {
				for _, r := range []*result{native, box} {
					require.Len(t, r.responses, 3)
					require.False(t, r.closed)
					require.Equal(t, "Hello, chunks!", string(r.responses[1].body))
					require.Equal(t, "chunked", r.responses[1].framing)
				}
			}},
		{name: "not found", raw: "GET /nothing HTTP/1.1\r\n" + host + "\r\n", methods: []string{"GET"},
			deviations: []string{devErrorPageLength},
			check:      requireNotFound},
	}
}

func requireHello(t *testing.T, r *result) {
	t.Helper()
	require.Len(t, r.responses, 1)
	require.Equal(t, 200, r.responses[0].status)
	require.Equal(t, "text/plain", r.responses[0].header.Get("Content-Type"))
	require.Equal(t, "Hello, world!\n", string(r.responses[0].body))
}

// requireNotFound checks the 404 page both servers send for a URI without
// a handler (no document_root): CivetWeb's error page.
func requireNotFound(t *testing.T, native, box *result) {
	t.Helper()
	for _, r := range []*result{native, box} {
		require.Len(t, r.responses, 1)
		resp := r.responses[0]
		require.Equal(t, 404, resp.status)
		require.Equal(t, "Error 404: Not Found\nNot Found", string(resp.body))
		require.Equal(t, "text/plain; charset=utf-8", resp.header.Get("Content-Type"))
		require.Equal(t, "no-cache, no-store, must-revalidate, private, max-age=0", resp.header.Get("Cache-Control"))
		require.True(t, resp.saysClose, "the error page says Connection: close")
		require.True(t, r.closed)
	}
}

func TestNative_matchesCivetWeb(t *testing.T) {
	cc := toolchain.NativeCivetWeb(t)
	examples := []struct {
		name  string
		cases []rawCase
	}{
		{"hello", helloCases()},
		{"echo", echoCases()},
	}
	for _, ex := range examples {
		t.Run(ex.name, func(t *testing.T) {
			t.Parallel()
			bin := nativecivet.Build(t, cc, filepath.Join(ex.name, ex.name+".c"))
			nativeAddr := nativecivet.Start(t, bin, nativeOptions...).Addr
			wasm, err := os.ReadFile(filepath.Join(ex.name, ex.name+".wasm"))
			require.NoError(t, err)
			enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
				boxAddr := serveSandboxed(t, eng, ex.name, wasm)
				for _, c := range ex.cases {
					t.Run(c.name, func(t *testing.T) {
						native, box := roundTripBoth(t, nativeAddr, boxAddr, c)
						t.Logf("native CivetWeb: %s", native)
						t.Logf("civetbox:        %s", box)
						require.NoError(t, closeConsistent(native), "native CivetWeb")
						require.NoError(t, closeConsistent(box), "civetbox")
						require.Equal(t, c.deviations, compare(native, box),
							"differences between native CivetWeb (%s) and civetbox (%s)", nativeAddr, boxAddr)
						if c.check != nil {
							c.check(t, native, box)
						}
					})
				}
			})
		})
	}
}

// ---- servers -----------------------------------------------------------------

// serveSandboxed loads the committed module and serves it on 127.0.0.1.
func serveSandboxed(t *testing.T, eng engine.Engine, name string, wasm []byte) string {
	t.Helper()
	logs := &testutil.SyncBuffer{}
	h, err := runtime.Load(context.Background(), eng, wasm, runtime.Config{
		Name:   name,
		Logger: slog.New(slog.NewTextHandler(logs, nil)),
	})
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		srv.Close()
		require.NoError(t, h.Close(context.Background()))
		if t.Failed() && logs.String() != "" {
			t.Logf("civetbox log:\n%s", logs)
		}
	})
	return srv.Listener.Addr().String()
}

// ---- one connection ---------------------------------------------------------

// response is one parsed response. Header names are kept as the server
// spelled them, values canonicalized by net/textproto; noisy headers are
// left out of names and header.
type response struct {
	statusLine string // e.g. "HTTP/1.1 200 OK"
	status     int
	names      []string           // sorted raw header names
	header     http.Header        // canonical names
	raw        nativecivet.Fields // every raw header line, noisy ones included
	framing    string             // "content-length N", "chunked", "close-delimited" or "none"
	saysClose  bool               // the response announces the connection ends after it
	body       []byte             // de-framed
}

func (r response) rawHeader(name string) string {
	v, _ := r.raw.Get(name)
	return v
}

// result is what one connection received.
type result struct {
	responses []response
	closed    bool   // the server closed the connection after the last response
	trailing  []byte // bytes after the last complete response
	err       string // a response that could not be parsed
}

// String summarizes r for logs: status lines, raw headers, body sizes.
func (r *result) String() string {
	var b strings.Builder
	for i, resp := range r.responses {
		fmt.Fprintf(&b, "[%d] %q", i+1, resp.statusLine)
		for _, h := range resp.raw {
			fmt.Fprintf(&b, " | %s: %s", h[0], h[1])
		}
		fmt.Fprintf(&b, " | body %d bytes; ", len(resp.body))
	}
	state := map[bool]string{true: "closed", false: "open"}
	fmt.Fprintf(&b, "connection %s", state[r.closed])
	if len(r.trailing) > 0 {
		fmt.Fprintf(&b, ", trailing %q", r.trailing)
	}
	if r.err != "" {
		fmt.Fprintf(&b, ", error %q", r.err)
	}
	return b.String()
}

// roundTrip writes c.raw on a new connection to addr and reads one response
// per method, then whether the connection stays open. Notes are things
// worth logging (a request the server did not read completely).
func roundTrip(addr string, c rawCase) (res *result, notes []string, err error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, nil, err
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(10 * time.Second)); err != nil {
		return nil, nil, err
	}
	written := make(chan error, 1)
	go func() { // concurrently: an echo answers while the body is sent
		_, err := io.WriteString(conn, c.raw)
		written <- err
	}()

	wire := nativecivet.NewReader(conn)
	res = &result{}
	for _, method := range c.methods {
		resp, head, err := wire.ReadResponse(method)
		if err != nil {
			if errors.Is(err, io.EOF) && len(head) == 0 {
				res.closed = true // closed before this response
			} else {
				res.err = err.Error()
			}
			break
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			res.err = "body: " + err.Error()
			break
		}
		res.responses = append(res.responses, parseHead(head, resp, body))
	}
	if !res.closed && res.err == "" {
		// Anything more, and is the connection kept?
		if err := conn.SetReadDeadline(time.Now().Add(idleProbe)); err != nil {
			return nil, nil, err
		}
		rest, err := io.ReadAll(wire)
		res.trailing = rest
		switch {
		case err == nil:
			res.closed = true
		case errors.Is(err, os.ErrDeadlineExceeded):
			res.closed = false
		default:
			res.closed = true
			res.err = "after the last response: " + err.Error()
		}
	}
	select {
	case err := <-written:
		if err != nil {
			notes = append(notes, fmt.Sprintf("%s: writing the request: %v", addr, err))
		}
	default:
		notes = append(notes, fmt.Sprintf("%s: the request was not fully written", addr))
	}
	return res, notes, nil
}

// roundTripBoth runs c against both servers at the same time.
func roundTripBoth(t *testing.T, nativeAddr, boxAddr string, c rawCase) (native, box *result) {
	t.Helper()
	var nativeNotes, boxNotes []string
	var nativeErr, boxErr error
	var wg sync.WaitGroup
	wg.Go(func() { native, nativeNotes, nativeErr = roundTrip(nativeAddr, c) })
	wg.Go(func() { box, boxNotes, boxErr = roundTrip(boxAddr, c) })
	wg.Wait()
	require.NoError(t, nativeErr, "native CivetWeb")
	require.NoError(t, boxErr, "civetbox")
	for _, n := range append(nativeNotes, boxNotes...) {
		t.Log(n)
	}
	return native, box
}

func parseHead(head []byte, resp *http.Response, body []byte) response {
	r := response{
		status:    resp.StatusCode,
		saysClose: resp.Close,
		body:      body,
		framing:   "close-delimited",
	}
	r.statusLine, r.raw = nativecivet.ParseHead(head)
	r.names, r.header = r.raw.Compared(noisyHeaders)
	switch te, cl := r.rawHeader("Transfer-Encoding"), r.rawHeader("Content-Length"); {
	case te != "":
		r.framing = te
	case cl != "":
		r.framing = "content-length " + cl
	case resp.Request != nil && resp.Request.Method == http.MethodHead,
		resp.StatusCode == 204, resp.StatusCode == 304, resp.StatusCode < 200:
		r.framing = "none"
	}
	return r
}

// closeConsistent checks a server that announces the end of the connection
// (Connection: close, or HTTP/1.0 without keep-alive) does end it there.
func closeConsistent(r *result) error {
	return nativecivet.CloseConsistent(r.responses, func(resp response) bool { return resp.saysClose }, r.closed)
}

// ---- comparison ----------------------------------------------------------------

// compare lists every difference between what native CivetWeb and civetbox
// sent on one connection, as stable one-line descriptions.
func compare(native, box *result) []string {
	var diffs []string
	add := func(format string, args ...any) { diffs = append(diffs, fmt.Sprintf(format, args...)) }
	if native.err != box.err {
		add("error: native %q, civetbox %q", native.err, box.err)
	}
	if len(native.responses) != len(box.responses) {
		add("responses: native %d, civetbox %d", len(native.responses), len(box.responses))
	}
	for i := range min(len(native.responses), len(box.responses)) {
		n, b := native.responses[i], box.responses[i]
		p := fmt.Sprintf("response %d ", i+1)
		if n.statusLine != b.statusLine {
			add(p+"status line: native %q, civetbox %q", n.statusLine, b.statusLine)
		}
		if !slices.Equal(n.names, b.names) {
			add(p+"header names: native %q, civetbox %q", n.names, b.names)
		}
		keys := map[string]bool{}
		for k := range n.header {
			keys[k] = true
		}
		for k := range b.header {
			keys[k] = true
		}
		for _, k := range slices.Sorted(maps.Keys(keys)) {
			if !slices.Equal(n.header[k], b.header[k]) {
				add(p+"header %s: native %q, civetbox %q", k, n.header[k], b.header[k])
			}
		}
		if n.framing != b.framing {
			add(p+"framing: native %s, civetbox %s", n.framing, b.framing)
		}
		if n.saysClose != b.saysClose {
			add(p+"says close: native %t, civetbox %t", n.saysClose, b.saysClose)
		}
		if !bytes.Equal(n.body, b.body) {
			add(p+"body: %s", nativecivet.BodyDiff(n.body, b.body))
		}
	}
	if native.closed != box.closed {
		state := map[bool]string{true: "closed", false: "open"}
		add("connection after the last response: native %s, civetbox %s", state[native.closed], state[box.closed])
	}
	if !bytes.Equal(native.trailing, box.trailing) {
		add("trailing bytes: native %q, civetbox %q", native.trailing, box.trailing)
	}
	return diffs
}

// TestNative_comparatorDetectsDifferences proves each comparison can fail:
// one change to an otherwise identical result must be reported.
func TestNative_comparatorDetectsDifferences(t *testing.T) {
	base := func() *result {
		body := bytes.Repeat([]byte("0123456789"), 100)
		return &result{responses: []response{{
			statusLine: "HTTP/1.1 200 OK", status: 200,
			names:   []string{"Content-Type", "X-Test"},
			header:  http.Header{"Content-Type": {"text/plain"}, "X-Test": {"a"}},
			framing: "content-length 1000", body: body,
		}}}
	}
	require.Empty(t, compare(base(), base()))
	mutations := []struct {
		name   string
		mutate func(r *result)
		want   string
	}{
		{"body byte", func(r *result) { r.responses[0].body[500] ^= 1 }, "response 1 body: native 1000 bytes, civetbox 1000 bytes, first difference at offset 500"},
		{"body length", func(r *result) { r.responses[0].body = r.responses[0].body[:999] }, "first difference at offset 999"},
		{"short body", func(r *result) { r.responses[0].body = []byte("0") }, "native 1000 bytes, civetbox 1 bytes, first difference at offset 1"},
		{"status", func(r *result) { r.responses[0].statusLine = "HTTP/1.1 201 Created" }, "response 1 status line"},
		{"header value", func(r *result) { r.responses[0].header.Set("X-Test", "b") }, `response 1 header X-Test: native ["a"], civetbox ["b"]`},
		{"extra header", func(r *result) { r.responses[0].header.Set("X-More", "1") }, "response 1 header X-More"},
		{"header name case", func(r *result) { r.responses[0].names[1] = "X-test" }, "response 1 header names"},
		{"framing", func(r *result) { r.responses[0].framing = "chunked" }, "response 1 framing: native content-length 1000, civetbox chunked"},
		{"says close", func(r *result) { r.responses[0].saysClose = true }, "response 1 says close"},
		{"closed", func(r *result) { r.closed = true }, "connection after the last response: native open, civetbox closed"},
		{"trailing", func(r *result) { r.trailing = []byte("x") }, "trailing bytes"},
		{"count", func(r *result) { r.responses = append(r.responses, r.responses[0]) }, "responses: native 1, civetbox 2"},
		{"error", func(r *result) { r.err = "malformed" }, "error:"},
	}
	for _, m := range mutations {
		t.Run(m.name, func(t *testing.T) {
			box := base()
			m.mutate(box)
			diffs := compare(base(), box)
			require.Len(t, diffs, 1, "%q", diffs)
			require.Contains(t, diffs[0], m.want)
		})
	}
}
