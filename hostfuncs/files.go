package hostfuncs

import (
	"context"

	"github.com/civetbox/civetbox/abi"
	"github.com/civetbox/civetbox/internal/guestmem"
	"github.com/civetbox/civetbox/runtime/engine"
)

// mgSendMimeFile2 implements abi.FuncMgSendMimeFile2. TODO(files helper).
func mgSendMimeFile2(ctx context.Context, mem engine.Memory, stack []uint64) {
	_ = connOf(ctx, abi.FuncMgSendMimeFile2)
	_ = view(mem, guestmem.Region{Func: abi.FuncMgSendMimeFile2, Param: "path", Ptr: u32(stack[0]), Len: u32(stack[1])})
	_ = view(mem, guestmem.Region{Func: abi.FuncMgSendMimeFile2, Param: "mime_type", Ptr: u32(stack[2]), Len: u32(stack[3])})
	_ = view(mem, guestmem.Region{Func: abi.FuncMgSendMimeFile2, Param: "additional_headers", Ptr: u32(stack[4]), Len: u32(stack[5])})
	stack[0] = i32(abi.CodeError)
}

// mgSendFileBody implements abi.FuncMgSendFileBody. TODO(files helper).
func mgSendFileBody(ctx context.Context, mem engine.Memory, stack []uint64) {
	_ = connOf(ctx, abi.FuncMgSendFileBody)
	_ = view(mem, guestmem.Region{Func: abi.FuncMgSendFileBody, Param: "path", Ptr: u32(stack[0]), Len: u32(stack[1])})
	stack[0] = i32(abi.CodeError)
}
