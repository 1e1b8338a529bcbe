package runtime_test

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/civetbox/civetbox/internal/enginetest"
	"github.com/civetbox/civetbox/runtime"
	"github.com/civetbox/civetbox/runtime/engine"
)

// BenchmarkDispatch measures one request through a module in process, without
// sockets: request info, instance (pooled or fresh), guest call, response
// translation. Run: go test ./runtime -bench Dispatch -benchmem
func BenchmarkDispatch(b *testing.B) {
	hello, err := os.ReadFile(filepath.Join("..", "examples", "hello", "hello.wasm"))
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range enginetest.Factories() {
		for _, mode := range []runtime.Mode{runtime.ModePooled, runtime.ModeFresh} {
			b.Run(f.Name+"/hello/"+string(mode), func(b *testing.B) {
				eng := enginetest.New(b, f, engine.Config{})
				h, err := runtime.Load(context.Background(), eng, hello, runtime.Config{Mode: mode, PoolSize: 1})
				if err != nil {
					b.Fatal(err)
				}
				defer h.Close(context.Background())
				benchmarkHandler(b, h, "/hello", "Hello, world!\n")
			})
		}
	}
}

// benchmarkHandler serves path repeatedly into a reusable response writer.
func benchmarkHandler(b *testing.B, h http.Handler, path, wantBody string) {
	req, err := http.NewRequest(http.MethodGet, "http://bench"+path, nil)
	if err != nil {
		b.Fatal(err)
	}
	req.RequestURI = path
	req.RemoteAddr = "127.0.0.1:40000"
	w := &discardWriter{header: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		w.reset()
		h.ServeHTTP(w, req)
		if w.status != http.StatusOK || w.body != int64(len(wantBody)) {
			b.Fatalf("status %d, %d body bytes", w.status, w.body)
		}
	}
}

// discardWriter is a minimal http.ResponseWriter that counts the body.
type discardWriter struct {
	header http.Header
	status int
	body   int64
}

func (w *discardWriter) Header() http.Header { return w.header }

func (w *discardWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *discardWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	w.body += int64(len(p))
	return io.Discard.Write(p)
}

// Like net/http's own writers, it supports what the runtime asks of
// http.ResponseController.
func (w *discardWriter) Flush()                          {}
func (w *discardWriter) EnableFullDuplex() error         { return nil }
func (w *discardWriter) SetReadDeadline(time.Time) error { return nil }

func (w *discardWriter) reset() {
	clear(w.header)
	w.status, w.body = 0, 0
}
