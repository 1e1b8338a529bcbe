package hostfuncs

import (
	"context"

	"github.com/civetbox/civetbox/abi"
	"github.com/civetbox/civetbox/internal/guestmem"
	"github.com/civetbox/civetbox/runtime/engine"
)

// MaxCryBytes caps one mg_cry message in the server log, CivetWeb's own
// message buffer size; longer messages are cut, so a guest cannot flood the
// log with one call.
const MaxCryBytes = 8192

// mgCry implements abi.FuncMgCry: mg_cry(msg, msg_len). It may be called
// during civetbox_init as well as during a request.
func mgCry(ctx context.Context, mem engine.Memory, stack []uint64) {
	s := scopeOf(ctx, abi.FuncMgCry)
	b := view(mem, guestmem.Region{Func: abi.FuncMgCry, Param: "msg", Ptr: u32(stack[0]), Len: u32(stack[1])})
	msg := string(b[:min(len(b), MaxCryBytes)])
	if s.Log != nil {
		s.Log.Warn("mg_cry", "request_id", s.RequestID, "text", msg, "truncated", len(b) > MaxCryBytes)
	}
}

// mgSetRequestHandler implements abi.FuncMgSetRequestHandler:
// mg_set_request_handler(uri, uri_len, handler, cbdata) -> 0. It is only
// allowed during civetbox_init; a call during a request traps, because
// routes must be the same in every instance of a module.
func mgSetRequestHandler(ctx context.Context, mem engine.Memory, stack []uint64) {
	s := scopeOf(ctx, abi.FuncMgSetRequestHandler)
	if s.Router == nil {
		trap(&ContractError{Func: abi.FuncMgSetRequestHandler, Reason: "called during a request; register handlers in civetbox_init"})
	}
	uri := str(mem, guestmem.Region{Func: abi.FuncMgSetRequestHandler, Param: "uri", Ptr: u32(stack[0]), Len: u32(stack[1])})
	s.Router.SetHandler(uri, u32(stack[2]), u32(stack[3]))
	stack[0] = i32(abi.CodeOK)
}
