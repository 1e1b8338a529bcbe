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
	if err := FillTarget(info, r); err != nil {
		return err
	}
	FillDetails(info, r)
	return nil
}

// FillTarget fills what routing and the host's refusals need: method,
// version, TLS, content length and the URI fields. It checks the header
// count but leaves the header list and the addresses to FillDetails, which
// costs more and which most handlers never ask for. It leaves info alone
// on error.
func FillTarget(info *hostfuncs.RequestInfo, r *http.Request) error {
	if headerCount(r) > abi.MaxHeaders {
		return ErrTooManyHeaders
	}
	info.Method = r.Method
	info.HTTPVersion = HTTPVersion(r)
	info.IsSSL = r.TLS != nil
	info.ContentLength = contentLength(r)
	setTarget(info, r.RequestURI)
	return nil
}

// FillDetails fills the header list and the remote and server addresses of
// a request FillTarget accepted.
func FillDetails(info *hostfuncs.RequestInfo, r *http.Request) {
	info.Headers = headerFields(r)
	info.RemoteAddr, info.RemotePort = splitAddr(r.RemoteAddr)
	info.ServerAddr, info.ServerPort = "", 0
	if addr, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
		info.ServerAddr, info.ServerPort = serverAddr(addr)
	}
}

// serverAddr is splitAddr for the listener's address, without formatting
// a TCP address only to split it again.
func serverAddr(addr net.Addr) (string, int) {
	if tcp, ok := addr.(*net.TCPAddr); ok && len(tcp.IP) > 0 && tcp.Zone == "" {
		return tcp.IP.String(), tcp.Port
	}
	return splitAddr(addr.String())
}

// KnownMethod reports whether CivetWeb 1.15 accepts method; it answers any
// other (including lowercase spellings) with 400, and so does the host, so a
// handler never sees a method it could not see under CivetWeb. A switch,
// not a map: asked on every request, it then hashes nothing.
func KnownMethod(method string) bool {
	switch method {
	case "GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "CONNECT", "PATCH",
		"PROPFIND", "MKCOL", "LOCK", "UNLOCK", "PROPPATCH":
		return true
	}
	return false
}

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
	info.RequestURI, info.LocalURIRaw, info.LocalURI, info.HasLocalURI = "", "", "", false
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
	// The canonical key, read directly: Header.Get would canonicalize it
	// again on every request. net/http refuses an empty Content-Length.
	if len(r.TransferEncoding) > 0 || len(r.Header["Content-Length"]) == 0 {
		return -1
	}
	return r.ContentLength
}

// headerCount is how many fields headerFields lists.
func headerCount(r *http.Request) int {
	n := 0
	for _, vs := range r.Header {
		n += len(vs)
	}
	if r.Host != "" {
		n++
	}
	if slices.Contains(r.TransferEncoding, "chunked") {
		n++
	}
	return n
}

// headerFields lists the request headers as CivetWeb would, including Host and
// Transfer-Encoding, which net/http moves out of r.Header.
func headerFields(r *http.Request) []hostfuncs.Header {
	fields := make([]hostfuncs.Header, 0, headerCount(r))
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
	// Only for a request FillTarget refused, whose error page still
	// describes it.
	return fields[:min(len(fields), abi.MaxHeaders)]
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
