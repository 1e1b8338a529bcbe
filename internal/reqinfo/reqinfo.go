// Package reqinfo derives CivetWeb's struct mg_request_info from a net/http
// request, so a guest sees the fields a CivetWeb 1.15 handler would see.
package reqinfo

import (
	"fmt"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/civetbox/civetbox/abi"
	"github.com/civetbox/civetbox/hostfuncs"
)

// ErrTooManyHeaders is a request with more header fields than a guest's
// mg_request_info can hold (abi.MaxHeaders); the host answers 431.
var ErrTooManyHeaders = fmt.Errorf("reqinfo: more than %d request header fields", abi.MaxHeaders)

// New describes r as CivetWeb does:
//
//   - request_uri is the request target without the query, %-decoded (as
//     CivetWeb decodes it in place, so a decoded NUL ends it); query_string
//     is the raw query, NULL without '?';
//   - local_uri_raw is the decoded path, and local_uri the same without dot
//     segments; both are NULL for "*";
//   - content_length is -1 unless the request has a Content-Length header;
//   - headers are Host first, then the rest in name order (net/http does not
//     keep wire order), with Go's canonical spelling of names.
func New(r *http.Request) (*hostfuncs.RequestInfo, error) {
	info := new(hostfuncs.RequestInfo)
	if err := Fill(info, r); err != nil {
		return nil, err
	}
	return info, nil
}

// Fill is New into a caller's struct, which it leaves alone on error.
func Fill(info *hostfuncs.RequestInfo, r *http.Request) error {
	headers, err := headerFields(r)
	if err != nil {
		return err
	}
	*info = hostfuncs.RequestInfo{
		Method:        r.Method,
		HTTPVersion:   HTTPVersion(r),
		IsSSL:         r.TLS != nil,
		ContentLength: contentLength(r),
		Headers:       headers,
	}
	setTarget(info, r.RequestURI)
	info.RemoteAddr, info.RemotePort = splitAddr(r.RemoteAddr)
	if addr, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
		info.ServerAddr, info.ServerPort = splitAddr(addr.String())
	}
	return nil
}

// knownMethods are the methods CivetWeb 1.15 accepts; it answers any other
// (including lowercase spellings) with 400, and so does the host, so a
// handler never sees a method it could not see under CivetWeb.
var knownMethods = map[string]bool{
	"GET": true, "POST": true, "PUT": true, "DELETE": true, "HEAD": true, "OPTIONS": true,
	"CONNECT": true, "PATCH": true, "PROPFIND": true, "MKCOL": true, "LOCK": true,
	"UNLOCK": true, "PROPPATCH": true,
}

// KnownMethod reports whether CivetWeb 1.15 accepts method.
func KnownMethod(method string) bool { return knownMethods[method] }

// HTTPVersion is CivetWeb's http_version of r: "1.0", "1.1" or "2.0".
func HTTPVersion(r *http.Request) string {
	switch { // the common versions without building a string
	case r.ProtoMajor == 1 && r.ProtoMinor == 1:
		return "1.1"
	case r.ProtoMajor == 2 && r.ProtoMinor == 0:
		return "2.0"
	case r.ProtoMajor == 1 && r.ProtoMinor == 0:
		return "1.0"
	}
	return strconv.Itoa(r.ProtoMajor) + "." + strconv.Itoa(r.ProtoMinor)
}

// setTarget fills the URI fields from the raw request target.
func setTarget(info *hostfuncs.RequestInfo, target string) {
	target, info.QueryString, info.HasQuery = strings.Cut(target, "?")
	if target == "*" {
		info.RequestURI = target
		return
	}
	path := target
	if !strings.HasPrefix(target, "/") {
		// Absolute form ("http://host:port/path"): this server is the
		// target, so the path part is local.
		if _, rest, ok := strings.Cut(target, "://"); ok {
			if i := strings.IndexByte(rest, '/'); i >= 0 {
				path = rest[i:]
			}
		}
	}
	// CivetWeb decodes the path in place in a C string, so a decoded NUL
	// ("%00") ends it: the guest and the router must see the same path.
	decoded, _, _ := strings.Cut(URLDecode(path, false), "\x00")
	info.RequestURI = strings.TrimSuffix(target, path) + decoded
	info.LocalURIRaw = decoded
	info.LocalURI = RemoveDotSegments(info.LocalURIRaw)
	info.HasLocalURI = strings.HasPrefix(path, "/")
}

func contentLength(r *http.Request) int64 {
	if len(r.TransferEncoding) > 0 || r.Header.Get("Content-Length") == "" {
		return -1
	}
	return r.ContentLength
}

// headerFields lists the request headers as CivetWeb would, including Host and
// Transfer-Encoding, which net/http moves out of r.Header.
func headerFields(r *http.Request) ([]hostfuncs.Header, error) {
	n := 0
	for _, vs := range r.Header {
		n += len(vs)
	}
	fields := make([]hostfuncs.Header, 0, n+2)
	if r.Host != "" {
		fields = append(fields, hostfuncs.Header{Name: "Host", Value: r.Host})
	}
	var buf [32]string // on the stack: the names only live in this loop
	for _, name := range sortedNames(r.Header, buf[:0]) {
		for _, v := range r.Header[name] {
			fields = append(fields, hostfuncs.Header{Name: name, Value: v})
		}
	}
	if slices.Contains(r.TransferEncoding, "chunked") {
		fields = append(fields, hostfuncs.Header{Name: "Transfer-Encoding", Value: "chunked"})
	}
	if len(fields) > abi.MaxHeaders {
		return nil, ErrTooManyHeaders
	}
	return fields, nil
}

// sortedNames appends h's names to names and sorts them, so a caller can
// sort the usual handful of headers in an array on its stack.
func sortedNames(h http.Header, names []string) []string {
	for name := range h {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// splitAddr splits "host:port" (IPv6 hosts in brackets) into CivetWeb's
// unbracketed address and numeric port.
func splitAddr(addr string) (string, int) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr, 0
	}
	p, _ := strconv.Atoi(port)
	return host, p
}
