package runtime

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/civetbox/civetbox/hostfuncs"
	"github.com/civetbox/civetbox/internal/reqinfo"
	"github.com/civetbox/civetbox/internal/response"
)

// WriteGrace is how long after the request deadline the response may still
// be written: enough to flush what a guest that finished in time left
// buffered, not enough for a client that does not read to hold a guest.
const WriteGrace = time.Second

// exchange is one HTTP request and its response as hostfuncs.Conn.
type exchange struct {
	id    uint64 // request id in logs
	trace *Trace // what the server learns of the request
	// ownTrace is the trace when the server passed none: part of the
	// exchange, so it costs no allocation.
	ownTrace Trace
	w        http.ResponseWriter
	r        *http.Request
	body     io.Reader // r.Body, or an empty body for a request built without one
	// bodyStarted, bodyRead and bodyEnded are whether the guest has read
	// the body, how much, and whether all of it.
	bodyStarted, bodyEnded bool
	bodyRead               int64
	maxBody                int64 // Config.MaxRequestBody; negative for none
	bodyTooLarge           bool  // the guest read past maxBody
	hostAnswered           bool  // the host sent its 413; the guest's output is dropped
	readErr                error // why the body could not be read to its end
	readDeadline           bool  // the deadline is set for body reads
	rc                     *http.ResponseController
	deadline               time.Time // the request's; zero for none
	info                   *hostfuncs.RequestInfo
	parsed                 bool // infoBuf's target was computed by the caller (Set)
	// detailed is whether info has its headers and addresses: filled on
	// the first Info call, as most handlers never ask for them.
	detailed bool
	resp     *response.Writer

	// What the exchange points to, allocated (and recycled) with it: one
	// allocation instead of five, and none once the pool has one.
	respBuf  response.Writer
	infoBuf  hostfuncs.RequestInfo
	scopeBuf hostfuncs.Scope
	rcBuf    http.ResponseController
	ctx      callContext
}

var _ hostfuncs.Conn = (*exchange)(nil)

func newExchange(w http.ResponseWriter, r *http.Request) *exchange {
	return new(exchange).start(w, r)
}

// exchanges recycles the exchanges of requests that ended cleanly. At
// about 1 KiB, an exchange was a third of what a small request allocated;
// net/http keeps the heap small, so every allocation brings the next
// garbage collection closer, and recycling it cut a pooled hello request's
// server CPU by about a tenth.
var exchanges = sync.Pool{New: func() any { return new(exchange) }}

// acquireExchange is newExchange from the pool; releaseExchange gives it
// back once nothing refers to it.
func acquireExchange(w http.ResponseWriter, r *http.Request) *exchange {
	return exchanges.Get().(*exchange).start(w, r)
}

// releaseExchange clears x, so no request's data outlives it, and pools it.
// net/http is done with x's response values once the handler returns: it
// copied the header at WriteHeader, and reads the handler's header map
// afterwards only for trailers, which the response writer never puts in
// x (response.Writer drops a guest's Trailer field; trailer values are
// allocated).
func releaseExchange(x *exchange) {
	*x = exchange{}
	exchanges.Put(x)
}

// start readies a zero exchange for w and r.
func (x *exchange) start(w http.ResponseWriter, r *http.Request) *exchange {
	x.w, x.r, x.body = w, r, r.Body
	x.rcBuf = *http.NewResponseController(w)
	x.rc = &x.rcBuf
	x.resp = &x.respBuf
	x.resetResponse()
	if x.body == nil || x.body == http.NoBody {
		x.body, x.bodyEnded = http.NoBody, true
	}
	// Host-generated responses before request parsing still need an info.
	x.infoBuf.HTTPVersion = reqinfo.HTTPVersion(r)
	x.info = &x.infoBuf
	return x
}

// prepare describes the request for the guest and sets up the connection for
// a CivetWeb-style handler. A non-zero status refuses the request.
func (x *exchange) prepare(ctx context.Context) (status int, reason string) {
	// Set first: a refused request's unread body is drained within it.
	x.deadline, _ = ctx.Deadline()
	if !reqinfo.KnownMethod(x.r.Method) {
		return http.StatusBadRequest, "Bad request"
	}
	if !x.parsed && reqinfo.FillTarget(&x.infoBuf, x.r) != nil {
		return http.StatusRequestHeaderFieldsTooLarge, "Too many header fields."
	}
	if !x.info.HasLocalURI {
		return http.StatusBadRequest, "The request target has no local path."
	}
	if x.maxBody >= 0 && x.r.ContentLength > x.maxBody {
		return http.StatusRequestEntityTooLarge, "Request body too large"
	}
	if x.maxBody >= 0 && !x.bodyEnded {
		// A chunked body is cut where it passes the limit: the read fails
		// and the connection closes after the response.
		x.body = http.MaxBytesReader(x.w, x.r.Body, x.maxBody)
	}
	// CivetWeb handlers may read the body after writing; HTTP/2 always can.
	_ = x.rc.EnableFullDuplex()
	if !x.deadline.IsZero() {
		// A write blocked on a client that stopped reading cannot be
		// interrupted by the engine; the write deadline fails it, so the
		// guest and its instance are not held past the request's time.
		_ = x.rc.SetWriteDeadline(x.deadline.Add(WriteGrace))
	}
	return 0, ""
}

// scope is the host functions' view of this request.
func (x *exchange) scope(log *slog.Logger, grants *hostfuncs.Grants) *hostfuncs.Scope {
	x.scopeBuf = hostfuncs.Scope{Conn: x, Log: log, RequestID: x.id, Grants: grants}
	return &x.scopeBuf
}

// discardBody drops what the guest did not read of an HTTP/1 body, as
// CivetWeb does, so the connection can serve its next request. Closing the
// body here rather than leaving it to net/http matters: with full duplex
// enabled, net/http draining after the handler can race its own read of the
// next request (golang/go#68560). Close drains up to net/http's limit
// (256 KiB) within the request deadline; beyond that it gives up and the
// connection is closed after the response, so a client cannot make the
// server read a body nobody wants.
//
// A response with a Content-Length goes out whole first, so a client that
// sends its body slowly has its answer at once. Without a length the end of
// the response can only follow the drain (flushing would also turn a short
// response's length into chunked framing), as in any net/http server.
func (x *exchange) discardBody() {
	if x.bodyEnded || x.r.ProtoMajor != 1 {
		return // nothing left, or HTTP/2, whose streams end on their own
	}
	if x.expectsContinue() && !x.bodyStarted {
		// The client may wait for 100 Continue before sending the body:
		// net/http closes the connection after the response, reading the
		// body only if it comes before the deadline.
		x.bound(x.deadline)
		return
	}
	if x.w.Header().Get("Content-Length") != "" {
		_ = x.rc.Flush()
	}
	x.bound(x.deadline)
	_ = x.r.Body.Close()
}

func (x *exchange) expectsContinue() bool {
	return strings.EqualFold(x.r.Header.Get("Expect"), "100-continue")
}

// deadlinePassed reports whether the request's deadline has passed.
func (x *exchange) deadlinePassed() bool {
	return !x.deadline.IsZero() && !time.Now().Before(x.deadline)
}

// bound sets the connection's read deadline for what net/http reads after
// the handler (draining the body); zero t means now.
func (x *exchange) bound(t time.Time) {
	if t.IsZero() {
		t = time.Now()
	}
	_ = x.rc.SetReadDeadline(t)
}

// discardResponse drops whatever the guest left unsent (a partial or
// structured head), so the host can send its own response.
func (x *exchange) discardResponse() {
	if x.resp.Committed() {
		return
	}
	clear(x.w.Header())
	x.resetResponse()
}

// resetResponse starts the guest's response afresh.
func (x *exchange) resetResponse() {
	x.resp.Reset(x.w)
	if x.r.ProtoMajor >= 2 {
		x.resp.OverHTTP2()
	}
}

// sendEmpty answers a handler that succeeded without sending anything.
func (x *exchange) sendEmpty(status int) {
	x.w.Header().Set("Content-Length", "0")
	x.w.WriteHeader(status)
}

func (x *exchange) Info() *hostfuncs.RequestInfo {
	if !x.detailed {
		x.detailed = true
		reqinfo.FillDetails(x.info, x.r)
	}
	return x.info
}

// ReadBody fills p unless the body ends first, as CivetWeb's mg_read does (a
// handler may read a whole body with one call), and reports a spurious end
// of body never: io.EOF only when nothing was read.
//
// mg_read blocks in the host, where the engine cannot stop the guest, so the
// read itself gives up at the request deadline. The deadline is lifted once
// the body ends, and when the guest returns (liftReadDeadline): net/http
// reads an idle HTTP/1 connection in the background from the end of the
// body on, and a deadline expiring there would break the connection before
// the host could send its 504. Until then nothing reads the connection
// between two mg_read calls, so the deadline stays set across them: setting
// and lifting it per call cost two timer updates per piece of body.
func (x *exchange) ReadBody(p []byte) (int, error) {
	x.holdReadDeadline()
	defer x.liftReadDeadlineAtEnd()
	x.bodyStarted = true
	if x.readErr != nil {
		return 0, x.readErr
	}
	n, err := fill(x.body, p)
	x.bodyRead += int64(n)
	if err != nil && isBodyTooLarge(err) {
		x.refuseLargeBody()
		return n, err // bytes up to the limit are returned; the next read fails
	}
	x.bodyEnded = x.bodyEnded || x.bodyRead == x.r.ContentLength || err != nil
	if err != nil && !errors.Is(err, io.EOF) {
		// A body cut short (the client left mid-body) is an error, not
		// an end: a handler storing it must not take it for complete.
		x.readErr = err
	}
	if n > 0 {
		return n, nil // an error after some bytes surfaces on the next read
	}
	return 0, err
}

// holdReadDeadline sets the request deadline on the connection for body
// reads, unless it is already set.
func (x *exchange) holdReadDeadline() {
	if !x.deadline.IsZero() && !x.readDeadline {
		_ = x.rc.SetReadDeadline(x.deadline)
		x.readDeadline = true
	}
}

// liftReadDeadlineAtEnd lifts the read deadline once the body has ended.
func (x *exchange) liftReadDeadlineAtEnd() {
	if x.bodyEnded {
		x.liftReadDeadline()
	}
}

// liftReadDeadline lifts a deadline holdReadDeadline set.
func (x *exchange) liftReadDeadline() {
	if x.readDeadline {
		_ = x.rc.SetReadDeadline(time.Time{})
		x.readDeadline = false
	}
}

// fill reads into p until it is full or r fails. Unlike io.ReadFull it
// reports the end of r as io.EOF even after some bytes, so that a body that
// ends is told apart from one cut short (io.ErrUnexpectedEOF from r).
func fill(r io.Reader, p []byte) (int, error) {
	n := 0
	for n < len(p) {
		m, err := r.Read(p[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// isBodyTooLarge reports whether err is http.MaxBytesReader's; kept out of
// ReadBody because the target of errors.As escapes to the heap.
func isBodyTooLarge(err error) bool {
	var tooLarge *http.MaxBytesError
	return errors.As(err, &tooLarge)
}

// refuseLargeBody answers 413 as soon as a body passes the limit, unless the
// guest's response is already on its way: whatever the guest sends after
// its read failed is then dropped, so the client learns why.
func (x *exchange) refuseLargeBody() {
	if x.bodyTooLarge {
		return
	}
	x.bodyTooLarge = true
	x.trace.Limit = LimitBodySize
	x.bodyEnded = true // nothing more will be read; net/http closes the connection
	if !x.resp.Committed() {
		x.discardResponse()
		_ = hostfuncs.SendError(x, http.StatusRequestEntityTooLarge, "Request body too large")
		x.hostAnswered = true
	}
}

// errHostAnswered refuses what a guest sends after the host answered the
// request itself (413), so its bytes cannot join the host's response.
var errHostAnswered = errors.New("runtime: the host already answered this request")

func (x *exchange) Write(p []byte) error {
	if x.hostAnswered {
		return errHostAnswered
	}
	return apiError(x.resp.Write(p))
}

func (x *exchange) StartResponse(status int) error {
	if x.hostAnswered {
		return errHostAnswered
	}
	return apiError(x.resp.StartResponse(status))
}

func (x *exchange) AddHeader(name, value string) error {
	if x.hostAnswered {
		return errHostAnswered
	}
	return apiError(x.resp.AddHeader(name, value))
}

func (x *exchange) SendHeaders() error {
	if x.hostAnswered {
		return errHostAnswered
	}
	return apiError(x.resp.SendHeaders())
}

// apiError wraps the response writer's errors in the hostfuncs errors that
// decide CivetWeb's return codes.
func apiError(err error) error {
	if err == nil {
		return nil // before head is declared: it escapes, and this is the hot path
	}
	var head *response.HeadError
	switch {
	case errors.Is(err, response.ErrState):
		return fmt.Errorf("%w: %w", hostfuncs.ErrState, err)
	case errors.Is(err, response.ErrTooManyHeaders):
		return fmt.Errorf("%w: %w", hostfuncs.ErrTooManyHeaders, err)
	case errors.As(err, &head):
		return fmt.Errorf("%w: %w", hostfuncs.ErrBadHeader, err)
	}
	return err
}
