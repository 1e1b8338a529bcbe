package compat

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// Raw request builders. Requests are built by hand, byte for byte, so the
// suite controls everything a client can vary.

const hostLine = "Host: 127.0.0.1\r\n"

// Header lines a case often adds.
const (
	connClose     = "Connection: close"
	connKeepAlive = "Connection: keep-alive"
	formType      = "Content-Type: application/x-www-form-urlencoded"
)

func headerLines(headers []string) string {
	var b strings.Builder
	for _, h := range headers {
		b.WriteString(h)
		b.WriteString("\r\n")
	}
	return b.String()
}

// req is an HTTP/1.1 request without a body.
func req(method, target string, headers ...string) string {
	return method + " " + target + " HTTP/1.1\r\n" + hostLine + headerLines(headers) + "\r\n"
}

func get(target string, headers ...string) string { return req("GET", target, headers...) }

// withBody is an HTTP/1.1 request with a Content-Length body.
func withBody(method, target, body string, headers ...string) string {
	return method + " " + target + " HTTP/1.1\r\n" + hostLine + headerLines(headers) +
		"Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body
}

// chunked is an HTTP/1.1 request with a chunked body of the given chunks
// (the terminating empty chunk is added; trailer holds trailer lines).
func chunked(method, target string, chunks []string, trailer string, headers ...string) string {
	var b strings.Builder
	b.WriteString(method + " " + target + " HTTP/1.1\r\n" + hostLine + headerLines(headers) + "Transfer-Encoding: chunked\r\n\r\n")
	for _, c := range chunks {
		fmt.Fprintf(&b, "%x\r\n%s\r\n", len(c), c)
	}
	b.WriteString("0\r\n" + trailer + "\r\n")
	return b.String()
}

// http10 is an HTTP/1.0 request without Host or body.
func http10(method, target string, headers ...string) string {
	return method + " " + target + " HTTP/1.0\r\n" + headerLines(headers) + "\r\n"
}

// numberedHeaders returns n distinct header lines.
func numberedHeaders(n int) []string {
	h := make([]string, n)
	for i := range h {
		h[i] = fmt.Sprintf("X-Header-%02d: value %d", i+1, i+1)
	}
	return h
}

// pattern returns n deterministic bytes that are not all text.
func pattern(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i>>8 + i>>16)
	}
	return string(b)
}

// Big bodies are built once per test binary.
var (
	body10MiB = sync.OnceValue(func() string { return pattern(10 << 20) })
	body1MiB  = sync.OnceValue(func() string { return pattern(1 << 20) })
)

// splitChunks cuts s into chunks of varying sizes.
func splitChunks(s string) []string {
	var chunks []string
	for i, size := 0, 1; i < len(s); size = size*3%65521 + 1 {
		n := min(size, len(s)-i)
		chunks = append(chunks, s[i:i+n])
		i += n
	}
	return chunks
}
