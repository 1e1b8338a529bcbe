package runtime

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/civetbox/civetbox/hostfuncs"
	"github.com/civetbox/civetbox/internal/guestmem"
	"github.com/civetbox/civetbox/runtime/engine"
)

// fail reports a request that went wrong: it logs why and answers with a
// status if nothing was sent, else aborts the connection so the client
// cannot mistake a cut-off response for a complete one.
func (h *Handler) fail(x *exchange, err error) outcome {
	status, msg, level := classifyFailure(err)
	x.trace.Failure = failureKind(err)
	h.log.Log(context.Background(), level, "request failed", "request_id", x.id, "status", status,
		"method", x.r.Method, "uri", x.r.RequestURI, "error", err)
	if status == 0 || x.resp.Committed() {
		return outcomeAbort
	}
	h.sendError(x, status, msg)
	return outcomeDone
}

// classifyFailure maps a failure to a status, the message the client sees (no
// internal details), and a log level. Status 0 means no response is
// possible (the client is gone).
func classifyFailure(err error) (int, string, slog.Level) {
	switch failureKind(err) {
	case FailureDeadline:
		return http.StatusGatewayTimeout, "The request handler did not finish in time.", slog.LevelWarn
	case FailureCanceled:
		return 0, "", slog.LevelInfo
	case FailureInit:
		return http.StatusInternalServerError, "The request handler could not start.", slog.LevelError
	}
	return http.StatusInternalServerError, "The request handler failed.", slog.LevelWarn
}

// failureKind is the Trace.Failure of err.
func failureKind(err error) string {
	var (
		fault    *guestmem.Fault
		contract *hostfuncs.ContractError
		trap     *engine.TrapError
	)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return FailureDeadline
	case errors.Is(err, context.Canceled):
		return FailureCanceled
	case errors.Is(err, ErrInit):
		return FailureInit // even when civetbox_init trapped: the instance never served
	case errors.As(err, &fault):
		return FailureBadPointer
	case errors.As(err, &contract):
		return FailureContract
	case errors.As(err, &trap) && trap.Kind == engine.TrapExit:
		return FailureExit
	case trap != nil:
		return FailureTrap
	}
	return FailureOther
}

// notHandled answers a request no handler took as CivetWeb does without a
// document root: 405 for the methods that would write a file there (PUT,
// DELETE, MKCOL, PATCH), else 404.
func (h *Handler) notHandled(x *exchange) {
	switch m := x.r.Method; m {
	case http.MethodPut, http.MethodDelete, "MKCOL", http.MethodPatch:
		h.sendError(x, http.StatusMethodNotAllowed, m+" method not allowed")
	default:
		h.sendError(x, http.StatusNotFound, "Not Found")
	}
}

// sendError answers with CivetWeb's error page, discarding any head the guest
// left unsent.
func (h *Handler) sendError(x *exchange, status int, msg string) {
	x.discardResponse()
	_ = hostfuncs.SendError(x, status, msg)
}
