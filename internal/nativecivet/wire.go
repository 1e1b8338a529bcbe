package nativecivet

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
)

// Reader reads HTTP/1.x responses from a raw connection with net/http's
// parser, and also returns each response's head as sent: http.Response
// canonicalizes header names and drops their order, which the tests
// compare. Its bufio.Reader reads on after the heads (bodies, stray bytes).
type Reader struct {
	*bufio.Reader
	rec *recorder
}

// NewReader reads from conn.
func NewReader(conn io.Reader) *Reader {
	rec := &recorder{r: conn}
	return &Reader{Reader: bufio.NewReaderSize(rec, 64<<10), rec: rec}
}

// ReadResponse reads the head of the next response to a request with the
// given method; resp.Body reads its body. head is the bytes the head took,
// also with an error (none if the connection ended before a response).
func (r *Reader) ReadResponse(method string) (resp *http.Response, head []byte, err error) {
	start := r.consumed()
	resp, err = http.ReadResponse(r.Reader, &http.Request{Method: method})
	return resp, slices.Clone(r.rec.buf.Bytes()[start:r.consumed()]), err
}

// consumed is how many bytes have been read past the buffer.
func (r *Reader) consumed() int { return r.rec.buf.Len() - r.Buffered() }

// recorder keeps every byte read from the connection, so the raw head of
// each response can be recovered.
type recorder struct {
	r   io.Reader
	buf bytes.Buffer
}

func (rec *recorder) Read(p []byte) (int, error) {
	n, err := rec.r.Read(p)
	rec.buf.Write(p[:n])
	return n, err
}

// Fields are header lines as sent: in order, names spelled as sent, values
// with surrounding white space removed.
type Fields [][2]string

// ParseHead splits a response head (as returned by Reader.ReadResponse)
// into its status line and header lines.
func ParseHead(head []byte) (statusLine string, fields Fields) {
	lines := strings.Split(strings.TrimRight(string(head), "\r\n"), "\n")
	for _, line := range lines[1:] {
		name, value, _ := strings.Cut(strings.TrimSuffix(line, "\r"), ":")
		fields = append(fields, [2]string{name, strings.TrimSpace(value)})
	}
	return strings.TrimSuffix(lines[0], "\r"), fields
}

// Get returns the value of the first field named name, in any case.
func (f Fields) Get(name string) (string, bool) {
	for _, h := range f {
		if strings.EqualFold(h[0], name) {
			return h[1], true
		}
	}
	return "", false
}

// Compared returns the fields but those named in noisy (canonical names):
// their names as sent, sorted, and the fields as an http.Header.
func (f Fields) Compared(noisy []string) (names []string, header http.Header) {
	header = http.Header{}
	for _, h := range f {
		if slices.Contains(noisy, http.CanonicalHeaderKey(h[0])) {
			continue
		}
		names = append(names, h[0])
		header.Add(h[0], h[1])
	}
	slices.Sort(names)
	return names, header
}

// BodyDiff describes two different bodies briefly: short ones in full,
// longer ones by their lengths and where they part.
func BodyDiff(native, box []byte) string {
	if len(native) <= 200 && len(box) <= 200 {
		return fmt.Sprintf("native %q, civetbox %q", native, box)
	}
	i := 0
	for i < len(native) && i < len(box) && native[i] == box[i] {
		i++
	}
	if len(native) <= 4096 && len(box) <= 4096 {
		// Show where they part, with a little context.
		from := max(i-40, 0)
		return fmt.Sprintf("native %d bytes, civetbox %d bytes, first difference at offset %d: native %q, civetbox %q",
			len(native), len(box), i, native[from:min(len(native), i+80)], box[from:min(len(box), i+80)])
	}
	return fmt.Sprintf("native %d bytes, civetbox %d bytes, first difference at offset %d", len(native), len(box), i)
}

// CloseConsistent checks that a server announcing the end of the
// connection ends it there: no response follows the one that says close
// (saysClose tells), and the connection is closed.
func CloseConsistent[R any](responses []R, saysClose func(R) bool, closed bool) error {
	for i, resp := range responses {
		if !saysClose(resp) {
			continue
		}
		if i != len(responses)-1 {
			return fmt.Errorf("response %d says close but response %d followed", i+1, i+2)
		}
		if !closed {
			return fmt.Errorf("response %d says close but the connection stayed open", i+1)
		}
	}
	return nil
}
