package server

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/civetbox/civetbox/runtime"
)

// requestState is what the server learns about one request while serving
// it: the runtime fills in the trace, the router the tenant, the limits
// their kind.
type requestState struct {
	runtime.Trace
	tenant string
}

type stateKey struct{}

// stateFrom returns the state observe put in ctx, or nil.
func stateFrom(ctx context.Context) *requestState {
	st, _ := ctx.Value(stateKey{}).(*requestState)
	return st
}

// observe gives each request an id and a trace, and once it is answered
// counts it in m, writes its access log line and keeps it in recent if it
// failed (nil m, access or recent: none).
func observe(next http.Handler, m *Metrics, access *slog.Logger, recent *Recent) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		st := &requestState{Trace: runtime.Trace{ID: runtime.NewRequestID()}}
		ctx := context.WithValue(runtime.WithTrace(r.Context(), &st.Trace), stateKey{}, st)
		rec := &recorder{ResponseWriter: w}
		returned := false
		defer func() {
			// A handler aborts the connection by panicking
			// (http.ErrAbortHandler): counted here without recovering,
			// so the panic goes on unchanged.
			d := time.Since(start)
			m.request(st, rec.status, !returned, d)
			logAccess(access, r, st, rec, !returned, d)
			keepFailure(recent, r, st)
		}()
		next.ServeHTTP(rec, r.WithContext(ctx))
		returned = true
	})
}

// keepFailure records a request the guest failed or a limit refused.
func keepFailure(recent *Recent, r *http.Request, st *requestState) {
	what := st.Failure
	switch {
	case recent == nil || st.tenant == "":
		return
	case st.Limit != "":
		what = "refused by limit " + st.Limit
	case what == "" || what == runtime.FailureCanceled:
		return
	}
	recent.add(st.tenant, st.Module, fmt.Sprintf("%s %s: %s (request %d)", r.Method, r.URL.Path, what, st.ID))
}

// tagTenant records that name's handler h took the request.
func tagTenant(name string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if st := stateFrom(r.Context()); st != nil {
			st.tenant = name
		}
		h.ServeHTTP(w, r)
	})
}

// refused records that a server limit of kind refused the request and
// returns its id for the log line.
func refused(r *http.Request, kind string) uint64 {
	t := runtime.TraceFrom(r.Context())
	if t == nil {
		return 0
	}
	t.Limit = kind
	return t.ID
}

// logAccess writes the request's access log line.
func logAccess(log *slog.Logger, r *http.Request, st *requestState, rec *recorder, aborted bool, d time.Duration) {
	if log == nil {
		return
	}
	status := rec.status
	if status == 0 && !aborted {
		status = http.StatusOK
	}
	attrs := []slog.Attr{
		slog.Uint64("request_id", st.ID),
		slog.String("tenant", st.tenant),
		slog.String("module", st.Module),
		slog.String("route", st.Route),
		slog.String("method", r.Method),
		slog.String("uri", r.RequestURI),
		slog.String("proto", r.Proto),
		slog.String("remote", r.RemoteAddr),
		slog.Int("status", status),
		slog.Int64("bytes", rec.bytes),
		slog.Float64("duration", d.Seconds()),
	}
	if st.Failure != "" {
		attrs = append(attrs, slog.String("failure", st.Failure))
	}
	if st.Limit != "" {
		attrs = append(attrs, slog.String("limit", st.Limit))
	}
	if aborted {
		attrs = append(attrs, slog.Bool("aborted", true))
	}
	log.LogAttrs(context.Background(), slog.LevelInfo, "request", attrs...)
}

// recorder notes the status and body size of a response. Unwrap lets
// http.ResponseController reach the connection underneath (flush, read
// deadlines, full duplex).
type recorder struct {
	http.ResponseWriter
	status int   // first final status; 0 until one is written
	bytes  int64 // body bytes written
}

func (rec *recorder) WriteHeader(status int) {
	if rec.status == 0 && status >= 200 {
		rec.status = status
	}
	rec.ResponseWriter.WriteHeader(status)
}

func (rec *recorder) Write(p []byte) (int, error) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	n, err := rec.ResponseWriter.Write(p)
	rec.bytes += int64(n)
	return n, err
}

// Flush is here for code that asserts http.Flusher rather than using
// http.ResponseController.
func (rec *recorder) Flush() { _ = http.NewResponseController(rec.ResponseWriter).Flush() }

func (rec *recorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }
