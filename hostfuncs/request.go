package hostfuncs

import (
	"context"
	"encoding/binary"

	"github.com/civetbox/civetbox/abi"
	"github.com/civetbox/civetbox/internal/guestmem"
	"github.com/civetbox/civetbox/runtime/engine"
)

// mgGetRequestInfo implements abi.FuncMgGetRequestInfo:
// mg_get_request_info(buf, cap) -> size.
//
// It writes struct civetbox_request and all its strings at buf in one call, if
// they fit in cap bytes, and returns the size they need either way:
//
//	buf                         buf+640                        buf+size
//	| mg_request_info | ext    | "GET\0" "/path\0" ... "1.1\0" |
//	   pointers ----------------^ (absolute guest addresses)
func mgGetRequestInfo(ctx context.Context, mem engine.Memory, stack []uint64) {
	conn := connOf(ctx, abi.FuncMgGetRequestInfo)
	r := guestmem.Region{Func: abi.FuncMgGetRequestInfo, Param: "buf", Ptr: u32(stack[0]), Len: u32(stack[1])}
	if err := guestmem.Aligned(mem, r, abi.RequestInfoAlign); err != nil {
		trap(err)
	}
	rec := MarshalRequest(conn.Info(), r.Ptr)
	if uint64(len(rec)) <= uint64(r.Len) {
		if err := guestmem.Write(mem, r, rec); err != nil {
			trap(err)
		}
	}
	stack[0] = uint64(len(rec))
}

// MarshalRequest lays info out as struct civetbox_request for a guest buffer
// at address base: the fixed record, then NUL-terminated strings that its
// pointers address.
func MarshalRequest(info *RequestInfo, base uint32) []byte {
	m := marshaller{base: base, buf: make([]byte, abi.RequestSize, abi.RequestSize+estimateStrings(info))}
	m.ptr(abi.RequestInfoRequestMethod, info.Method, true)
	m.ptr(abi.RequestInfoRequestURI, info.RequestURI, true)
	m.ptr(abi.RequestInfoLocalURIRaw, info.LocalURIRaw, info.HasLocalURI)
	m.ptr(abi.RequestInfoLocalURI, info.LocalURI, info.HasLocalURI)
	m.ptr(abi.RequestInfoHTTPVersion, info.HTTPVersion, true)
	m.ptr(abi.RequestInfoQueryString, info.QueryString, info.HasQuery)
	m.inline(abi.RequestInfoRemoteAddr, abi.RemoteAddrSize, info.RemoteAddr)
	binary.LittleEndian.PutUint64(m.buf[abi.RequestInfoContentLength:], uint64(info.ContentLength))
	m.int(abi.RequestInfoRemotePort, info.RemotePort)
	m.int(abi.RequestInfoServerPort, info.ServerPort)
	m.int(abi.RequestInfoIsSSL, boolInt(info.IsSSL))
	headers := info.Headers[:min(len(info.Headers), abi.MaxHeaders)]
	m.int(abi.RequestInfoNumHeaders, len(headers))
	for i, h := range headers {
		at := abi.RequestInfoHTTPHeaders + i*abi.HeaderSize
		m.ptr(at+abi.HeaderName, h.Name, true)
		m.ptr(at+abi.HeaderValue, h.Value, true)
	}
	m.ptr(abi.RequestServerAddr, info.ServerAddr, true)
	return m.buf
}

type marshaller struct {
	base uint32
	buf  []byte
}

// ptr stores s after the record and its address at field; absent fields
// stay NULL.
func (m *marshaller) ptr(field int, s string, present bool) {
	if !present {
		return
	}
	addr := m.base + uint32(len(m.buf))
	m.buf = append(append(m.buf, s...), 0)
	binary.LittleEndian.PutUint32(m.buf[field:], addr)
}

// inline copies s into a fixed char array, truncated to keep its NUL.
func (m *marshaller) inline(field, size int, s string) {
	copy(m.buf[field:field+size-1], s)
}

func (m *marshaller) int(field, v int) {
	binary.LittleEndian.PutUint32(m.buf[field:], uint32(int32(v)))
}

func estimateStrings(info *RequestInfo) int {
	n := len(info.Method) + len(info.RequestURI) + len(info.LocalURIRaw) + len(info.LocalURI) +
		len(info.HTTPVersion) + len(info.QueryString) + len(info.ServerAddr) + 8
	for _, h := range info.Headers {
		n += len(h.Name) + len(h.Value) + 2
	}
	return n
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
