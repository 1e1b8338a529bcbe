package reqinfo_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/abi"
	"github.com/civetbox/civetbox/hostfuncs"
	"github.com/civetbox/civetbox/internal/reqinfo"
)

// uriFields are the target-derived fields of a RequestInfo.
type uriFields struct {
	RequestURI, LocalURIRaw, LocalURI string
	HasLocalURI                       bool
	QueryString                       string
	HasQuery                          bool
}

func uriOf(info *hostfuncs.RequestInfo) uriFields {
	return uriFields{info.RequestURI, info.LocalURIRaw, info.LocalURI, info.HasLocalURI, info.QueryString, info.HasQuery}
}

func TestNewTarget(t *testing.T) {
	cases := []struct {
		name, target string
		want         uriFields
	}{
		{"path", "/a/b", uriFields{"/a/b", "/a/b", "/a/b", true, "", false}},
		{"root", "/", uriFields{"/", "/", "/", true, "", false}},
		{"query", "/a/b?x=1&y", uriFields{"/a/b", "/a/b", "/a/b", true, "x=1&y", true}},
		{"empty query", "/p?", uriFields{"/p", "/p", "/p", true, "", true}},
		{"query is raw", "/p?q=%20+a", uriFields{"/p", "/p", "/p", true, "q=%20+a", true}},
		{"second question mark is in the query", "/p?a?b", uriFields{"/p", "/p", "/p", true, "a?b", true}},
		{"escaped question mark is in the path", "/a%3Fb?c", uriFields{"/a?b", "/a?b", "/a?b", true, "c", true}},
		{"path is decoded", "/a%20b/c%2Fd", uriFields{"/a b/c/d", "/a b/c/d", "/a b/c/d", true, "", false}},
		{"plus stays in the path", "/a+b", uriFields{"/a+b", "/a+b", "/a+b", true, "", false}},
		{"dot segments", "/a/./b/../c", uriFields{"/a/./b/../c", "/a/./b/../c", "/a/c", true, "", false}},
		{"escaped dot segments", "/a/%2e%2e/%2E%2E/etc?x", uriFields{"/a/../../etc", "/a/../../etc", "/etc", true, "x", true}},
		{"double slash", "//x//y", uriFields{"//x//y", "//x//y", "/x/y", true, "", false}},
		{"trailing dot", "/x.", uriFields{"/x.", "/x.", "/x", true, "", false}},
		{"backslash", "/a%5c..%5cb", uriFields{"/a\\..\\b", "/a\\..\\b", "/b", true, "", false}},
		{"invalid escapes are kept", "/%zz%4", uriFields{"/%zz%4", "/%zz%4", "/%zz%4", true, "", false}},
		{"decoded NUL ends the path", "/a%00b/../c?q", uriFields{"/a", "/a", "/a", true, "q", true}},
		{"asterisk", "*", uriFields{"*", "", "", false, "", false}},
		{"absolute form", "http://h:1/p%20q?x", uriFields{"http://h:1/p q", "/p q", "/p q", true, "x", true}},
		{"absolute form with dot segments", "http://h/a/../b", uriFields{"http://h/a/../b", "/a/../b", "/b", true, "", false}},
		{"absolute form, https", "https://h:443/s", uriFields{"https://h:443/s", "/s", "/s", true, "", false}},
		{"absolute form without a path", "http://h:1", uriFields{"http://h:1", "http://h:1", "http://h:1", false, "", false}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			method := "GET"
			if c.target == "*" {
				method = "OPTIONS"
			}
			var r *http.Request
			if strings.Contains(c.name, "invalid escapes") {
				// net/http refuses to parse this target (a real server
				// answers 400 itself), so build the request by hand.
				r = request(c.target, 1, 1)
			} else {
				r = httptest.NewRequest(method, c.target, nil)
			}
			info, err := reqinfo.New(r)
			require.NoError(t, err)
			got := uriOf(info)
			if !c.want.HasLocalURI {
				// The local URIs are not marshalled without a local path.
				got.LocalURIRaw, got.LocalURI = c.want.LocalURIRaw, c.want.LocalURI
			}
			require.Equal(t, c.want, got)
			require.Equal(t, method, info.Method)
		})
	}
}

// request builds a server-side request by hand.
func request(target string, major, minor int) *http.Request {
	return &http.Request{
		Method: "GET", RequestURI: target, Proto: fmt.Sprintf("HTTP/%d.%d", major, minor),
		ProtoMajor: major, ProtoMinor: minor, Header: http.Header{}, Host: "h", RemoteAddr: "10.0.0.1:5",
	}
}

func TestNewVersion(t *testing.T) {
	for _, c := range []struct {
		major, minor int
		want         string
	}{{1, 0, "1.0"}, {1, 1, "1.1"}, {2, 0, "2.0"}} {
		info, err := reqinfo.New(request("/", c.major, c.minor))
		require.NoError(t, err)
		require.Equal(t, c.want, info.HTTPVersion)
	}
	info, err := reqinfo.New(httptest.NewRequest("GET", "/", nil))
	require.NoError(t, err)
	require.Equal(t, "1.1", info.HTTPVersion)
}

func TestNewContentLength(t *testing.T) {
	cases := []struct {
		name   string
		header string // Content-Length header, "" for none
		length int64
		te     []string
		want   int64
	}{
		{"no body", "", 0, nil, -1},
		{"no header", "", 5, nil, -1},
		{"unknown without header", "", -1, nil, -1},
		{"header", "5", 5, nil, 5},
		{"zero header", "0", 0, nil, 0},
		{"large", "8589934592", 8589934592, nil, 8589934592},
		{"chunked", "", -1, []string{"chunked"}, -1},
		{"chunked wins over a header", "5", 5, []string{"chunked"}, -1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := request("/", 1, 1)
			r.ContentLength, r.TransferEncoding = c.length, c.te
			if c.header != "" {
				r.Header.Set("Content-Length", c.header)
			}
			info, err := reqinfo.New(r)
			require.NoError(t, err)
			require.Equal(t, c.want, info.ContentLength)
		})
	}
}

func TestNewHeaders(t *testing.T) {
	r := request("/", 1, 1)
	r.Host = "example.com:8080"
	r.Header = http.Header{
		"X-B":    {"2", "1"},
		"Accept": {"a"},
		"X-A":    {"z"},
		"Cookie": {"c=1", "d=2"},
		"Empty":  {""},
	}
	r.TransferEncoding = []string{"chunked"}
	info, err := reqinfo.New(r)
	require.NoError(t, err)
	require.Equal(t, []hostfuncs.Header{
		{Name: "Host", Value: "example.com:8080"},
		{Name: "Accept", Value: "a"},
		{Name: "Cookie", Value: "c=1"},
		{Name: "Cookie", Value: "d=2"},
		{Name: "Empty", Value: ""},
		{Name: "X-A", Value: "z"},
		{Name: "X-B", Value: "2"},
		{Name: "X-B", Value: "1"},
		{Name: "Transfer-Encoding", Value: "chunked"},
	}, info.Headers)

	// No Host, no chunked: nothing is added.
	r = request("/", 1, 0)
	r.Host = ""
	r.Header.Set("X-Only", "1")
	info, err = reqinfo.New(r)
	require.NoError(t, err)
	require.Equal(t, []hostfuncs.Header{{Name: "X-Only", Value: "1"}}, info.Headers)

	// A transfer coding other than chunked is not re-added.
	r = request("/", 1, 1)
	r.TransferEncoding = []string{"identity"}
	info, err = reqinfo.New(r)
	require.NoError(t, err)
	require.Equal(t, []hostfuncs.Header{{Name: "Host", Value: "h"}}, info.Headers)
}

func TestNewHeaderLimit(t *testing.T) {
	// withFields returns a request with n header fields in total: Host,
	// then single-valued headers, then optionally Transfer-Encoding.
	withFields := func(n int, chunked, host bool) *http.Request {
		r := request("/", 1, 1)
		if !host {
			r.Host = ""
		} else {
			n--
		}
		if chunked {
			r.TransferEncoding = []string{"chunked"}
			n--
		}
		for i := range n {
			r.Header.Set(fmt.Sprintf("X-H%02d", i), "v")
		}
		return r
	}
	for _, c := range []struct {
		name          string
		n             int
		chunked, host bool
	}{
		{"host and headers", abi.MaxHeaders, false, true},
		{"headers only", abi.MaxHeaders, false, false},
		{"host, headers and chunked", abi.MaxHeaders, true, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			info, err := reqinfo.New(withFields(c.n, c.chunked, c.host))
			require.NoError(t, err)
			require.Len(t, info.Headers, abi.MaxHeaders)

			_, err = reqinfo.New(withFields(c.n+1, c.chunked, c.host))
			require.ErrorIs(t, err, reqinfo.ErrTooManyHeaders)
		})
	}

	// Repeated values count one field each.
	r := request("/", 1, 1)
	r.Host = ""
	r.Header["X-Many"] = make([]string, abi.MaxHeaders)
	info, err := reqinfo.New(r)
	require.NoError(t, err)
	require.Len(t, info.Headers, abi.MaxHeaders)
	r.Header["X-Many"] = append(r.Header["X-Many"], "one more")
	info, err = reqinfo.New(r)
	require.ErrorIs(t, err, reqinfo.ErrTooManyHeaders)
	require.Nil(t, info)
}

func TestNewAddresses(t *testing.T) {
	cases := []struct {
		name       string
		addr       string
		host       string
		port       int
		localAddr  net.Addr
		serverAddr string
		serverPort int
	}{
		{"IPv4", "10.0.0.1:5", "10.0.0.1", 5, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}, "127.0.0.1", 8080},
		{"IPv6", "[::1]:80", "::1", 80, &net.TCPAddr{IP: net.IPv6loopback, Port: 443}, "::1", 443},
		{"IPv6 with zone", "[fe80::1%eth0]:65535", "fe80::1%eth0", 65535,
			&net.TCPAddr{IP: net.ParseIP("fe80::2"), Port: 1, Zone: "eth1"}, "fe80::2%eth1", 1},
		{"unspecified listener", "10.0.0.1:5", "10.0.0.1", 5, &net.TCPAddr{Port: 8080}, "", 8080},
		{"no port", "pipe", "pipe", 0, &net.UnixAddr{Name: "/run/s.sock", Net: "unix"}, "/run/s.sock", 0},
		{"empty", "", "", 0, nil, "", 0},
		{"non-numeric port", "h:http", "h", 0, nil, "", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := request("/", 1, 1)
			r.RemoteAddr = c.addr
			if c.localAddr != nil {
				r = r.WithContext(context.WithValue(context.Background(), http.LocalAddrContextKey, c.localAddr))
			}
			info, err := reqinfo.New(r)
			require.NoError(t, err)
			require.Equal(t, c.host, info.RemoteAddr)
			require.Equal(t, c.port, info.RemotePort)
			require.Equal(t, c.serverAddr, info.ServerAddr)
			require.Equal(t, c.serverPort, info.ServerPort)
		})
	}
}

// FillTarget is the part of New that routing needs; FillDetails adds the
// rest, so the two together describe a request exactly as New does.
func TestFillTargetThenDetails(t *testing.T) {
	r := httptest.NewRequest("GET", "/a/../b%20c?q=1", nil)
	r.Header.Set("X-Two", "2")
	r.Header.Set("X-One", "1")
	r = r.WithContext(context.WithValue(r.Context(), http.LocalAddrContextKey, &net.TCPAddr{IP: net.IPv4(10, 1, 2, 3), Port: 81}))
	want, err := reqinfo.New(r)
	require.NoError(t, err)

	var got hostfuncs.RequestInfo
	require.NoError(t, reqinfo.FillTarget(&got, r))
	require.Equal(t, "/b c", got.LocalURI)
	require.True(t, got.HasLocalURI)
	require.Nil(t, got.Headers, "headers are left for FillDetails")
	require.Empty(t, got.RemoteAddr)
	reqinfo.FillDetails(&got, r)
	require.Equal(t, want, &got)

	// A second target over a struct already filled leaves no stale URI.
	r2 := httptest.NewRequest("OPTIONS", "*", nil)
	require.NoError(t, reqinfo.FillTarget(&got, r2))
	require.False(t, got.HasLocalURI)
	require.Empty(t, got.LocalURI)
	require.Equal(t, "*", got.RequestURI)
}

func TestFillTargetCountsHeaders(t *testing.T) {
	r := request("/", 1, 1)
	for i := range abi.MaxHeaders {
		r.Header.Add("X-Many", strconv.Itoa(i))
	}
	var info hostfuncs.RequestInfo
	require.ErrorIs(t, reqinfo.FillTarget(&info, r), reqinfo.ErrTooManyHeaders, "Host makes one more")
	require.Empty(t, info.Method, "left alone on error")
}

func TestNewFromHTTPTest(t *testing.T) {
	r := httptest.NewRequest("POST", "/up?x", strings.NewReader("hello"))
	info, err := reqinfo.New(r)
	require.NoError(t, err)
	require.Equal(t, &hostfuncs.RequestInfo{
		Method: "POST", RequestURI: "/up", LocalURIRaw: "/up", LocalURI: "/up", HasLocalURI: true,
		HTTPVersion: "1.1", QueryString: "x", HasQuery: true,
		RemoteAddr: "192.0.2.1", RemotePort: 1234,
		ContentLength: -1, // httptest sets ContentLength but no header
		Headers:       []hostfuncs.Header{{Name: "Host", Value: "example.com"}},
	}, info)

	tlsReq := httptest.NewRequest("GET", "https://example.com/s", nil)
	info, err = reqinfo.New(tlsReq)
	require.NoError(t, err)
	require.True(t, info.IsSSL)

	plain := request("/", 1, 1)
	plain.TLS = nil
	info, err = reqinfo.New(plain)
	require.NoError(t, err)
	require.False(t, info.IsSSL)
	plain.TLS = &tls.ConnectionState{}
	info, err = reqinfo.New(plain)
	require.NoError(t, err)
	require.True(t, info.IsSSL)
}

// TestNewFromServer sends raw HTTP/1.1 to a real net/http server, so the
// request is shaped by net/http itself (Host and Transfer-Encoding moved out
// of Header, the local address in the context).
func TestNewFromServer(t *testing.T) {
	infos := make(chan *hostfuncs.RequestInfo, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info, err := reqinfo.New(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		body, _ := io.ReadAll(r.Body)
		infos <- info
		_, _ = w.Write(body)
	}))
	defer srv.Close()

	send := func(raw string) *hostfuncs.RequestInfo {
		t.Helper()
		conn, err := net.Dial("tcp", srv.Listener.Addr().String())
		require.NoError(t, err)
		defer conn.Close()
		_, err = io.WriteString(conn, raw)
		require.NoError(t, err)
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		require.NoError(t, err)
		defer resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode)
		return <-infos
	}
	serverAddr := srv.Listener.Addr().(*net.TCPAddr)

	info := send("POST /a/%2e%2e/b%20c?k=v HTTP/1.1\r\nHost: x.test\r\nX-Z: 1\r\nAccept: */*\r\n" +
		"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
	require.Equal(t, uriFields{"/a/../b c", "/a/../b c", "/b c", true, "k=v", true}, uriOf(info))
	require.Equal(t, int64(-1), info.ContentLength)
	require.Equal(t, []hostfuncs.Header{
		{Name: "Host", Value: "x.test"},
		{Name: "Accept", Value: "*/*"},
		{Name: "Connection", Value: "close"},
		{Name: "X-Z", Value: "1"},
		{Name: "Transfer-Encoding", Value: "chunked"},
	}, info.Headers)
	require.Equal(t, "127.0.0.1", info.RemoteAddr)
	require.NotZero(t, info.RemotePort)
	require.Equal(t, serverAddr.IP.String(), info.ServerAddr)
	require.Equal(t, serverAddr.Port, info.ServerPort)

	info = send("PUT /p HTTP/1.0\r\nContent-Length: 3\r\n\r\nabc")
	require.Equal(t, "1.0", info.HTTPVersion)
	require.Equal(t, int64(3), info.ContentLength)
	require.Equal(t, []hostfuncs.Header{{Name: "Content-Length", Value: "3"}}, info.Headers)
	require.False(t, info.HasQuery)
}

func TestKnownMethod(t *testing.T) {
	for _, m := range []string{"GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "CONNECT", "PATCH",
		"PROPFIND", "MKCOL", "LOCK", "UNLOCK", "PROPPATCH"} {
		require.True(t, reqinfo.KnownMethod(m), m)
	}
	for _, m := range []string{"", "get", "Get", "BREW", "GE", "GETS", "PROPFIN", "PROPPATCHX"} {
		require.False(t, reqinfo.KnownMethod(m), m)
	}
}
