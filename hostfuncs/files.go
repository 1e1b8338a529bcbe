package hostfuncs

import (
	"context"

	"github.com/civetbox/civetbox/abi"
	"github.com/civetbox/civetbox/internal/guestmem"
	"github.com/civetbox/civetbox/runtime/engine"
)

// mgSendMimeFile2 implements abi.FuncMgSendMimeFile2: a whole response for a
// file in the document root (see fileSender.sendFile). All three regions
// are checked before anything else, so a bad pointer traps even without a
// document root.
func mgSendMimeFile2(ctx context.Context, mem engine.Memory, stack []uint64) {
	fn := abi.FuncMgSendMimeFile2
	conn := connOf(ctx, fn)
	path := guestPath(mem, fn, stack[0], stack[1])
	mime := str(mem, guestmem.Region{Func: fn, Param: "mime_type", Ptr: u32(stack[2]), Len: u32(stack[3])})
	extra := str(mem, guestmem.Region{Func: fn, Param: "additional_headers", Ptr: u32(stack[4]), Len: u32(stack[5])})
	s := fileSender{ctx: ctx, conn: conn, scope: scopeOf(ctx, fn), fn: fn}
	stack[0] = i32(s.sendFile(path, mime, extra))
}

// mgSendFileBody implements abi.FuncMgSendFileBody: a file's bytes as body
// data (see fileSender.sendFileBody).
func mgSendFileBody(ctx context.Context, mem engine.Memory, stack []uint64) {
	fn := abi.FuncMgSendFileBody
	conn := connOf(ctx, fn)
	path := guestPath(mem, fn, stack[0], stack[1])
	s := fileSender{ctx: ctx, conn: conn, scope: scopeOf(ctx, fn), fn: fn}
	stack[0] = i32(s.sendFileBody(path))
}

// guestPath validates a path argument and copies at most one byte more than
// MaxFilePath of it: a longer path is refused anyway.
func guestPath(mem engine.Memory, fn string, ptr, n uint64) string {
	b := view(mem, guestmem.Region{Func: fn, Param: "path", Ptr: u32(ptr), Len: u32(n)})
	return string(b[:min(len(b), MaxFilePath+1)])
}
