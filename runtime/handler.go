package runtime

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/civetbox/civetbox/hostfuncs"
	"github.com/civetbox/civetbox/internal/route"
	"github.com/civetbox/civetbox/runtime/engine"
)

// Handler serves one guest module over HTTP. It is an http.Handler.
type Handler struct {
	cfg       Config
	log       *slog.Logger // tagged with the module name
	mod       engine.Module
	grants    *hostfuncs.Grants // shared by every instance
	instances instances
	routes    route.Table // as the first instance registered them

	// lifecycle is read-held by every request and write-held by Close, so
	// Close waits for requests in flight and no request starts after it.
	lifecycle sync.RWMutex
	closed    bool

	live atomic.Int64 // instances created and not yet closed
}

var _ http.Handler = (*Handler)(nil)

// Load checks that wasm is a civetbox guest for this ABI, compiles it with
// eng, and starts one instance to run civetbox_init, so a broken module fails
// here rather than on its first request. Errors are *ModuleError.
func Load(ctx context.Context, eng engine.Engine, wasm []byte, cfg Config) (*Handler, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	moduleErr := func(err error) error { return &ModuleError{Module: cfg.Name, Err: err} }
	if err := checkABIVersion(wasm); err != nil {
		return nil, moduleErr(err)
	}
	grants, err := openGrants(cfg)
	if err != nil {
		return nil, moduleErr(err)
	}
	start := time.Now()
	mod, err := eng.Compile(ctx, wasm)
	if err == nil {
		cfg.Observer.Compiled(time.Since(start))
	}
	if err != nil {
		closeGrants(grants)
		return nil, moduleErr(fmt.Errorf("%w: %w", ErrCompile, err))
	}
	h := &Handler{cfg: cfg, mod: mod, grants: grants, log: cfg.Logger.With("module", cfg.Name)}
	if err := h.start(ctx); err != nil {
		_ = mod.Close(ctx)
		closeGrants(grants)
		return nil, moduleErr(err)
	}
	return h, nil
}

// start validates the module's interface and creates its first instance.
func (h *Handler) start(ctx context.Context) error {
	if err := checkImports(h.mod.Imports()); err != nil {
		return err
	}
	if err := checkExports(h.mod.Exports()); err != nil {
		return err
	}
	closed := func() { h.live.Add(-1) } // one closure, not one per instance
	newInst := func(ctx context.Context) (*instance, error) {
		start := time.Now()
		in, err := newInstance(ctx, h.mod, h.log, h.cfg.GuestOutputLimit, h.grants)
		if err == nil {
			h.cfg.Observer.Instantiated(time.Since(start))
			h.live.Add(1)
			in.onClose = closed
		}
		return in, err
	}
	if h.cfg.Mode == ModePooled {
		h.instances = newPooledInstances(h.cfg.PoolSize, newInst)
	} else {
		h.instances = freshInstances{newInstance: newInst}
	}
	ctx, cancel := context.WithTimeout(ctx, h.cfg.InitTimeout)
	defer cancel()
	first, err := h.instances.get(ctx)
	if err != nil {
		return err
	}
	h.routes = first.routes.Clone()
	h.instances.put(first, true)
	h.logReset()
	return nil
}

// logReset tells, in fresh mode, when the engine could reset used
// instances but not this module's: its fresh instances then cost a whole
// instantiation each, and the operator should know why.
func (h *Handler) logReset() {
	r, ok := h.mod.(engine.Resetting)
	if !ok || h.cfg.Mode != ModeFresh {
		return
	}
	if why := r.ResetBlocker(); why != "" {
		h.log.Info("fresh instances are instantiated for every request, not reset", "reason", why)
	}
}

// Routes returns the URIs the module registered, in registration order.
func (h *Handler) Routes() []string {
	routes := h.routes.Routes()
	uris := make([]string, len(routes))
	for i, r := range routes {
		uris[i] = r.URI
	}
	return uris
}

// Close stops accepting requests, waits for those in flight, and releases
// every instance and the compiled module. It is safe to call more than once.
func (h *Handler) Close(ctx context.Context) error {
	h.lifecycle.Lock()
	defer h.lifecycle.Unlock()
	if h.closed {
		return nil
	}
	h.closed = true
	h.instances.close()
	defer closeGrants(h.grants)
	return h.mod.Close(ctx)
}

// ServeHTTP runs the request through the module. Failures never reach the
// client as Go errors: it gets CivetWeb-style error pages (404, 500, 504) or,
// once a response has started, an aborted connection.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.serveHTTP(w, r, nil)
}

// serveHTTP is ServeHTTP for a request whose info a caller (Set, routing
// by local_uri) has already computed; nil means compute it here. The info
// is copied, so the caller's may live on its stack.
func (h *Handler) serveHTTP(w http.ResponseWriter, r *http.Request, info *hostfuncs.RequestInfo) {
	h.lifecycle.RLock()
	defer h.lifecycle.RUnlock()
	x := acquireExchange(w, r)
	if info != nil {
		x.infoBuf, x.parsed = *info, true
	}
	x.maxBody = h.cfg.MaxRequestBody
	x.trace = requestTrace(r.Context(), &x.ownTrace)
	x.id, x.trace.Module = x.trace.ID, h.cfg.Name
	if h.closed {
		h.sendError(x, http.StatusServiceUnavailable, "The server is shutting down.")
		return
	}
	ctx := &x.ctx
	ctx.init(r.Context(), h.cfg.RequestTimeout)
	clean := false
	defer func() {
		ctx.release()
		if clean {
			releaseExchange(x)
		} // else a panic unwinds, which may still refer to x: the GC takes it
	}()
	if h.serve(ctx, x) == outcomeAbort {
		x.bound(time.Now())
		panic(http.ErrAbortHandler) // net/http closes the connection quietly
	}
	x.discardBody()
	clean = true
}

// outcome is how a request ended for the connection.
type outcome bool

const (
	outcomeDone  outcome = false
	outcomeAbort outcome = true
)

// serve prepares the request, runs the matching guest handler and completes
// the response.
func (h *Handler) serve(ctx context.Context, x *exchange) outcome {
	if status, msg := x.prepare(ctx); status != 0 {
		x.trace.Limit = refusalLimit(status)
		if rt, ok := h.routes.Match(x.info.LocalURI); ok && x.info.HasLocalURI {
			x.trace.Route = rt.URI // which route's uploads are too large
		}
		h.log.Warn("request refused before the guest", "request_id", x.id, "status", status, "reason", msg)
		h.sendError(x, status, msg)
		return outcomeDone
	}
	if !h.Matches(x.info.LocalURI) {
		// Answered without an instance, so unknown paths cost no
		// instantiation.
		h.notHandled(x)
		return outcomeDone
	}
	in, err := h.instances.get(ctx)
	if err != nil {
		return h.fail(x, fmt.Errorf("runtime: start instance: %w", err))
	}
	// The instance's own table decides: it holds the cbdata pointers valid
	// in that instance.
	rt, ok := in.routes.Match(x.info.LocalURI)
	if !ok {
		h.instances.put(in, true)
		h.notHandled(x)
		return outcomeDone
	}
	x.trace.Route = rt.URI
	x.resp.UseHeadCache(&in.heads)
	rc, err := in.call(ctx, rt, x.scope(h.log, h.grants))
	x.resp.UseHeadCache(nil) // in goes back now
	x.liftReadDeadline()
	h.instances.put(in, err == nil && x.resp.Err() == nil)
	if (err != nil || !x.resp.Committed()) && !errors.Is(err, context.DeadlineExceeded) && x.deadlinePassed() {
		// Past the deadline the deadline decides, whatever the guest did:
		// a blocked mg_read gave up, or net/http cancelled the request
		// because its body read timed out.
		err = fmt.Errorf("%w: %w", context.DeadlineExceeded, lateCause(err))
	}
	if err != nil {
		return h.fail(x, err)
	}
	return h.finish(x, rc)
}

// requestTrace is the trace a server put in ctx, else own, with an id.
func requestTrace(ctx context.Context, own *Trace) *Trace {
	t := TraceFrom(ctx)
	if t == nil {
		t = own
	}
	if t.ID == 0 {
		t.ID = NewRequestID()
	}
	return t
}

// refusalLimit is the limit behind a status prepare refused with.
func refusalLimit(status int) string {
	switch status {
	case http.StatusRequestEntityTooLarge:
		return LimitBodySize
	case http.StatusRequestHeaderFieldsTooLarge:
		return LimitTooManyHeaders
	}
	return ""
}

// lateCause is what ended a guest call that outlived its deadline.
func lateCause(err error) error {
	if err == nil {
		return errors.New("the guest returned after the deadline")
	}
	return err
}

// finish completes the response after the guest handler returned rc.
func (h *Handler) finish(x *exchange, rc int32) outcome {
	if x.bodyTooLarge {
		h.log.Warn("request body over the limit; answered 413 unless the handler had already answered",
			"request_id", x.id, "limit", x.maxBody)
	}
	switch {
	case x.resp.Err() != nil:
		return h.fail(x, x.resp.Err())
	case x.resp.Pending() != "":
		return h.fail(x, errors.New("runtime: "+x.resp.Pending()))
	case rc <= 0 && !x.resp.Started():
		h.notHandled(x)
	case rc <= 0:
		h.log.Warn("handler returned 'not handled' after sending a response", "request_id", x.id, "result", rc)
	case !x.resp.Started():
		x.sendEmpty(emptyStatus(rc))
	}
	if n := x.resp.Dropped(); n > 0 {
		h.log.Warn("handler wrote more body than its response allows (past its Content-Length, or for a 204 or 304); the excess was dropped",
			"request_id", x.id, "bytes", n)
	}
	return outcomeDone
}

// emptyStatus is the status of a response to a handler that sent nothing and
// returned rc: rc itself when it is a final status, else 200.
func emptyStatus(rc int32) int {
	if rc >= 200 && rc <= 599 {
		return int(rc)
	}
	return http.StatusOK
}

// Matches reports whether the module registered a route for localURI (a
// decoded, dot-segment-free path), as its first instance registered them.
func (h *Handler) Matches(localURI string) bool {
	_, ok := h.routes.Match(localURI)
	return ok
}

// LiveInstances is the number of instances created and not yet closed: busy
// ones, and idle ones in a pool.
func (h *Handler) LiveInstances() int64 { return h.live.Load() }

// IdleResetInstances is how many closed instances the engine keeps reset
// for the module's next fresh requests (engine.Resetting); they are not
// live, but hold their memory.
func (h *Handler) IdleResetInstances() int {
	if r, ok := h.mod.(engine.Resetting); ok {
		return r.IdleInstances()
	}
	return 0
}

// Name is the module's name (Config.Name).
func (h *Handler) Name() string { return h.cfg.Name }
