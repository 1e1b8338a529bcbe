// Package hostfuncs implements the civetbox host functions (ABI v1, see
// package abi) once, against the engine-neutral engine.Memory and a small
// Conn interface. It knows nothing about net/http or any engine: runtime
// adapts a real HTTP exchange to Conn and an adapter runs the functions.
//
// Per-call state reaches a host function through the context passed to the
// guest call:
//
//	ctx = hostfuncs.WithScope(ctx, &hostfuncs.Scope{Conn: conn, Log: log})
//	err := dispatch.Call(ctx, stack)
package hostfuncs

import (
	"context"
	"io"
	"log/slog"
)

// Scope is what host functions act on during one guest call.
type Scope struct {
	// Conn is the request being served; nil during civetbox_abi_init.
	Conn Conn
	// Router receives mg_set_request_handler calls; nil during requests.
	Router Router
	// Log receives mg_cry messages.
	Log *slog.Logger
	// RequestID tags log lines; 0 during civetbox_abi_init.
	RequestID uint64
	// Stdout and Stderr receive the guest's WASI output; nil discards it.
	Stdout, Stderr io.Writer
	// Clock is the instance's WASI clock; nil means a fresh one per call.
	Clock *Clock
	// Grants are the module's directories and nonce key; nil means none.
	Grants *Grants

	uploads uploadTable // files upload_open created and not yet closed
}

// Release frees what host functions acquired for the call (files the guest
// left open). The runtime calls it after every guest call.
func (s *Scope) Release() { s.release() }

// clock returns the scope's clock, creating one if the caller gave none.
func (s *Scope) clock() *Clock {
	if s.Clock == nil {
		s.Clock = &Clock{}
	}
	return s.Clock
}

// Router records the routes a guest registers during civetbox_abi_init.
type Router interface {
	// SetHandler adds or replaces the route for uri; handler 0 removes it.
	SetHandler(uri string, handler, cbdata uint32)
}

type scopeKey struct{}

// WithScope returns ctx carrying s for the host functions of a guest call.
func WithScope(ctx context.Context, s *Scope) context.Context {
	return context.WithValue(ctx, scopeKey{}, s)
}

// IsScopeKey reports whether key is the one WithScope stores a scope
// under, for a context that carries the scope itself (the runtime's
// per-request context, which spares a WithValue per request).
func IsScopeKey(key any) bool {
	_, ok := key.(scopeKey)
	return ok
}

// scopeOf returns the call's scope; a call made outside one is a contract
// violation (the runtime always sets one), so it traps.
func scopeOf(ctx context.Context, fn string) *Scope {
	s, _ := ctx.Value(scopeKey{}).(*Scope)
	if s == nil {
		trap(&ContractError{Func: fn, Reason: "called outside a civetbox guest call"})
	}
	return s
}

// connOf returns the request the call serves, trapping outside a request.
func connOf(ctx context.Context, fn string) Conn {
	s := scopeOf(ctx, fn)
	if s.Conn == nil {
		trap(&ContractError{Func: fn, Reason: "called outside a request (only mg_set_request_handler and mg_cry may run in civetbox_init)"})
	}
	return s.Conn
}

// ContractError is a guest breaking the ABI contract in a way that is not a
// bad pointer (those are *guestmem.Fault). The host function traps with it.
type ContractError struct {
	Func, Reason string
}

func (e *ContractError) Error() string {
	return "hostfuncs: " + e.Func + ": " + e.Reason
}

// trap stops the guest: the engine adapter turns the panic into the error
// returned by the guest call, and the runtime discards the instance.
func trap(err error) {
	panic(err)
}
