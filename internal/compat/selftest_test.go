package compat

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// The comparator must be able to fail: these tests change one thing in
// otherwise identical answers and require the difference to be reported.

func baseResult() *result {
	body := bytes.Repeat([]byte("0123456789"), 100)
	return &result{responses: []response{{
		statusLine: "HTTP/1.1 200 OK", status: 200,
		names:   []string{"Content-Type", "X-Test"},
		header:  http.Header{"Content-Type": {"text/plain"}, "X-Test": {"a"}},
		framing: "content-length 1000", body: body,
	}}}
}

func TestCompare_detectsEachDifference(t *testing.T) {
	require.Empty(t, compare(baseResult(), baseResult()))
	mutations := []struct {
		name   string
		mutate func(r *result)
		want   string
	}{
		{"body byte", func(r *result) { r.responses[0].body[500] ^= 1 }, "response 1 body: native 1000 bytes, civetbox 1000 bytes, first difference at offset 500"},
		{"body length", func(r *result) { r.responses[0].body = r.responses[0].body[:999] }, "first difference at offset 999"},
		{"short body", func(r *result) { r.responses[0].body = []byte("0") }, "native 1000 bytes, civetbox 1 bytes, first difference at offset 1"},
		{"status", func(r *result) { r.responses[0].statusLine = "HTTP/1.1 201 Created" }, "response 1 status line"},
		{"reason phrase", func(r *result) { r.responses[0].statusLine = "HTTP/1.1 200 Fine" }, `"HTTP/1.1 200 Fine"`},
		{"interim", func(r *result) { r.responses[0].interim = []string{"HTTP/1.1 100 Continue"} }, "response 1 interim responses"},
		{"header value", func(r *result) { r.responses[0].header.Set("X-Test", "b") }, `response 1 header X-Test: native ["a"], civetbox ["b"]`},
		{"extra header", func(r *result) { r.responses[0].header.Set("X-More", "1") }, "response 1 header X-More"},
		{"repeated header", func(r *result) { r.responses[0].header.Add("X-Test", "a") }, `native ["a"], civetbox ["a" "a"]`},
		{"header name spelling", func(r *result) { r.responses[0].names[1] = "X-test" }, `response 1 header name spelling: native ["X-Test"], civetbox ["X-test"]`},
		{"trailer", func(r *result) { r.responses[0].trailer = http.Header{"X-T": {"1"}} }, "response 1 trailer X-T"},
		{"closed", func(r *result) { r.closed = true }, "connection afterwards: native open, civetbox closed"},
		{"trailing", func(r *result) { r.trailing = []byte("x") }, "trailing bytes"},
		{"count", func(r *result) { r.responses = append(r.responses, r.responses[0]) }, "responses: native 1, civetbox 2"},
		{"error", func(r *result) { r.err = "malformed" }, "error:"},
		{"observation count", func(r *result) { r.observed = []string{"rc 0"} }, `observations: native [], civetbox ["rc 0"]`},
	}
	for _, m := range mutations {
		t.Run(m.name, func(t *testing.T) {
			box := baseResult()
			m.mutate(box)
			diffs := compare(baseResult(), box)
			require.Len(t, diffs, 1, "%q", diffs)
			require.Contains(t, diffs[0], m.want)
			// And an undeclared difference fails the case.
			require.Error(t, verify(testCase{name: m.name}, baseResult(), box))
			require.NoError(t, verify(testCase{name: m.name, devs: []dev{{"any", diffs[0]}}}, baseResult(), box))
		})
	}
	observed := baseResult()
	observed.observed = []string{"rc 0", "rc 1"}
	other := baseResult()
	other.observed = []string{"rc 0", "rc 2"}
	require.Equal(t, []string{`observation 2: native "rc 1", civetbox "rc 2"`}, compare(observed, other))

	// A declared difference that does not happen fails too.
	require.Error(t, verify(testCase{devs: []dev{{"any", "trailing bytes: native \"\", civetbox \"x\""}}}, baseResult(), baseResult()))
}

// fakeServer answers every request on a connection with response, and the
// probe request as civetbox does (400), then closes. With closeAfter it
// closes after the first response instead.
func fakeServer(t *testing.T, response string, closeAfter bool) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var wg sync.WaitGroup
	t.Cleanup(func() {
		ln.Close()
		wg.Wait()
	})
	wg.Go(func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() {
				defer conn.Close()
				br := bufio.NewReader(conn)
				for {
					line, err := br.ReadString('\n')
					if err != nil {
						return
					}
					for { // the rest of the head; the requests have no body
						h, err := br.ReadString('\n')
						if err != nil || h == "\r\n" {
							break
						}
					}
					if strings.Contains(line, "/compat-probe") {
						io.WriteString(conn, "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n400 Bad Request")
						return
					}
					io.WriteString(conn, response)
					if closeAfter {
						return
					}
				}
			})
		}
	})
	return ln.Addr().String()
}

// TestCompare_endToEnd runs the whole client side (raw requests, response
// parsing, the probe) against two fake servers that answer alike but for
// one perturbation.
func TestCompare_endToEnd(t *testing.T) {
	good := "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n\r\nhello\n"
	c := testCase{name: "two requests", steps: []step{{get("/a")}, {get("/b"), get("/c")}}}
	for _, p := range []struct {
		name       string
		response   string
		closeAfter bool
		want       []string
	}{
		{"identical", good, false, nil},
		{"body", strings.Replace(good, "hello", "hellO", 1), false, []string{
			`response 1 body: native "hello\n", civetbox "hellO\n"`,
			`response 2 body: native "hello\n", civetbox "hellO\n"`,
			`response 3 body: native "hello\n", civetbox "hellO\n"`,
		}},
		{"framing only", "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhel\r\n3\r\nlo\n\r\n0\r\n\r\n", false, nil},
		{"header", strings.Replace(good, "text/plain", "text/html", 1), false, []string{
			`response 1 header Content-Type: native ["text/plain"], civetbox ["text/html"]`,
			`response 2 header Content-Type: native ["text/plain"], civetbox ["text/html"]`,
			`response 3 header Content-Type: native ["text/plain"], civetbox ["text/html"]`,
		}},
		{"closes early", good, true, []string{
			"responses: native 3, civetbox 1",
			"connection afterwards: native open, civetbox closed",
		}},
		{"extra bytes", good + "junk", false, []string{
			`error: native "", civetbox "malformed response: malformed HTTP version \"junkHTTP/1.1\""`,
			"responses: native 3, civetbox 1",
		}},
	} {
		t.Run(p.name, func(t *testing.T) {
			native, err := roundTrip(fakeServer(t, good, false), c, boxProbeAnswer)
			require.NoError(t, err)
			require.Len(t, native.responses, 3)
			require.False(t, native.closed)
			box, err := roundTrip(fakeServer(t, p.response, p.closeAfter), c, boxProbeAnswer)
			require.NoError(t, err)
			require.Equal(t, sortedCopy(p.want), sortedCopy(compare(native, box)), "native: %s\ncivetbox: %s", native, box)
		})
	}
}
