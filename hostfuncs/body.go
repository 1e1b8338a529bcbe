package hostfuncs

import (
	"context"
	"errors"
	"io"
	"math"
	"strconv"

	"github.com/civetbox/civetbox/abi"
	"github.com/civetbox/civetbox/internal/guestmem"
	"github.com/civetbox/civetbox/runtime/engine"
)

// mgRead implements abi.FuncMgRead: mg_read(buf, len) -> n.
//
// The body is read straight into guest memory. Result: bytes read (> 0), 0 at
// the end of the body, -1 on error (client gone, deadline, body too large).
func mgRead(ctx context.Context, mem engine.Memory, stack []uint64) {
	conn := connOf(ctx, abi.FuncMgRead)
	buf := view(mem, guestmem.Region{Func: abi.FuncMgRead, Param: "buf", Ptr: u32(stack[0]), Len: u32(stack[1])})
	buf = buf[:min(len(buf), math.MaxInt32)] // CivetWeb caps a read at INT_MAX, the most it can return
	if len(buf) == 0 {
		stack[0] = i32(abi.CodeClosed)
		return
	}
	n, err := conn.ReadBody(buf)
	switch {
	case n > 0:
		stack[0] = i32(int32(n))
	case err == nil || errors.Is(err, io.EOF):
		stack[0] = i32(abi.CodeClosed)
	default:
		stack[0] = i32(abi.CodeError)
	}
}

// mgWrite implements abi.FuncMgWrite: mg_write(buf, len) -> n.
//
// The bytes go to the response translator without a copy. Result: len, or -1
// if they were refused or could not be sent.
func mgWrite(ctx context.Context, mem engine.Memory, stack []uint64) {
	conn := connOf(ctx, abi.FuncMgWrite)
	buf := view(mem, guestmem.Region{Func: abi.FuncMgWrite, Param: "buf", Ptr: u32(stack[0]), Len: u32(stack[1])})
	stack[0] = writeResult(buf, conn.Write)
}

// mgSendChunk implements abi.FuncMgSendChunk: mg_send_chunk(chunk, chunk_len).
//
// Like CivetWeb it frames the data as one HTTP/1.1 chunk and writes it, so it
// mixes freely with guest-framed mg_write calls; a zero length ends the body.
// Like CivetWeb it returns the bytes written, framing included, or -1.
func mgSendChunk(ctx context.Context, mem engine.Memory, stack []uint64) {
	conn := connOf(ctx, abi.FuncMgSendChunk)
	buf := view(mem, guestmem.Region{Func: abi.FuncMgSendChunk, Param: "chunk", Ptr: u32(stack[0]), Len: u32(stack[1])})
	const framing = 12 // hex size, CRLF, CRLF
	if len(buf) > math.MaxInt32-framing {
		stack[0] = i32(abi.CodeError) // a count CivetWeb's int cannot return
		return
	}
	n, err := writeChunk(conn, buf)
	if err != nil {
		stack[0] = i32(abi.CodeError)
		return
	}
	stack[0] = i32(int32(n))
}

// writeChunk writes data as one chunk and returns the bytes written.
func writeChunk(conn Conn, data []byte) (int, error) {
	var sizeBuf [10]byte
	size := append(strconv.AppendUint(sizeBuf[:0], uint64(len(data)), 16), '\r', '\n')
	for _, p := range [][]byte{size, data, crlf} {
		if err := conn.Write(p); err != nil {
			return 0, err
		}
	}
	return len(size) + len(data) + len(crlf), nil
}

var crlf = []byte("\r\n")

// writeResult sends buf with write and returns mg_write's result: the
// length, or -1 on error or for a length over INT_MAX, which CivetWeb cannot
// report.
func writeResult(buf []byte, write func([]byte) error) uint64 {
	if len(buf) > math.MaxInt32 || write(buf) != nil {
		return i32(abi.CodeError)
	}
	return i32(int32(len(buf)))
}

// view validates a region and returns it, trapping on a bad pointer.
func view(mem engine.Memory, r guestmem.Region) []byte {
	b, err := guestmem.View(mem, r)
	if err != nil {
		trap(err)
	}
	return b
}

// str validates a region and returns a copy as a string, trapping on a bad
// pointer.
func str(mem engine.Memory, r guestmem.Region) string {
	s, err := guestmem.String(mem, r)
	if err != nil {
		trap(err)
	}
	return s
}

func u32(v uint64) uint32 { return uint32(v) }

func i32(v int32) uint64 { return uint64(uint32(v)) }
