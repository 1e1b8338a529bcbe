package hostfuncs

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/civetbox/civetbox/abi"
	"github.com/civetbox/civetbox/internal/guestmem"
	"github.com/civetbox/civetbox/runtime/engine"
)

// mgResponseHeaderStart implements abi.FuncMgResponseHeaderStart.
func mgResponseHeaderStart(ctx context.Context, _ engine.Memory, stack []uint64) {
	conn := connOf(ctx, abi.FuncMgResponseHeaderStart)
	status := int32(u32(stack[0]))
	if status < 100 || status > 999 {
		stack[0] = i32(abi.CodeParamError)
		return
	}
	stack[0] = i32(responseCode(conn.StartResponse(int(status))))
}

// mgResponseHeaderAdd implements abi.FuncMgResponseHeaderAdd.
func mgResponseHeaderAdd(ctx context.Context, mem engine.Memory, stack []uint64) {
	conn := connOf(ctx, abi.FuncMgResponseHeaderAdd)
	name := str(mem, guestmem.Region{Func: abi.FuncMgResponseHeaderAdd, Param: "header", Ptr: u32(stack[0]), Len: u32(stack[1])})
	value := str(mem, guestmem.Region{Func: abi.FuncMgResponseHeaderAdd, Param: "value", Ptr: u32(stack[2]), Len: u32(stack[3])})
	stack[0] = i32(responseCode(conn.AddHeader(name, value)))
}

// mgResponseHeaderAddLines implements abi.FuncMgResponseHeaderAddLine: it
// adds each "Name: value" line of an HTTP/1.x header block and returns the
// number of lines added, or the first error code.
func mgResponseHeaderAddLines(ctx context.Context, mem engine.Memory, stack []uint64) {
	conn := connOf(ctx, abi.FuncMgResponseHeaderAddLine)
	block := str(mem, guestmem.Region{Func: abi.FuncMgResponseHeaderAddLine, Param: "http1_headers", Ptr: u32(stack[0]), Len: u32(stack[1])})
	stack[0] = i32(addHeaderLines(conn, block))
}

// addHeaderLines works as CivetWeb's does: the whole block is parsed first
// (nothing is added if a line is malformed), then every header is added, and
// the result is the number of lines or the first error.
func addHeaderLines(conn Conn, block string) int32 {
	fields, ok := parseHeaderBlock(block)
	if !ok {
		return abi.CodeParamError
	}
	result := int32(len(fields))
	for _, f := range fields {
		if code := responseCode(conn.AddHeader(f.Name, f.Value)); code < 0 && result >= 0 {
			result = code
		}
	}
	return result
}

// parseHeaderBlock splits "Name: value" lines as CivetWeb's header parser
// does: at most abi.MaxHeaders lines; a line that does not start with a name
// (printable ASCII up to ':') ends the block; spaces may precede the ':',
// spaces and tabs after it are skipped, and the value runs to the end of
// the line. A name without ':' or a CR without LF is malformed.
func parseHeaderBlock(block string) (fields []Header, ok bool) {
	for len(fields) < abi.MaxHeaders {
		n := 0
		for n < len(block) && block[n] != ':' && block[n] > ' ' && block[n] < 0x7f {
			n++
		}
		if n == 0 {
			break
		}
		name, rest := block[:n], strings.TrimLeft(block[n:], " ")
		if !strings.HasPrefix(rest, ":") {
			return nil, false
		}
		rest = strings.TrimLeft(rest[1:], " \t")
		end := strings.IndexAny(rest, "\r\n")
		if end < 0 {
			end = len(rest)
		}
		fields = append(fields, Header{Name: name, Value: rest[:end]})
		if block, ok = skipLineEnd(rest[end:]); !ok {
			return nil, false
		}
	}
	return fields, true
}

// skipLineEnd consumes "\r\n" or "\n" at the start of s; a CR must be
// followed by LF.
func skipLineEnd(s string) (string, bool) {
	if strings.HasPrefix(s, "\r") {
		if !strings.HasPrefix(s, "\r\n") {
			return "", false
		}
		return s[2:], true
	}
	return strings.TrimPrefix(s, "\n"), true
}

// mgResponseHeaderSend implements abi.FuncMgResponseHeaderSend.
func mgResponseHeaderSend(ctx context.Context, _ engine.Memory, stack []uint64) {
	conn := connOf(ctx, abi.FuncMgResponseHeaderSend)
	stack[0] = i32(responseCode(conn.SendHeaders()))
}

// mgSendHTTPOk implements abi.FuncMgSendHTTPOk with CivetWeb's headers. Like
// CivetWeb it returns 0 even when the head cannot be sent (it was already).
func mgSendHTTPOk(ctx context.Context, mem engine.Memory, stack []uint64) {
	conn := connOf(ctx, abi.FuncMgSendHTTPOk)
	mime := str(mem, guestmem.Region{Func: abi.FuncMgSendHTTPOk, Param: "mime_type", Ptr: u32(stack[0]), Len: u32(stack[1])})
	_ = SendOK(conn, mime, int64(stack[2]))
	stack[0] = i32(abi.CodeOK)
}

// mgSendHTTPError implements abi.FuncMgSendHTTPError; the guest SDK has
// already formatted the message. Like CivetWeb it returns 0 whatever
// happens.
func mgSendHTTPError(ctx context.Context, mem engine.Memory, stack []uint64) {
	conn := connOf(ctx, abi.FuncMgSendHTTPError)
	status := int32(u32(stack[0]))
	msg := str(mem, guestmem.Region{Func: abi.FuncMgSendHTTPError, Param: "msg", Ptr: u32(stack[1]), Len: u32(stack[2])})
	_ = SendError(conn, int(status), msg)
	stack[0] = i32(abi.CodeOK)
}

// mgSendHTTPRedirect implements abi.FuncMgSendHTTPRedirect.
func mgSendHTTPRedirect(ctx context.Context, mem engine.Memory, stack []uint64) {
	conn := connOf(ctx, abi.FuncMgSendHTTPRedirect)
	target := str(mem, guestmem.Region{Func: abi.FuncMgSendHTTPRedirect, Param: "target_url", Ptr: u32(stack[0]), Len: u32(stack[1])})
	stack[0] = i32(SendRedirect(conn, target, int(int32(u32(stack[2])))))
}

// SendOK sends CivetWeb's "200 OK" head: no-cache headers, the content type
// ("text/html" when empty) and the length, or chunked framing when
// contentLength < 0. Chunked is declared on HTTP/2 too (where CivetWeb
// omits it): the guest always speaks HTTP/1.1 framing to the host, which
// re-frames for the client, so mg_send_chunk works the same on both.
func SendOK(conn Conn, mime string, contentLength int64) error {
	if mime == "" {
		mime = "text/html"
	}
	h := []Header{{"Content-Type", mime}}
	if contentLength >= 0 {
		h = append(h, Header{"Content-Length", strconv.FormatInt(contentLength, 10)})
	} else {
		h = append(h, Header{"Transfer-Encoding", "chunked"})
	}
	return sendHead(conn, 200, h)
}

// SendError sends CivetWeb's error response: "Error <status>: <text>\n" and
// msg as a text/plain body (none for 1xx, 204 and 304), and closes the
// connection afterwards as CivetWeb does.
func SendError(conn Conn, status int, msg string) error {
	if status < 100 || status > 999 {
		return fmt.Errorf("%w: status %d is outside 100-999", ErrBadHeader, status)
	}
	hasBody := status > 199 && status != 204 && status != 304
	h := []Header{{"Connection", "close"}}
	if hasBody {
		h = append(h, Header{"Content-Type", "text/plain; charset=utf-8"})
	}
	if err := sendHead(conn, status, h); err != nil || !hasBody {
		return err
	}
	body := "Error " + strconv.Itoa(status) + ": " + StatusText(status) + "\n" + msg
	return conn.Write([]byte(body))
}

// SendRedirect sends CivetWeb's redirect: status 301, 302, 303, 307 or 308
// (0 means 307), a Location ("/" when empty) and an empty body. It returns
// what CivetWeb does: the size of the head it wrote, -1 on a send error, -2
// for another status.
func SendRedirect(conn Conn, target string, code int) int32 {
	if code == 0 {
		code = 307
	}
	switch code {
	case 301, 302, 303, 307, 308:
	default:
		return abi.CodeRedirectParamError
	}
	if target == "" {
		target = "/"
	}
	// CivetWeb sends no cache headers with a redirect.
	if sendHeaders(conn, code, []Header{{"Location", target}, {"Content-Length", "0"}}) != nil {
		return abi.CodeError
	}
	return int32(redirectHeadSize(conn.Info(), code, target))
}

// redirectHeadSize is the length of the head CivetWeb writes for a redirect
// ("HTTP/1.1 302 Found\r\nLocation: ...\r\nContent-Length: 0\r\n
// Connection: keep-alive\r\n\r\n"), which its mg_send_http_redirect returns.
func redirectHeadSize(info *RequestInfo, code int, target string) int {
	head := "HTTP/1.1 " + strconv.Itoa(code) + " " + StatusText(code) + "\r\n" +
		"Location: " + target + "\r\nContent-Length: 0\r\n" +
		"Connection: " + suggestedConnection(info) + "\r\n\r\n"
	return len(head)
}

// suggestedConnection is the Connection header CivetWeb (with keep-alive
// enabled) would send: the client's wish if it stated one, else keep-alive
// for HTTP/1.1 and close for HTTP/1.0.
func suggestedConnection(info *RequestInfo) string {
	for _, h := range info.Headers {
		if strings.EqualFold(h.Name, "Connection") {
			if hasToken(h.Value, "keep-alive") {
				return "keep-alive"
			}
			return "close"
		}
	}
	if info.HTTPVersion == "1.1" {
		return "keep-alive"
	}
	return "close"
}

func hasToken(value, token string) bool {
	for part := range strings.SplitSeq(value, ",") {
		if strings.EqualFold(strings.TrimSpace(part), token) {
			return true
		}
	}
	return false
}

// sendHead sends a CivetWeb-style head: status, the no-cache headers CivetWeb
// adds to generated responses, then extra.
func sendHead(conn Conn, status int, extra []Header) error {
	return sendHeaders(conn, status, append(noCacheHeaders(conn), extra...))
}

func sendHeaders(conn Conn, status int, headers []Header) error {
	if err := conn.StartResponse(status); err != nil {
		return err
	}
	for _, h := range headers {
		if err := conn.AddHeader(h.Name, h.Value); err != nil {
			return err
		}
	}
	return conn.SendHeaders()
}

func noCacheHeaders(conn Conn) []Header {
	h := []Header{
		{"Cache-Control", "no-cache, no-store, must-revalidate, private, max-age=0"},
		{"Expires", "0"},
	}
	if isHTTP1(conn) {
		h = append(h, Header{"Pragma", "no-cache"})
	}
	return h
}

func isHTTP1(conn Conn) bool {
	return strings.HasPrefix(conn.Info().HTTPVersion, "1.")
}

// responseCode maps a Conn error to CivetWeb's response-API codes.
func responseCode(err error) int32 {
	switch {
	case err == nil:
		return abi.CodeOK
	case errors.Is(err, ErrState):
		return abi.CodeInvalidState
	case errors.Is(err, ErrTooManyHeaders):
		return abi.CodeTooManyHeaders
	case errors.Is(err, ErrBadHeader):
		return abi.CodeParamError
	}
	return abi.CodeError
}
