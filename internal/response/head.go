package response

import (
	"bytes"
	"fmt"
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

// parseHead splits a complete raw head into its status and header fields.
// Lines end in CRLF or LF; obsolete line folding is refused.
func parseHead(head []byte) (status int, fields [][2]string, err error) {
	// Drop only the blank line: a CR ending the last header line is part of
	// its value, and refused like a CR anywhere else.
	text := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(string(head), "\n"), "\r"), "\n")
	lines := strings.Split(text, "\n")
	if status, err = parseStatusLine(strings.TrimSuffix(lines[0], "\r")); err != nil {
		return 0, nil, err
	}
	for _, line := range lines[1:] {
		line = strings.TrimSuffix(line, "\r")
		name, value, ok := strings.Cut(line, ":")
		if !ok || name == "" || strings.ContainsAny(name[:1], " \t") {
			return 0, nil, &HeadError{Header: line, Reason: "is not a \"Name: value\" line"}
		}
		fields = append(fields, [2]string{name, strings.Trim(value, " \t")})
	}
	return status, fields, nil
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

// hopByHop lists headers that describe one connection; the host's HTTP
// server owns them. Connection and Transfer-Encoding get special handling.
var hopByHop = map[string]bool{
	"Keep-Alive":        true,
	"Proxy-Connection":  true,
	"Upgrade":           true,
	"Te":                true,
	"Trailer":           true,
	"Connection":        true,
	"Transfer-Encoding": true,
}
