// Package response turns what a CivetWeb-style guest sends into
// http.ResponseWriter calls. A guest may write a raw HTTP/1.x response with
// mg_write/mg_printf (status line, headers, even its own chunk framing) or use
// the structured calls (mg_response_header_*); both end up as one validated
// head and a re-framed body, so the same guest works over HTTP/1.1 and
// HTTP/2, and nothing malformed reaches the wire.
package response

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"golang.org/x/net/http/httpguts"
)

// MaxHeaders is how many header lines a structured head may carry, CivetWeb's
// MG_MAX_HEADERS.
const MaxHeaders = 64

// Errors the structured API reports with CivetWeb's codes.
var (
	// ErrState is a call made out of order ("invalid connection status").
	ErrState = errors.New("response: call out of order")
	// ErrTooManyHeaders is a structured head over MaxHeaders lines.
	ErrTooManyHeaders = errors.New("response: too many headers")
	// ErrBodyComplete is body data after a chunked body's last chunk. The
	// response already sent stays valid; the extra bytes are dropped.
	ErrBodyComplete = errors.New("response: data after the end of a chunked body")
)

type state byte

const (
	stateNone       state = iota // nothing sent
	stateRawHead                 // collecting a raw head written with mg_write
	stateStructured              // mg_response_header_start called, not sent
	stateBody                    // head sent to net/http, body streaming
	stateFailed                  // the guest's response was refused
)

// Writer translates one guest response. It is not safe for concurrent use.
type Writer struct {
	w          http.ResponseWriter
	state      state
	head       []byte // raw head bytes so far
	headLines  int    // length of head's complete, non-blank lines, already scanned
	status     int
	numHeaders int
	chunked    bool // the guest frames its body with chunked encoding
	chunks     chunkDecoder
	committed  bool     // a final status went to net/http
	remaining  int64    // body bytes the declared Content-Length still allows; -1 for none
	err        error    // why the response failed
	dropped    int64    // body bytes not sent: over Content-Length, or for 204/304
	values     []string // backing for the values of a raw head being applied
	// valuesBuf backs values for the first raw head that fits, so the usual
	// response needs no allocation for them; a later head (after a 1xx)
	// allocates, as net/http may still hold the first one's values.
	valuesBuf     [8]string
	valuesBufUsed bool
	http2         bool       // see OverHTTP2
	heads         *HeadCache // see UseHeadCache; nil for none
}

// New returns a Writer sending to w.
func New(w http.ResponseWriter) *Writer { return &Writer{w: w} }

// Reset makes rw a new Writer sending to w, as New does, for a Writer
// embedded in a per-request struct.
func (rw *Writer) Reset(w http.ResponseWriter) { *rw = Writer{w: w} }

// OverHTTP2 tells rw that the response goes out over HTTP/2, where a
// Connection header has no meaning (RFC 9113, section 8.2.2): Go's server
// takes one as a request to shut the whole connection down, which would end
// every other stream the client multiplexes on it, so rw drops it.
func (rw *Writer) OverHTTP2() { rw.http2 = true }

// UseHeadCache makes rw apply a raw head the guest sent before from c, and
// remember in c a new one; nil stops that. Reset forgets c.
func (rw *Writer) UseHeadCache(c *HeadCache) { rw.heads = c }

// Started reports whether the guest has sent anything.
func (rw *Writer) Started() bool { return rw.state != stateNone }

// Committed reports whether a status has been handed to net/http, after which
// a failure can only abort the connection.
func (rw *Writer) Committed() bool { return rw.committed }

// Dropped is the number of body bytes not sent: beyond the Content-Length the
// guest declared, or for a status that allows no body (204, 304). The
// response itself stays valid.
func (rw *Writer) Dropped() int64 { return rw.dropped }

// Err returns why the response failed, or nil.
func (rw *Writer) Err() error { return rw.err }

// Pending describes what the guest began but never finished, or "": a head,
// or a chunk of its chunked body (data would be missing, so the response
// must not end as if it were complete). A body that just lacks its final
// zero-length chunk is complete.
func (rw *Writer) Pending() string {
	switch {
	case rw.state == stateRawHead:
		return "the guest wrote an incomplete response head"
	case rw.state == stateStructured:
		return "mg_response_header_start was not followed by mg_response_header_send"
	case rw.state == stateBody && rw.chunked && rw.chunks.midChunk():
		return "the guest's chunked body stopped inside a chunk"
	}
	return ""
}

// Write takes raw bytes as mg_write sends them.
func (rw *Writer) Write(p []byte) error {
	switch rw.state {
	case stateFailed:
		return rw.err
	case stateStructured:
		return rw.fail(fmt.Errorf("%w: mg_write before mg_response_header_send", ErrState))
	case stateBody:
		return rw.writeBody(p)
	case stateNone:
		if len(p) == 0 {
			return nil // mg_write(conn, buf, 0) sends nothing, so starts nothing
		}
	}
	return rw.writeHead(p)
}

// writeHead collects a raw head, or starts an implicit "200 OK" when the
// guest's first bytes are not a status line.
func (rw *Writer) writeHead(p []byte) error {
	// A head that arrives whole in one write, as the SDK's buffered
	// mg_printf sends it, is parsed in place: only pieces are collected.
	buf := p
	if len(rw.head) > 0 {
		rw.head = append(rw.head, p...)
		buf = rw.head
	}
	if len(buf) < len("HTTP/") && bytes.HasPrefix([]byte("HTTP/"), buf) {
		rw.state = stateRawHead // too short to decide yet
		rw.keepHead(buf)
		return nil
	}
	if !bytes.HasPrefix(buf, []byte("HTTP/")) {
		rw.head = nil
		rw.commit(http.StatusOK)
		return rw.writeBody(buf)
	}
	rw.state = stateRawHead
	// The head the guest sent last time ends where it ended then. Else
	// resume the scan after the lines already seen: a guest writing its
	// head byte by byte must not make the host rescan it on every call.
	end := rw.heads.prefixLen(buf)
	if end == 0 {
		end, rw.headLines = headEnd(buf, rw.headLines)
	}
	// Checked on complete heads too, so the limit does not depend on how
	// the guest split its writes.
	if end > MaxHeadBytes || (end < 0 && len(buf) > MaxHeadBytes) {
		return rw.fail(&HeadError{Reason: fmt.Sprintf("response head longer than %d bytes", MaxHeadBytes)})
	}
	if end < 0 {
		rw.keepHead(buf)
		return nil
	}
	head, rest := buf[:end], buf[end:]
	rw.head, rw.headLines = nil, 0
	if err := rw.applyRawHead(head); err != nil {
		return rw.fail(err)
	}
	if rw.state == stateNone {
		// An interim 1xx response: the real head is still owed, even if
		// nothing follows in this write.
		return rw.writeHead(rest)
	}
	return rw.writeBody(rest)
}

// keepHead keeps an incomplete head for the next write; buf is either
// rw.head already or the guest's bytes, which are only valid during the call.
func (rw *Writer) keepHead(buf []byte) {
	if len(rw.head) == 0 {
		rw.head = append(rw.head, buf...)
	}
}

// applyRawHead applies a complete raw head: from the cache when it is the
// head the guest sent last time, else parsed.
func (rw *Writer) applyRawHead(head []byte) error {
	if status, fields, ok := rw.heads.lookup(head); ok {
		rw.startValues(len(fields))
		for _, f := range fields {
			if err := rw.applyField(f.key, f.value); err != nil {
				return err
			}
		}
		rw.values = nil
		return rw.sendStatus(status)
	}
	return rw.parseRawHead(head)
}

// parseRawHead applies a raw head line by line, recording it in the cache.
func (rw *Writer) parseRawHead(head []byte) error {
	h := splitHead(head)
	status, err := parseStatusLine(h.status)
	if err != nil {
		return err
	}
	rw.startValues(h.numFields)
	rw.heads.begin()
	for line := range h.lines() {
		name, value, err := parseField(line)
		if err != nil {
			return err
		}
		key, err := checkField(name, value)
		if err != nil {
			return err
		}
		rw.heads.add(key, value)
		if err := rw.applyField(key, value); err != nil {
			return err
		}
	}
	rw.values = nil
	if err := rw.sendStatus(status); err != nil {
		return err
	}
	rw.heads.store(head, status)
	return nil
}

// startValues readies rw.values for a raw head of n fields. One backing
// array serves every value, as net/textproto's reader does: a []string per
// header was an allocation per line.
func (rw *Writer) startValues(n int) {
	if n <= len(rw.valuesBuf) && !rw.valuesBufUsed {
		rw.values, rw.valuesBufUsed = rw.valuesBuf[:0], true
	} else {
		rw.values = make([]string, 0, n)
	}
}

// StartResponse begins a structured head (mg_response_header_start).
func (rw *Writer) StartResponse(status int) error {
	if rw.state != stateNone {
		return fmt.Errorf("%w: the response head was already started", ErrState)
	}
	if status < 100 || status > 999 {
		return &HeadError{Reason: "status " + strconv.Itoa(status) + " is outside 100-999"}
	}
	rw.state, rw.status, rw.numHeaders = stateStructured, status, 0
	return nil
}

// AddHeader adds one header to a structured head (mg_response_header_add).
// A malformed header is refused without failing the response, as CivetWeb
// returns a code for it.
func (rw *Writer) AddHeader(name, value string) error {
	if rw.state != stateStructured {
		return fmt.Errorf("%w: mg_response_header_add without mg_response_header_start", ErrState)
	}
	if rw.numHeaders >= MaxHeaders {
		return ErrTooManyHeaders
	}
	if err := rw.setHeader(name, value); err != nil {
		return err
	}
	rw.numHeaders++
	return nil
}

// SendHeaders sends the structured head (mg_response_header_send).
func (rw *Writer) SendHeaders() error {
	if rw.state != stateStructured {
		return fmt.Errorf("%w: mg_response_header_send without mg_response_header_start", ErrState)
	}
	rw.state = stateNone
	if err := rw.sendStatus(rw.status); err != nil {
		return rw.fail(err)
	}
	return nil
}

// setHeader validates one guest header and applies it.
func (rw *Writer) setHeader(name, value string) error {
	key, err := checkField(name, value)
	if err != nil {
		return err
	}
	return rw.applyField(key, value)
}

// checkField validates a header and returns its canonical key.
func checkField(name, value string) (key string, err error) {
	if err := validateField(name, value); err != nil {
		return "", err
	}
	return canonicalKey(name), nil
}

// applyField applies a validated header with a canonical key to net/http's
// header map, reconciling framing headers instead of copying them.
func (rw *Writer) applyField(key, value string) error {
	switch {
	case key == "Transfer-Encoding":
		return rw.setTransferEncoding(value)
	case key == "Connection":
		if !rw.http2 && hasToken(value, "close") {
			rw.set("Connection", "close")
		}
	case key == "Content-Length":
		return rw.setContentLength(value)
	case isHopByHop(key):
		// The host's HTTP server manages the connection; drop these.
	default:
		rw.add(key, value)
	}
	return nil
}

// add is http.Header.Add for a canonical key, taking the value's slice
// from rw.values while a raw head is applied.
func (rw *Writer) add(key, value string) {
	h := rw.w.Header()
	if old, ok := h[key]; ok || len(rw.values) == cap(rw.values) {
		h[key] = append(old, value)
		return
	}
	h[key] = rw.oneValue(value)
}

// set is http.Header.Set for a canonical key, like add.
func (rw *Writer) set(key, value string) {
	if len(rw.values) == cap(rw.values) {
		rw.w.Header()[key] = []string{value}
		return
	}
	rw.w.Header()[key] = rw.oneValue(value)
}

// oneValue is a one-element slice of rw.values, capped so that appending to
// it copies instead of overwriting the next header's value.
func (rw *Writer) oneValue(value string) []string {
	rw.values = append(rw.values, value)
	n := len(rw.values)
	return rw.values[n-1 : n : n]
}

func (rw *Writer) setTransferEncoding(value string) error {
	switch strings.ToLower(strings.TrimSpace(value)) {
	case "chunked":
		rw.chunked = true
		rw.w.Header().Del("Content-Length") // chunked framing wins
	case "identity", "":
	default:
		return &HeadError{Header: "Transfer-Encoding", Reason: fmt.Sprintf("%q is not supported (only chunked)", truncateString(value))}
	}
	return nil
}

func (rw *Writer) setContentLength(value string) error {
	n, err := strconv.ParseUint(value, 10, 63)
	if err != nil {
		return &HeadError{Header: "Content-Length", Reason: fmt.Sprintf("%q is not a length", truncateString(value))}
	}
	canonical := value
	if len(value) > 1 && value[0] == '0' {
		canonical = strconv.FormatUint(n, 10) // leading zeros
	}
	if prev := headerValue(rw.w.Header(), "Content-Length"); prev != "" && prev != canonical {
		return &HeadError{Header: "Content-Length", Reason: "two different lengths"}
	}
	if !rw.chunked {
		rw.set("Content-Length", canonical)
	}
	return nil
}

// sendStatus hands the status to net/http. An interim 1xx status is sent on
// its own and the guest then writes the real head.
func (rw *Writer) sendStatus(status int) error {
	switch {
	case status == http.StatusSwitchingProtocols:
		return &HeadError{Reason: "101 Switching Protocols is not supported"}
	case status < 200:
		rw.w.WriteHeader(status)
		rw.resetHead()
		return nil
	}
	rw.commit(status)
	return nil
}

func (rw *Writer) resetHead() {
	rw.state, rw.chunked, rw.status = stateNone, false, 0
	for k := range rw.w.Header() {
		delete(rw.w.Header(), k)
	}
}

func (rw *Writer) commit(status int) {
	rw.status, rw.state, rw.committed = status, stateBody, true
	rw.remaining = -1
	h := rw.w.Header()
	if n, err := strconv.ParseInt(headerValue(h, "Content-Length"), 10, 64); err == nil {
		rw.remaining = n
	}
	if _, ok := h["Content-Type"]; !ok {
		h["Content-Type"] = nil // like CivetWeb, send none rather than a guess
	}
	rw.w.WriteHeader(status)
}

// writeBody sends body bytes, decoding the guest's chunk framing if it
// declared one.
func (rw *Writer) writeBody(p []byte) error {
	if len(p) == 0 {
		return nil
	}
	if !rw.chunked {
		return rw.send(p)
	}
	if rw.chunks.done() {
		return ErrBodyComplete
	}
	err := rw.chunks.feed(p, rw.send)
	if err != nil {
		if errors.Is(err, errBadChunk) && rw.chunks.done() {
			return ErrBodyComplete
		}
		return rw.fail(err)
	}
	if rw.chunks.done() {
		rw.setTrailers()
	}
	if rw.chunks.completed {
		// Chunked output is streaming output: let the client see it now.
		_ = http.NewResponseController(rw.w).Flush()
	}
	return nil
}

// setTrailers hands the guest's trailer fields to net/http, which sends them
// after a chunked body. Fields that are malformed or may not be trailers
// are left out; the body they follow is complete either way.
func (rw *Writer) setTrailers() {
	for _, line := range rw.chunks.trailers {
		name, value, _ := strings.Cut(line, ":")
		value = strings.Trim(value, " \t")
		if validateField(name, value) == nil && httpguts.ValidTrailerHeader(name) {
			rw.w.Header().Add(http.TrailerPrefix+http.CanonicalHeaderKey(name), value)
		}
	}
	rw.chunks.trailers = nil
}

// send writes body bytes, dropping any beyond the declared Content-Length:
// those would have corrupted the next response on a CivetWeb connection,
// and net/http would refuse the whole write.
func (rw *Writer) send(p []byte) error {
	if rw.remaining >= 0 && int64(len(p)) > rw.remaining {
		rw.dropped += int64(len(p)) - rw.remaining
		p = p[:rw.remaining]
	}
	if len(p) == 0 {
		return nil
	}
	if rw.remaining >= 0 {
		rw.remaining -= int64(len(p))
	}
	_, err := rw.w.Write(p)
	if errors.Is(err, http.ErrBodyNotAllowed) {
		rw.dropped += int64(len(p)) // 204/304 carry no body
		return nil
	}
	if err != nil {
		return rw.fail(fmt.Errorf("response: write: %w", err))
	}
	return nil
}

// fail marks the response as failed; the runtime answers 500 or aborts.
func (rw *Writer) fail(err error) error {
	if rw.state != stateFailed {
		rw.state, rw.err = stateFailed, err
	}
	return rw.err
}

// hasToken reports whether a comma-separated header value holds token.
func hasToken(value, token string) bool {
	for part := range strings.SplitSeq(value, ",") {
		if strings.EqualFold(strings.TrimSpace(part), token) {
			return true
		}
	}
	return false
}
