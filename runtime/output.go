package runtime

import (
	"bytes"
	"io"
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
	partial map[string][]byte
}

func newGuestOutput(log *slog.Logger, limit int) *guestOutput {
	return &guestOutput{log: log, limit: limit, partial: map[string][]byte{}}
}

// stream returns the writer for one stream ("stdout" or "stderr").
func (o *guestOutput) stream(name string) io.Writer {
	return writerFunc(func(p []byte) (int, error) {
		o.write(name, p)
		return len(p), nil
	})
}

// reset starts a new request: flushes partial lines, reports drops, and
// tags further lines with the request's id.
func (o *guestOutput) reset(request uint64) {
	o.flush()
	o.mu.Lock()
	o.request, o.written = request, 0
	o.mu.Unlock()
}

func (o *guestOutput) write(stream string, p []byte) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if room := o.limit - o.written; len(p) > room {
		o.dropped += len(p) - max(room, 0)
		p = p[:max(room, 0)]
	}
	o.written += len(p)
	buf := append(o.partial[stream], p...)
	for {
		i := bytes.IndexByte(buf, '\n')
		if i < 0 {
			break
		}
		o.log.Info("guest output", "request_id", o.request, "stream", stream, "line", string(buf[:i]))
		buf = buf[i+1:]
	}
	o.partial[stream] = append(o.partial[stream][:0], buf...)
}

// flush logs unterminated lines and how much output was dropped.
func (o *guestOutput) flush() {
	o.mu.Lock()
	defer o.mu.Unlock()
	for stream, buf := range o.partial {
		if len(buf) > 0 {
			o.log.Info("guest output", "request_id", o.request, "stream", stream, "line", string(buf))
			o.partial[stream] = buf[:0]
		}
	}
	if o.dropped > 0 {
		o.log.Warn("guest output over limit; dropped", "request_id", o.request, "bytes", o.dropped, "limit", o.limit)
		o.dropped = 0
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
