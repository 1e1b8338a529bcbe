package hostfuncs

import (
	"context"
	"fmt"

	"github.com/civetbox/civetbox/abi"
	"github.com/civetbox/civetbox/runtime/engine"
)

// impls maps each ABI host function to its implementation. Module checks it
// against abi.HostFuncs, so a function cannot be declared without being
// implemented or the other way round.
var impls = map[string]func(context.Context, engine.Memory, []uint64){
	abi.FuncMgRead:                  mgRead,
	abi.FuncMgWrite:                 mgWrite,
	abi.FuncMgSendChunk:             mgSendChunk,
	abi.FuncMgGetRequestInfo:        mgGetRequestInfo,
	abi.FuncMgSendHTTPOk:            mgSendHTTPOk,
	abi.FuncMgSendHTTPError:         mgSendHTTPError,
	abi.FuncMgSendHTTPRedirect:      mgSendHTTPRedirect,
	abi.FuncMgResponseHeaderStart:   mgResponseHeaderStart,
	abi.FuncMgResponseHeaderAdd:     mgResponseHeaderAdd,
	abi.FuncMgResponseHeaderAddLine: mgResponseHeaderAddLines,
	abi.FuncMgResponseHeaderSend:    mgResponseHeaderSend,
	abi.FuncMgCry:                   mgCry,
	abi.FuncMgSetRequestHandler:     mgSetRequestHandler,
	abi.FuncMgSendMimeFile2:         mgSendMimeFile2,
	abi.FuncMgSendFileBody:          mgSendFileBody,
	abi.FuncUploadOpen:              uploadOpen,
	abi.FuncUploadWrite:             uploadWrite,
	abi.FuncUploadClose:             uploadClose,
	abi.FuncGrants:                  grants,
	abi.FuncMgCheckDigest:           mgCheckDigest,
	abi.FuncMgSendDigestAuth:        mgSendDigestAuth,
}

// Module returns the civetbox host module for an engine: every function of
// abi.HostFuncs, in spec order, bound to its implementation.
func Module() engine.HostModule {
	sigs := abi.HostFuncs()
	if len(sigs) != len(impls) {
		panic(fmt.Sprintf("hostfuncs: %d ABI functions but %d implementations", len(sigs), len(impls)))
	}
	funcs := make([]engine.HostFunc, len(sigs))
	for i, sig := range sigs {
		fn, ok := impls[sig.Name]
		if !ok {
			panic("hostfuncs: no implementation of " + sig.Name)
		}
		funcs[i] = engine.HostFunc{
			Name: sig.Name, Params: EngineTypes(sig.Params), ParamNames: sig.ParamNames,
			Results: EngineTypes(sig.Results), Fn: fn,
		}
	}
	return engine.HostModule{Name: abi.HostModule, Funcs: funcs}
}

// Modules returns every host module a guest may import: the civetbox ABI and
// WASI preview 1.
func Modules() []engine.HostModule {
	return []engine.HostModule{Module(), WASIModule()}
}

// EngineTypes converts ABI value types to the engine's.
func EngineTypes(ts []abi.ValueType) []engine.ValueType {
	out := make([]engine.ValueType, len(ts))
	for i, t := range ts {
		out[i] = engine.I32
		if t == abi.I64 {
			out[i] = engine.I64
		}
	}
	return out
}
