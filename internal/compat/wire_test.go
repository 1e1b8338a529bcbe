package compat

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/civetbox/civetbox/internal/nativecivet"
)

// This file is the client side of the suite: it sends a case's raw bytes on
// one TCP connection, reads the responses with net/http's parser, finds out
// whether the server keeps the connection, and compares two results.

// noisyHeaders are response headers left out of the header comparison.
// Date and Server differ between any two servers. Content-Length,
// Transfer-Encoding and Connection are the message framing, which is
// compared in its own way: the de-framed body bytes, and whether the server
// still answers on the connection afterwards.
var noisyHeaders = []string{"Date", "Server", "Content-Length", "Transfer-Encoding", "Connection"}

// connDeadline bounds a whole case on one connection. It is a safety net
// against a server that stops answering, never an assertion: the slowest
// case (10 MiB read in 7-byte pieces under -race) takes a fraction of it.
const connDeadline = 120 * time.Second

// probeRequest is sent after a case's last response to find out, without
// waiting for a timer, whether the server kept the connection: a server
// that did answers it; one that closed it cannot. Its malformed
// Content-Length makes each server answer with a status no handler in the
// suite uses, before any handler runs, so the answer is easy to tell from
// stray bytes of the case: see probeAnswer.
const probeRequest = "GET /compat-probe HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: x\r\nConnection: close\r\n\r\n"

// Status lines that start each server's answer to probeRequest.
const (
	nativeProbeAnswer = "HTTP/1.1 411 " // CivetWeb: "Length Required", "Bad request"
	boxProbeAnswer    = "HTTP/1.1 400 " // Go's net/http: "bad Content-Length"
)

// response is one parsed response.
type response struct {
	interim    []string // status lines of 1xx responses before it
	statusLine string   // e.g. "HTTP/1.1 200 OK"
	status     int
	raw        nativecivet.Fields // every header line as sent, noisy ones included
	names      []string           // sorted names of compared headers, spelled as sent
	header     http.Header        // compared headers, canonical names
	trailer    http.Header        // chunked trailer fields, if any
	framing    string             // "content-length N", "chunked", "close-delimited" or "none"
	saysClose  bool               // announces that the connection ends after it
	body       []byte             // de-framed
}

func (r response) rawHeader(name string) (string, bool) { return r.raw.Get(name) }

// result is what one connection received.
type result struct {
	responses []response
	closed    bool   // the server no longer answered on the connection
	trailing  []byte // bytes after the last expected response
	err       string // a response that could not be read or parsed
	notes     []string
	observed  []string // what handlers reported with mg_cry(observePrefix...)
	log       string   // civetbox only: what the module and http.Server logged meanwhile
}

// String summarizes r for logs.
func (r *result) String() string {
	var b strings.Builder
	for i, resp := range r.responses {
		fmt.Fprintf(&b, "\n  [%d]", i+1)
		for _, s := range resp.interim {
			fmt.Fprintf(&b, " %q then", s)
		}
		fmt.Fprintf(&b, " %q", resp.statusLine)
		for _, h := range resp.raw {
			fmt.Fprintf(&b, " | %s: %s", h[0], h[1])
		}
		fmt.Fprintf(&b, " | %s, body %d bytes %s", resp.framing, len(resp.body), abbreviate(resp.body))
	}
	if r.err == "" {
		fmt.Fprintf(&b, "\n  connection %s", openClosed(r.closed))
	}
	if len(r.trailing) > 0 {
		fmt.Fprintf(&b, ", trailing %s", abbreviate(r.trailing))
	}
	if r.err != "" {
		fmt.Fprintf(&b, ", error %q", r.err)
	}
	for _, o := range r.observed {
		fmt.Fprintf(&b, "\n  observed: %q", o)
	}
	for _, n := range r.notes {
		fmt.Fprintf(&b, "\n  note: %s", n)
	}
	return b.String()
}

func abbreviate(b []byte) string {
	if len(b) > 300 {
		return fmt.Sprintf("%q...", b[:300])
	}
	return fmt.Sprintf("%q", b)
}

func openClosed(closed bool) string {
	if closed {
		return "closed"
	}
	return "open"
}

// roundTrip runs c on a new connection to addr. Each step's bytes are
// written (concurrently with reading, so a server may answer while a large
// body is still being sent) and its responses read before the next step is
// written. Then probeRequest tells whether the connection is still served;
// probeAnswer is how this server's answer to it starts.
func roundTrip(addr string, c testCase, probeAnswer string) (*result, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(connDeadline)); err != nil {
		return nil, err
	}
	res := &result{}
	wire := nativecivet.NewReader(conn)

	// One writer at a time, in order; a server that stops reading (it
	// answered early, or closed) only makes a write fail, which is noted.
	var writing chan error
	var writingWhat string
	write := func(what, data string) {
		if writing != nil {
			if err := <-writing; err != nil {
				res.notes = append(res.notes, fmt.Sprintf("writing %s: %v", writingWhat, err))
			}
		}
		writing, writingWhat = make(chan error, 1), what
		go func(done chan<- error) {
			_, err := io.WriteString(conn, data)
			done <- err
		}(writing)
	}

read:
	for i, s := range c.steps {
		write(fmt.Sprintf("step %d", i+1), strings.Join(s, ""))
		for _, req := range s {
			resp, err := readResponse(wire, requestMethod(req))
			if err != nil {
				if errors.Is(err, errClosed) {
					res.closed = true
				} else {
					res.err = err.Error()
				}
				break read
			}
			res.responses = append(res.responses, *resp)
		}
	}
	if res.closed || res.err != "" {
		return res, nil
	}

	// Is the connection still served?
	write("the probe", probeRequest)
	rest, err := io.ReadAll(wire)
	if err != nil && !isConnReset(err) {
		res.err = "after the last response: " + err.Error()
	}
	if i := bytes.LastIndex(rest, []byte(probeAnswer)); i >= 0 {
		res.trailing = rest[:i]
	} else {
		res.trailing = rest
		res.closed = true
	}
	if len(res.trailing) == 0 {
		res.trailing = nil
	}
	return res, nil
}

// errClosed is a connection that ended cleanly before a response started.
var errClosed = errors.New("closed before the response")

// readResponse reads one final response, and any interim 1xx ones before
// it.
func readResponse(wire *nativecivet.Reader, method string) (*response, error) {
	var interim []string
	for {
		if _, err := wire.Peek(1); err != nil {
			if errors.Is(err, io.EOF) || isConnReset(err) {
				return nil, errClosed
			}
			return nil, err
		}
		resp, head, err := wire.ReadResponse(method)
		if err != nil {
			return nil, fmt.Errorf("malformed response: %v", err)
		}
		if resp.StatusCode >= 100 && resp.StatusCode < 200 && resp.StatusCode != http.StatusSwitchingProtocols {
			statusLine, _ := nativecivet.ParseHead(head)
			interim = append(interim, statusLine)
			continue
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("response body: %v (%d bytes read)", err, len(body))
		}
		r := parseHead(head, resp, body)
		r.interim = interim
		return &r, nil
	}
}

func isConnReset(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && strings.Contains(op.Err.Error(), "connection reset")
}

// requestMethod is the method of a raw request: its first word.
func requestMethod(raw string) string {
	method, _, _ := strings.Cut(raw, " ")
	return method
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
	maskDigestNonce(r.header["Www-Authenticate"]) // see cases_digest_test.go
	if len(resp.Trailer) > 0 {
		r.trailer = resp.Trailer
	}
	te, hasTE := r.rawHeader("Transfer-Encoding")
	cl, hasCL := r.rawHeader("Content-Length")
	switch {
	case hasTE && resp.ProtoAtLeast(1, 1):
		r.framing = te
	case hasCL:
		r.framing = "content-length " + cl
	case resp.Request != nil && resp.Request.Method == http.MethodHead,
		resp.StatusCode == 204, resp.StatusCode == 304:
		r.framing = "none"
	}
	return r
}

// compare lists every difference between what native CivetWeb and civetbox
// sent on one connection, as stable one-line descriptions.
func compare(native, box *result) []string {
	var diffs []string
	add := func(format string, args ...any) { diffs = append(diffs, fmt.Sprintf(format, args...)) }
	if native.err != box.err {
		add("error: native %q, civetbox %q", native.err, box.err)
	}
	if len(native.observed) != len(box.observed) {
		add("observations: native %q, civetbox %q", native.observed, box.observed)
	} else {
		for i := range native.observed {
			if native.observed[i] != box.observed[i] {
				add("observation %d: %s", i+1, nativecivet.BodyDiff([]byte(native.observed[i]), []byte(box.observed[i])))
			}
		}
	}
	if len(native.responses) != len(box.responses) {
		add("responses: native %d, civetbox %d", len(native.responses), len(box.responses))
	}
	for i := range min(len(native.responses), len(box.responses)) {
		n, b := native.responses[i], box.responses[i]
		p := fmt.Sprintf("response %d ", i+1)
		if !slices.Equal(n.interim, b.interim) {
			add(p+"interim responses: native %q, civetbox %q", n.interim, b.interim)
		}
		if n.statusLine != b.statusLine {
			add(p+"status line: native %q, civetbox %q", n.statusLine, b.statusLine)
		}
		for _, k := range slices.Sorted(maps.Keys(mergeKeys(n.header, b.header))) {
			ns, bs := spellings(n.names, k), spellings(b.names, k)
			if len(ns) > 0 && len(bs) > 0 && !slices.Equal(ns, bs) {
				add(p+"header name spelling: native %q, civetbox %q", ns, bs)
			}
		}
		for _, k := range slices.Sorted(maps.Keys(mergeKeys(n.header, b.header))) {
			if !slices.Equal(n.header[k], b.header[k]) {
				add(p+"header %s: native %q, civetbox %q", k, n.header[k], b.header[k])
			}
		}
		for _, k := range slices.Sorted(maps.Keys(mergeKeys(n.trailer, b.trailer))) {
			if !slices.Equal(n.trailer[k], b.trailer[k]) {
				add(p+"trailer %s: native %q, civetbox %q", k, n.trailer[k], b.trailer[k])
			}
		}
		if !bytes.Equal(n.body, b.body) {
			add(p+"body: %s", nativecivet.BodyDiff(n.body, b.body))
		}
	}
	if native.err != "" || box.err != "" {
		// Reading stopped at the error: what follows is unknown.
		return diffs
	}
	if native.closed != box.closed {
		add("connection afterwards: native %s, civetbox %s", openClosed(native.closed), openClosed(box.closed))
	}
	if !bytes.Equal(native.trailing, box.trailing) {
		add("trailing bytes: native %s, civetbox %s", abbreviate(native.trailing), abbreviate(box.trailing))
	}
	return diffs
}

// spellings returns the names that are key in canonical form.
func spellings(names []string, key string) []string {
	var s []string
	for _, n := range names {
		if http.CanonicalHeaderKey(n) == key {
			s = append(s, n)
		}
	}
	return s
}

func mergeKeys(a, b http.Header) map[string]bool {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	return keys
}

// closeConsistent checks that a server announcing the end of the connection
// ends it there.
func closeConsistent(r *result) error {
	return nativecivet.CloseConsistent(r.responses, func(resp response) bool { return resp.saysClose }, r.closed)
}
