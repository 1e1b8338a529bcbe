package hostfuncs

import (
	"context"

	"github.com/civetbox/civetbox/abi"
	"github.com/civetbox/civetbox/internal/guestmem"
	"github.com/civetbox/civetbox/runtime/engine"
)

// mgCheckDigest implements abi.FuncMgCheckDigest. TODO(digest helper).
func mgCheckDigest(ctx context.Context, mem engine.Memory, stack []uint64) {
	_ = connOf(ctx, abi.FuncMgCheckDigest)
	_ = view(mem, guestmem.Region{Func: abi.FuncMgCheckDigest, Param: "realm", Ptr: u32(stack[0]), Len: u32(stack[1])})
	_ = view(mem, guestmem.Region{Func: abi.FuncMgCheckDigest, Param: "filename", Ptr: u32(stack[2]), Len: u32(stack[3])})
	stack[0] = i32(abi.CodeError)
}

// mgSendDigestAuth implements abi.FuncMgSendDigestAuth. TODO(digest helper).
func mgSendDigestAuth(ctx context.Context, mem engine.Memory, stack []uint64) {
	_ = connOf(ctx, abi.FuncMgSendDigestAuth)
	_ = view(mem, guestmem.Region{Func: abi.FuncMgSendDigestAuth, Param: "realm", Ptr: u32(stack[0]), Len: u32(stack[1])})
	stack[0] = i32(abi.CodeError)
}
