package runtime

import (
	"context"
	"sync/atomic"
	"time"
)

// Trace is what a Handler tells whoever serves it about one request, for
// metrics and an access log: a server puts one in the request's context
// with WithTrace and reads it after ServeHTTP returns. The runtime has no
// metrics of its own, so "civetbox run" and tests need none.
type Trace struct {
	// ID tags every log line of the request, the guest's included. A
	// server sets it (from NewRequestID) to use the same id in its own
	// lines; 0 lets the Handler pick one.
	ID uint64
	// Module is the module that answered.
	Module string
	// Route is the registered route URI that matched, "" if none did.
	Route string
	// Failure is why the guest call failed (Failure* constants), "" if it
	// did not.
	Failure string
	// Limit is the limit that refused or cut the request (Limit*
	// constants), "" if none did. Servers add their own kinds.
	Limit string
}

// Failure kinds.
const (
	FailureTrap       = "trap"        // a wasm trap
	FailureExit       = "exit"        // the guest called exit (WASI proc_exit)
	FailureBadPointer = "bad_pointer" // a pointer or length outside guest memory
	FailureContract   = "contract"    // another ABI contract violation
	FailureDeadline   = "deadline"    // the request deadline stopped it
	FailureInit       = "init"        // no instance could start
	FailureCanceled   = "canceled"    // the client left
	FailureOther      = "error"       // anything else (a failed response write)
)

// Limit kinds the runtime enforces.
const (
	LimitBodySize       = "body_size"        // 413
	LimitTooManyHeaders = "too_many_headers" // 431: more than CivetWeb's 64 header fields
)

type traceKey struct{}

// WithTrace returns ctx carrying t, for a Handler to fill in.
func WithTrace(ctx context.Context, t *Trace) context.Context {
	return context.WithValue(ctx, traceKey{}, t)
}

// TraceFrom returns the trace ctx carries, or nil.
func TraceFrom(ctx context.Context) *Trace {
	t, _ := ctx.Value(traceKey{}).(*Trace)
	return t
}

var requestIDs atomic.Uint64

// NewRequestID returns an id no other request of this process has, whatever
// module or tenant serves it, so one id finds all of a request's log lines.
func NewRequestID() uint64 { return requestIDs.Add(1) }

// Observer receives a module's load-time measurements, for metrics. Its
// methods must be safe for concurrent use.
type Observer interface {
	// Compiled reports how long compiling the module took.
	Compiled(d time.Duration)
	// Instantiated reports how long starting an instance took:
	// instantiation and civetbox_init, for an instance that started.
	Instantiated(d time.Duration)
}

// noObserver is the Observer of a Config that sets none.
type noObserver struct{}

func (noObserver) Compiled(time.Duration)     {}
func (noObserver) Instantiated(time.Duration) {}
