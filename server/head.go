package server

import (
	"log/slog"
	"net/http"

	"github.com/civetbox/civetbox/runtime"
)

// limitHead refuses requests whose head is over limit bytes with 431,
// before next sees them. The http.Server enforces the largest limit of all
// tenants while reading; this is each tenant's own.
func limitHead(next http.Handler, limit int, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n := headSize(r); n > limit {
			log.Warn("request refused: head over the tenant's limit", "request_id", refused(r, LimitHeadSize), "bytes", n, "limit", limit, "method", r.Method)
			runtime.SendError(w, r, http.StatusRequestHeaderFieldsTooLarge, "Request header fields too large.")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// headSize approximates the request head's size on the wire: the request
// line and every header line.
func headSize(r *http.Request) int {
	n := len(r.Method) + len(r.RequestURI) + len(r.Proto) + 4
	for name, values := range r.Header {
		for _, v := range values {
			n += len(name) + len(v) + 4 // ": " and CRLF
		}
	}
	return n + len(r.Host) + len("Host: \r\n")
}
