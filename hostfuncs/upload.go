package hostfuncs

import (
	"context"

	"github.com/civetbox/civetbox/abi"
	"github.com/civetbox/civetbox/internal/guestmem"
	"github.com/civetbox/civetbox/runtime/engine"
)

// uploadOpen implements abi.FuncUploadOpen. TODO(uploads helper).
func uploadOpen(ctx context.Context, mem engine.Memory, stack []uint64) {
	_ = connOf(ctx, abi.FuncUploadOpen)
	_ = view(mem, guestmem.Region{Func: abi.FuncUploadOpen, Param: "path", Ptr: u32(stack[0]), Len: u32(stack[1])})
	stack[0] = i32(abi.CodeError)
}

// uploadWrite implements abi.FuncUploadWrite. TODO(uploads helper).
func uploadWrite(ctx context.Context, mem engine.Memory, stack []uint64) {
	_ = connOf(ctx, abi.FuncUploadWrite)
	_ = view(mem, guestmem.Region{Func: abi.FuncUploadWrite, Param: "buf", Ptr: u32(stack[1]), Len: u32(stack[2])})
	stack[0] = i32(abi.CodeError)
}

// uploadClose implements abi.FuncUploadClose. TODO(uploads helper).
func uploadClose(ctx context.Context, mem engine.Memory, stack []uint64) {
	_ = connOf(ctx, abi.FuncUploadClose)
	stack[0] = i32(abi.CodeError)
}

// release frees what the request left open (upload handles). The runtime
// calls it after every guest call. TODO(uploads helper).
func (s *Scope) release() {}
