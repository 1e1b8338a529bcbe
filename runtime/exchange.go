package runtime

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/civetbox/civetbox/hostfuncs"
	"github.com/civetbox/civetbox/internal/reqinfo"
	"github.com/civetbox/civetbox/internal/response"
)

// exchange is one HTTP request and its response as hostfuncs.Conn.
type exchange struct {
	id       uint64 // request id in logs
	w        http.ResponseWriter
	r        *http.Request
	rc       *http.ResponseController
	deadline time.Time // the request's; zero for none
	info     *hostfuncs.RequestInfo
	resp     *response.Writer
}

var _ hostfuncs.Conn = (*exchange)(nil)

func newExchange(w http.ResponseWriter, r *http.Request) *exchange {
	x := &exchange{w: w, r: r, rc: http.NewResponseController(w), resp: response.New(w)}
	// Host-generated responses before request parsing still need an info.
	x.info = &hostfuncs.RequestInfo{HTTPVersion: reqinfo.HTTPVersion(r)}
	return x
}

// prepare describes the request for the guest and sets up the connection for
// a CivetWeb-style handler. A non-zero status refuses the request.
func (x *exchange) prepare(ctx context.Context) (status int, reason string) {
	info, err := reqinfo.New(x.r)
	if err != nil {
		return http.StatusRequestHeaderFieldsTooLarge, "Too many header fields."
	}
	x.info = info
	if !info.HasLocalURI {
		return http.StatusBadRequest, "The request target has no local path."
	}
	// CivetWeb handlers may read the body after writing; HTTP/2 always can.
	_ = x.rc.EnableFullDuplex()
	x.deadline, _ = ctx.Deadline()
	return 0, ""
}

// scope is the host functions' view of this request.
func (x *exchange) scope(log *slog.Logger) *hostfuncs.Scope {
	return &hostfuncs.Scope{Conn: x, Log: log, RequestID: x.id}
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
	x.resp = response.New(x.w)
}

// sendEmpty answers a handler that succeeded without sending anything.
func (x *exchange) sendEmpty(status int) {
	x.w.Header().Set("Content-Length", "0")
	x.w.WriteHeader(status)
}

func (x *exchange) Info() *hostfuncs.RequestInfo { return x.info }

// ReadBody reads at least one byte unless the body is over, so mg_read never
// reports a spurious end of body.
//
// mg_read blocks in the host, where the engine cannot stop the guest, so the
// read itself gives up at the request deadline. The deadline is lifted
// afterwards: on an idle HTTP/1 connection net/http reads in the background,
// and a deadline expiring there would break the connection before the host
// could send its 504.
func (x *exchange) ReadBody(p []byte) (int, error) {
	if !x.deadline.IsZero() {
		_ = x.rc.SetReadDeadline(x.deadline)
		defer x.rc.SetReadDeadline(time.Time{})
	}
	return io.ReadAtLeast(x.r.Body, p, 1)
}

func (x *exchange) Write(p []byte) error { return apiError(x.resp.Write(p)) }

func (x *exchange) StartResponse(status int) error { return apiError(x.resp.StartResponse(status)) }

func (x *exchange) AddHeader(name, value string) error {
	return apiError(x.resp.AddHeader(name, value))
}

func (x *exchange) SendHeaders() error { return apiError(x.resp.SendHeaders()) }

// apiError wraps the response writer's errors in the hostfuncs errors that
// decide CivetWeb's return codes.
func apiError(err error) error {
	var head *response.HeadError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, response.ErrState):
		return fmt.Errorf("%w: %w", hostfuncs.ErrState, err)
	case errors.Is(err, response.ErrTooManyHeaders):
		return fmt.Errorf("%w: %w", hostfuncs.ErrTooManyHeaders, err)
	case errors.As(err, &head):
		return fmt.Errorf("%w: %w", hostfuncs.ErrBadHeader, err)
	}
	return err
}
