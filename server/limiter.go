package server

import (
	"log/slog"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/civetbox/civetbox/runtime"
)

// Limiter bounds a tenant's requests in flight. Up to MaxConcurrent run at
// once; up to Queue more wait, each at most QueueTimeout, for a slot. A
// request that finds the queue full or waits too long is refused with 503
// and Retry-After: the tenant is out of capacity, which is the server's
// condition, not the client's fault (429 would blame the one client that
// happened to arrive last for everyone's traffic).
type Limiter struct {
	slots        chan struct{}
	waiting      atomic.Int64
	queue        int64
	queueTimeout time.Duration
	next         http.Handler
	log          *slog.Logger
	rejected     atomic.Int64
}

// RetryAfter is what a refused request is told to wait, in seconds.
const RetryAfter = 1

// NewLimiter limits next; log receives a line per refused request.
func NewLimiter(next http.Handler, maxConcurrent, queue int, queueTimeout time.Duration, log *slog.Logger) *Limiter {
	return &Limiter{
		slots: make(chan struct{}, maxConcurrent), queue: int64(queue),
		queueTimeout: queueTimeout, next: next, log: log,
	}
}

func (l *Limiter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !l.acquire(w, r) {
		return
	}
	defer func() { <-l.slots }()
	l.next.ServeHTTP(w, r)
}

// acquire takes a slot, waiting in the queue if there is room; on failure it
// has answered the request (or the client left).
func (l *Limiter) acquire(w http.ResponseWriter, r *http.Request) bool {
	select {
	case l.slots <- struct{}{}:
		return true
	default:
	}
	if l.waiting.Add(1) > l.queue {
		l.waiting.Add(-1)
		return l.refuse(w, r, "queue full")
	}
	defer l.waiting.Add(-1)
	timer := time.NewTimer(l.queueTimeout)
	defer timer.Stop()
	select {
	case l.slots <- struct{}{}:
		return true
	case <-timer.C:
		return l.refuse(w, r, "queue timeout")
	case <-r.Context().Done():
		return false // the client is gone; nothing to answer
	}
}

// refuse answers 503 with Retry-After and logs why; it returns false.
func (l *Limiter) refuse(w http.ResponseWriter, r *http.Request, why string) bool {
	l.rejected.Add(1)
	id := refused(r, LimitConcurrency)
	l.log.Warn("request refused: tenant at its concurrency limit", "request_id", id, "why", why,
		"limit", cap(l.slots), "queue", l.queue, "method", r.Method, "uri", r.RequestURI)
	w.Header().Set("Retry-After", strconv.Itoa(RetryAfter))
	runtime.SendError(w, r, http.StatusServiceUnavailable, "The server is busy; retry later.")
	return false
}

// Waiting is the number of requests waiting for a slot.
func (l *Limiter) Waiting() int64 { return l.waiting.Load() }

// Rejected is the number of requests refused so far.
func (l *Limiter) Rejected() int64 { return l.rejected.Load() }
