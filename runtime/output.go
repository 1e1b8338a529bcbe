package runtime

import (
	"bytes"
	"log/slog"
	"sync"
)

// guestOutput sends a guest's stdout and stderr to the log, a line per
// record tagged with the request, and drops what exceeds limit bytes per
// request so a guest cannot flood the log.
type guestOutput struct {
	mu      sync.Mutex
	log     *slog.Logger
	request uint64 // 0 while the instance initializes
	limit   int
	written int
	dropped int
	// Stdout and Stderr are part of the output, so a fresh instance
	// allocates nothing more for them.
	Stdout, Stderr outputStream
}

// outputStream is one stream's writer, with its unterminated last line.
type outputStream struct {
	out     *guestOutput
	name    string
	partial []byte
}

// init prepares o, which must not move afterwards (its streams point to it).
func (o *guestOutput) init(log *slog.Logger, limit int) {
	o.log, o.limit = log, limit
	o.Stdout = outputStream{out: o, name: "stdout"}
	o.Stderr = outputStream{out: o, name: "stderr"}
}

func (s *outputStream) Write(p []byte) (int, error) {
	s.out.write(s, p)
	return len(p), nil
}

// reset starts a new request: flushes partial lines, reports drops, and
// tags further lines with the request's id.
func (o *guestOutput) reset(request uint64) {
	o.flush()
	o.mu.Lock()
	o.request, o.written = request, 0
	o.mu.Unlock()
}

func (o *guestOutput) write(s *outputStream, p []byte) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if room := o.limit - o.written; len(p) > room {
		o.dropped += len(p) - max(room, 0)
		p = p[:max(room, 0)]
	}
	o.written += len(p)
	buf := append(s.partial, p...)
	for {
		i := bytes.IndexByte(buf, '\n')
		if i < 0 {
			break
		}
		o.log.Info("guest output", "request_id", o.request, "stream", s.name, "line", string(buf[:i]))
		buf = buf[i+1:]
	}
	s.partial = append(s.partial[:0], buf...)
}

// flush logs unterminated lines and how much output was dropped.
func (o *guestOutput) flush() {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, s := range []*outputStream{&o.Stdout, &o.Stderr} {
		if len(s.partial) > 0 {
			o.log.Info("guest output", "request_id", o.request, "stream", s.name, "line", string(s.partial))
			s.partial = s.partial[:0]
		}
	}
	if o.dropped > 0 {
		o.log.Warn("guest output over limit; dropped", "request_id", o.request, "bytes", o.dropped, "limit", o.limit)
		o.dropped = 0
	}
}
