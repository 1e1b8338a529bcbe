package hostfuncs_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/abi"
	"github.com/civetbox/civetbox/hostfuncs"
)

// record decodes a struct civetbox_request laid out for guest address base.
type record struct {
	t    *testing.T
	b    []byte
	base uint32
	// strings seen so far: [start, end) offsets into b, to check overlaps
	spans [][2]int
}

func (r *record) u32(off int) uint32 { return binary.LittleEndian.Uint32(r.b[off:]) }
func (r *record) i32(off int) int32  { return int32(r.u32(off)) }

// str follows the pointer at off: NULL gives ok false; otherwise the target
// must be a NUL-terminated string inside the record, after the fixed part.
func (r *record) str(off int) (s string, ok bool) {
	r.t.Helper()
	ptr := r.u32(off)
	if ptr == 0 {
		return "", false
	}
	require.GreaterOrEqual(r.t, ptr, r.base+abi.RequestStringsOffset, "pointer at %d points into the fixed record", off)
	start := int(ptr - r.base)
	require.Less(r.t, start, len(r.b), "pointer at %d points past the record", off)
	end := bytes.IndexByte(r.b[start:], 0)
	require.GreaterOrEqual(r.t, end, 0, "string at %d is not NUL-terminated inside the record", off)
	end += start
	for _, sp := range r.spans {
		require.False(r.t, start <= sp[1] && sp[0] <= end && !(start == sp[0] && end == sp[1]),
			"string at %d [%d,%d] overlaps [%d,%d]", off, start, end, sp[0], sp[1])
	}
	r.spans = append(r.spans, [2]int{start, end})
	return string(r.b[start:end]), true
}

func (r *record) mustStr(off int) string {
	r.t.Helper()
	s, ok := r.str(off)
	require.True(r.t, ok, "pointer at %d is NULL", off)
	return s
}

// inline reads a NUL-terminated char array of size bytes at off.
func (r *record) inline(off, size int) string {
	r.t.Helper()
	field := r.b[off : off+size]
	end := bytes.IndexByte(field, 0)
	require.GreaterOrEqual(r.t, end, 0, "char[%d] at %d has no NUL", size, off)
	return string(field[:end])
}

func fullInfo() *hostfuncs.RequestInfo {
	return &hostfuncs.RequestInfo{
		Method:        "POST",
		RequestURI:    "/a b/../c",
		LocalURIRaw:   "/a b/../c",
		LocalURI:      "/c",
		HasLocalURI:   true,
		HTTPVersion:   "1.1",
		QueryString:   "x=1&y=%20",
		HasQuery:      true,
		RemoteAddr:    "2001:db8::1",
		RemotePort:    54321,
		ServerAddr:    "127.0.0.1",
		ServerPort:    8080,
		IsSSL:         true,
		ContentLength: 1 << 33,
		Headers: []hostfuncs.Header{
			{Name: "Host", Value: "example.com"},
			{Name: "Accept", Value: "*/*"},
			{Name: "X-Empty", Value: ""},
			{Name: "X-Dup", Value: "1"},
			{Name: "X-Dup", Value: "2"},
		},
	}
}

// stringsSize is the bytes the strings of info need after the fixed record.
func stringsSize(info *hostfuncs.RequestInfo) int {
	n := len(info.Method) + 1 + len(info.RequestURI) + 1 + len(info.HTTPVersion) + 1 + len(info.ServerAddr) + 1
	if info.HasLocalURI {
		n += len(info.LocalURIRaw) + 1 + len(info.LocalURI) + 1
	}
	if info.HasQuery {
		n += len(info.QueryString) + 1
	}
	for _, h := range info.Headers[:min(len(info.Headers), abi.MaxHeaders)] {
		n += len(h.Name) + 1 + len(h.Value) + 1
	}
	return n
}

func TestMarshalRequest(t *testing.T) {
	info := fullInfo()
	for _, base := range []uint32{0, 0x10000, 0x7fff0000} {
		t.Run(fmt.Sprintf("base %#x", base), func(t *testing.T) {
			b := hostfuncs.MarshalRequest(info, base)
			require.Len(t, b, abi.RequestSize+stringsSize(info))
			r := &record{t: t, b: b, base: base}

			require.Equal(t, "POST", r.mustStr(abi.RequestInfoRequestMethod))
			require.Equal(t, "/a b/../c", r.mustStr(abi.RequestInfoRequestURI))
			require.Equal(t, "/a b/../c", r.mustStr(abi.RequestInfoLocalURIRaw))
			require.Equal(t, "/c", r.mustStr(abi.RequestInfoLocalURI))
			require.Equal(t, "1.1", r.mustStr(abi.RequestInfoHTTPVersion))
			require.Equal(t, "x=1&y=%20", r.mustStr(abi.RequestInfoQueryString))
			require.Zero(t, r.u32(abi.RequestInfoRemoteUser), "remote_user is always NULL in v1")
			require.Equal(t, "2001:db8::1", r.inline(abi.RequestInfoRemoteAddr, abi.RemoteAddrSize))
			require.Equal(t, int64(1<<33), int64(binary.LittleEndian.Uint64(b[abi.RequestInfoContentLength:])))
			require.Equal(t, int32(54321), r.i32(abi.RequestInfoRemotePort))
			require.Equal(t, int32(8080), r.i32(abi.RequestInfoServerPort))
			require.Equal(t, int32(1), r.i32(abi.RequestInfoIsSSL))
			require.Zero(t, r.u32(abi.RequestInfoUserData), "user_data is the guest's")
			require.Zero(t, r.u32(abi.RequestInfoConnData), "conn_data is the guest's")
			require.Equal(t, int32(5), r.i32(abi.RequestInfoNumHeaders))
			for i, h := range info.Headers {
				at := abi.RequestInfoHTTPHeaders + i*abi.HeaderSize
				require.Equal(t, h.Name, r.mustStr(at+abi.HeaderName), "header %d name", i)
				require.Equal(t, h.Value, r.mustStr(at+abi.HeaderValue), "header %d value", i)
			}
			for i := len(info.Headers); i < abi.MaxHeaders; i++ {
				at := abi.RequestInfoHTTPHeaders + i*abi.HeaderSize
				require.Zero(t, r.u32(at+abi.HeaderName), "unused header %d", i)
				require.Zero(t, r.u32(at+abi.HeaderValue), "unused header %d", i)
			}
			require.Zero(t, r.u32(abi.RequestInfoClientCert), "client_cert is always NULL in v1")
			require.Zero(t, r.u32(abi.RequestInfoWSSubprotocol))
			require.Equal(t, "127.0.0.1", r.mustStr(abi.RequestServerAddr))
			require.Zero(t, r.u32(abi.RequestReserved))

			// Every byte after the fixed record belongs to a string.
			covered := 0
			for _, sp := range r.spans {
				covered += sp[1] - sp[0] + 1
			}
			require.Equal(t, len(b)-abi.RequestSize, covered)
		})
	}
}

func TestMarshalRequestAbsentFields(t *testing.T) {
	info := &hostfuncs.RequestInfo{
		Method: "OPTIONS", RequestURI: "*", HTTPVersion: "1.0",
		LocalURIRaw: "ignored", LocalURI: "ignored", HasLocalURI: false,
		QueryString: "ignored", HasQuery: false,
		ContentLength: -1,
	}
	b := hostfuncs.MarshalRequest(info, 0x1000)
	r := &record{t: t, b: b, base: 0x1000}
	require.Equal(t, "OPTIONS", r.mustStr(abi.RequestInfoRequestMethod))
	require.Equal(t, "*", r.mustStr(abi.RequestInfoRequestURI))
	for _, off := range []int{abi.RequestInfoLocalURIRaw, abi.RequestInfoLocalURI, abi.RequestInfoQueryString,
		abi.RequestInfoRemoteUser, abi.RequestInfoClientCert, abi.RequestInfoWSSubprotocol,
		abi.RequestInfoUserData, abi.RequestInfoConnData} {
		require.Zero(t, r.u32(off), "field at %d must be NULL", off)
	}
	require.Equal(t, uint64(0xffffffffffffffff), binary.LittleEndian.Uint64(b[abi.RequestInfoContentLength:]),
		"content_length -1")
	require.Equal(t, int32(0), r.i32(abi.RequestInfoIsSSL))
	require.Equal(t, int32(0), r.i32(abi.RequestInfoNumHeaders))
	require.Equal(t, "", r.inline(abi.RequestInfoRemoteAddr, abi.RemoteAddrSize))
	// server_addr is always a string, empty when unknown.
	require.Equal(t, "", r.mustStr(abi.RequestServerAddr))
	require.Len(t, b, abi.RequestSize+len("OPTIONS\x00*\x001.0\x00\x00"))
}

func TestMarshalRequestEmptyQueryIsNotNULL(t *testing.T) {
	info := fullInfo()
	info.QueryString = ""
	r := &record{t: t, b: hostfuncs.MarshalRequest(info, 64), base: 64}
	q, ok := r.str(abi.RequestInfoQueryString)
	require.True(t, ok, "\"/p?\" has an empty, non-NULL query_string")
	require.Equal(t, "", q)
}

func TestMarshalRequestRemoteAddr(t *testing.T) {
	for _, n := range []int{0, 1, 46, 47, 48, 49, 100} {
		addr := strings.Repeat("a", n)
		info := fullInfo()
		info.RemoteAddr = addr
		b := hostfuncs.MarshalRequest(info, 0)
		r := &record{t: t, b: b}
		require.Equal(t, addr[:min(n, abi.RemoteAddrSize-1)], r.inline(abi.RequestInfoRemoteAddr, abi.RemoteAddrSize), "len %d", n)
		require.Zero(t, b[abi.RequestInfoRemoteAddr+abi.RemoteAddrSize-1], "len %d: the array must end in NUL", n)
		// The array does not spill into content_length.
		require.Equal(t, int64(1<<33), int64(binary.LittleEndian.Uint64(b[abi.RequestInfoContentLength:])))
	}
}

func TestMarshalRequestContentLength(t *testing.T) {
	for _, cl := range []int64{-1, 0, 1, 1<<31 - 1, 1 << 31, 1 << 32, 1<<63 - 1} {
		info := fullInfo()
		info.ContentLength = cl
		b := hostfuncs.MarshalRequest(info, 0)
		require.Equal(t, cl, int64(binary.LittleEndian.Uint64(b[abi.RequestInfoContentLength:])))
		require.Equal(t, int32(54321), int32(binary.LittleEndian.Uint32(b[abi.RequestInfoRemotePort:])))
	}
}

func TestMarshalRequestPortsAndSSL(t *testing.T) {
	info := fullInfo()
	info.RemotePort, info.ServerPort, info.IsSSL = 0, 65535, false
	b := hostfuncs.MarshalRequest(info, 0)
	r := &record{t: t, b: b}
	require.Equal(t, int32(0), r.i32(abi.RequestInfoRemotePort))
	require.Equal(t, int32(65535), r.i32(abi.RequestInfoServerPort))
	require.Equal(t, int32(0), r.i32(abi.RequestInfoIsSSL))
}

func TestMarshalRequestHeaderCap(t *testing.T) {
	for _, n := range []int{abi.MaxHeaders - 1, abi.MaxHeaders, abi.MaxHeaders + 1, 2 * abi.MaxHeaders} {
		info := fullInfo()
		info.Headers = nil
		for i := range n {
			info.Headers = append(info.Headers, hostfuncs.Header{Name: fmt.Sprintf("X-%d", i), Value: fmt.Sprint(i)})
		}
		b := hostfuncs.MarshalRequest(info, 0x2000)
		r := &record{t: t, b: b, base: 0x2000}
		kept := min(n, abi.MaxHeaders)
		require.Equal(t, int32(kept), r.i32(abi.RequestInfoNumHeaders), "%d headers", n)
		require.Len(t, b, abi.RequestSize+stringsSize(info))
		for i := range kept {
			at := abi.RequestInfoHTTPHeaders + i*abi.HeaderSize
			require.Equal(t, fmt.Sprintf("X-%d", i), r.mustStr(at+abi.HeaderName))
			require.Equal(t, fmt.Sprint(i), r.mustStr(at+abi.HeaderValue))
		}
		// The header array must not run into client_cert.
		require.Zero(t, r.u32(abi.RequestInfoClientCert))
		require.Equal(t, "127.0.0.1", r.mustStr(abi.RequestServerAddr))
	}
}

// ---------------------------------------------------------------------------
// mg_get_request_info through the module

func TestGetRequestInfo(t *testing.T) {
	info := fullInfo()
	size := abi.RequestSize + stringsSize(info)
	const buf = 0x1000

	fill := func(mem *fakeMem) {
		for i := range mem.b {
			mem.b[i] = byte(i*7 + 3)
		}
	}

	for _, c := range []struct {
		name   string
		cap    uint64
		writes bool
	}{
		{"zero capacity", 0, false},
		{"fixed part only", abi.RequestSize, false},
		{"one byte short", uint64(size - 1), false},
		{"exact size", uint64(size), true},
		{"larger", uint64(size + 100), true},
	} {
		t.Run(c.name, func(t *testing.T) {
			mem := newMem()
			fill(mem)
			before := bytes.Clone(mem.b)
			conn := newConn()
			conn.info = *info
			require.Equal(t, int32(size), call(t, requestCtx(conn), mem, abi.FuncMgGetRequestInfo, buf, c.cap))
			if !c.writes {
				require.Equal(t, before, mem.b, "mg_get_request_info wrote with a buffer too small")
				return
			}
			// Only [buf, buf+size) changed.
			require.Equal(t, before[:buf], mem.b[:buf])
			require.Equal(t, before[buf+size:], mem.b[buf+size:])
			require.Equal(t, hostfuncs.MarshalRequest(info, buf), mem.b[buf:buf+size])
			// Pointers are absolute guest addresses: follow one through memory.
			ptr := binary.LittleEndian.Uint32(mem.b[buf+abi.RequestInfoLocalURI:])
			require.GreaterOrEqual(t, ptr, uint32(buf+abi.RequestSize))
			require.Less(t, ptr, uint32(buf+size))
			end := bytes.IndexByte(mem.b[ptr:], 0)
			require.Equal(t, "/c", string(mem.b[ptr:int(ptr)+end]))
		})
	}
}

func TestGetRequestInfoTraps(t *testing.T) {
	size := uint64(abi.RequestSize + stringsSize(fullInfo()))
	for _, c := range []struct {
		name      string
		ptr, cap  uint64
		alignment bool
	}{
		{"misaligned by 4", 0x1004, size, true},
		{"misaligned by 1", 0x1001, size, true},
		{"misaligned, too small", 0x1004, 8, true},
		{"misaligned, zero capacity", 0x1002, 0, true},
		{"capacity past the end", memSize - 1024, 4096, false},
		{"pointer past the end", memSize + 8, 0, false},
		{"wraps around 2^32", 0xfffffff8, 0x100, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			mem := newMem()
			before := bytes.Clone(mem.b)
			conn := newConn()
			conn.info = *fullInfo()
			_, p := invoke(t, requestCtx(conn), mem, abi.FuncMgGetRequestInfo, c.ptr, c.cap)
			f := requireFault(t, p, abi.FuncMgGetRequestInfo, "buf")
			require.Equal(t, c.ptr, f.Ptr)
			if c.alignment {
				require.Contains(t, f.Reason, "aligned")
			}
			require.Equal(t, before, mem.b)
		})
	}

	// 8-aligned addresses are fine, including the largest that fits.
	mem := newMem()
	conn := newConn()
	conn.info = *fullInfo()
	for _, ptr := range []uint64{0, 8, 0x1008, (memSize - size) &^ 7} {
		require.Equal(t, int32(size), call(t, requestCtx(conn), mem, abi.FuncMgGetRequestInfo, ptr, size), "buf %#x", ptr)
	}
}
