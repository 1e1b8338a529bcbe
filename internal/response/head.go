package response

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"golang.org/x/net/http/httpguts"
)

// MaxHeadBytes bounds a raw response head a guest writes with mg_write.
const MaxHeadBytes = 64 << 10

// HeadError is a response head the host refuses. The guest's request fails
// with 500 and the error is logged; nothing of the head reaches the client.
type HeadError struct {
	Header string // header name, or "" for the status line
	Reason string
}

func (e *HeadError) Error() string {
	if e.Header == "" {
		return "response: status line: " + e.Reason
	}
	return "response: header " + strconv.Quote(truncateString(e.Header)) + ": " + e.Reason
}

func truncateString(s string) string {
	if len(s) > 64 {
		return s[:64] + "..."
	}
	return s
}

// headEnd returns the length of a complete head at the start of b (through
// the blank line), or -1 if the blank line has not arrived yet. b[:from] must
// be complete, non-blank lines (a previous call's next), which are not
// scanned again; next is where the incomplete last line starts.
func headEnd(b []byte, from int) (end, next int) {
	for i := from; ; {
		j := bytes.IndexByte(b[i:], '\n')
		if j < 0 {
			return -1, i
		}
		line := b[i : i+j]
		i += j + 1
		if len(line) == 0 || (len(line) == 1 && line[0] == '\r') {
			return i, i
		}
	}
}

// rawHead is a complete raw head as text: one string conversion of the
// guest's bytes, which the header values then share, so applying a head
// allocates nothing per line.
type rawHead struct {
	status    string // the status line
	fields    string // the header lines, "\n"-separated, or ""
	hasFields bool
	numFields int
}

// splitHead splits a complete raw head into its status line and header
// lines; the lines are checked as they are applied. Lines end in CRLF or LF.
func splitHead(head []byte) rawHead {
	// Drop only the blank line: a CR ending the last header line is part of
	// its value, and refused like a CR anywhere else.
	text := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(string(head), "\n"), "\r"), "\n")
	var h rawHead
	h.status, h.fields, h.hasFields = strings.Cut(text, "\n")
	h.status = strings.TrimSuffix(h.status, "\r")
	if h.hasFields {
		h.numFields = strings.Count(h.fields, "\n") + 1
	}
	return h
}

// lines yields the header lines without their line ends, as strings.Split
// would, without the slice.
func (h rawHead) lines() func(yield func(string) bool) {
	return func(yield func(string) bool) {
		rest, more := h.fields, h.hasFields
		for more {
			var line string
			line, rest, more = strings.Cut(rest, "\n")
			if !yield(strings.TrimSuffix(line, "\r")) {
				return
			}
		}
	}
}

// parseField splits a "Name: value" line, trimming the value; obsolete line
// folding (a line starting with white space) is refused.
func parseField(line string) (name, value string, err error) {
	name, value, ok := strings.Cut(line, ":")
	if !ok || name == "" || name[0] == ' ' || name[0] == '\t' {
		return "", "", &HeadError{Header: line, Reason: "is not a \"Name: value\" line"}
	}
	return name, strings.Trim(value, " \t"), nil
}

// parseStatusLine reads "HTTP/1.x NNN [reason]". The reason phrase is not
// forwarded: net/http writes its own.
func parseStatusLine(line string) (int, error) {
	proto, rest, _ := strings.Cut(line, " ")
	if proto != "HTTP/1.0" && proto != "HTTP/1.1" {
		return 0, &HeadError{Reason: fmt.Sprintf("%q is not HTTP/1.0 or HTTP/1.1", truncateString(proto))}
	}
	code, _, _ := strings.Cut(rest, " ")
	status, err := strconv.Atoi(code)
	if err != nil || len(code) != 3 || status < 100 {
		return 0, &HeadError{Reason: fmt.Sprintf("status %q is not a number in 100-999", truncateString(code))}
	}
	return status, nil
}

// validateField refuses header names that are not HTTP tokens and values with
// CR, LF, NUL or other control bytes, so nothing can be injected into the
// response.
func validateField(name, value string) error {
	if !httpguts.ValidHeaderFieldName(name) {
		return &HeadError{Header: name, Reason: "name is not an HTTP token"}
	}
	if !httpguts.ValidHeaderFieldValue(value) {
		return &HeadError{Header: name, Reason: "value contains CR, LF, NUL or another control byte"}
	}
	return nil
}

// isHopByHop reports whether a canonical key names a header that describes
// one connection; the host's HTTP server owns those. Connection and
// Transfer-Encoding get special handling.
func isHopByHop(key string) bool {
	switch key {
	case "Keep-Alive", "Proxy-Connection", "Upgrade", "Te", "Trailer", "Connection", "Transfer-Encoding":
		return true
	}
	return false
}

// canonicalKey is http.CanonicalHeaderKey for a valid field name, skipping
// its byte-by-byte validation when the name is already canonical, as guests
// usually write it.
func canonicalKey(name string) string {
	upper := true
	for i := 0; i < len(name); i++ {
		c := name[i]
		if upper && 'a' <= c && c <= 'z' || !upper && 'A' <= c && c <= 'Z' {
			return http.CanonicalHeaderKey(name)
		}
		upper = c == '-'
	}
	return name
}

// headerValue is http.Header.Get for a canonical key, without
// canonicalizing it again.
func headerValue(h http.Header, key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}
