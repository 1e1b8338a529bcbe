package runtime_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/civetbox/civetbox/internal/enginetest"
	"github.com/civetbox/civetbox/internal/testguests"
	"github.com/civetbox/civetbox/runtime"
	"github.com/civetbox/civetbox/runtime/engine"
)

// Benchmarks run one request at a time through a module in process,
// without sockets: request info, instance (pooled or fresh), guest call,
// response translation. Run them with:
//
//	go test ./runtime -run '^$' -bench . -benchmem

// BenchmarkDispatch serves the hello example, per engine and mode.
func BenchmarkDispatch(b *testing.B) {
	hello, err := os.ReadFile(filepath.Join("..", "examples", "hello", "hello.wasm"))
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range enginetest.Factories() {
		for _, mode := range []runtime.Mode{runtime.ModePooled, runtime.ModeFresh} {
			b.Run(f.Name+"/hello/"+string(mode), func(b *testing.B) {
				h := loadBench(b, f, engine.Config{}, hello, mode)
				serveRepeatedly(b, h, "/hello", "Hello, world!\n")
			})
			if mode == runtime.ModeFresh {
				// Instantiating every time, as before the engines
				// reset used instances.
				b.Run(f.Name+"/hello/fresh/instantiate", func(b *testing.B) {
					h := loadBench(b, f, engine.Config{DisableReset: true}, hello, mode)
					serveRepeatedly(b, h, "/hello", "Hello, world!\n")
				})
			}
			// As the CLI serves modules: through a Set, which routes by
			// local_uri first.
			b.Run(f.Name+"/hello/"+string(mode)+"/set", func(b *testing.B) {
				h := loadBench(b, f, engine.Config{}, hello, mode)
				serveRepeatedly(b, runtime.Set{h}, "/hello", "Hello, world!\n")
			})
		}
	}
}

// BenchmarkHostCall measures one guest-to-host call: a request making 1000
// calls of a host function that does nothing (WASI sched_yield), per call.
func BenchmarkHostCall(b *testing.B) {
	const calls = 1000
	wasm := testguests.Read(b, "bench.wasm")
	for _, f := range enginetest.Factories() {
		b.Run(f.Name, func(b *testing.B) {
			h := loadBench(b, f, engine.Config{}, wasm, runtime.ModePooled)
			start := time.Now()
			serveRepeatedly(b, h, "/hostcalls?n="+strconv.Itoa(calls), strconv.Itoa(calls))
			b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(b.N*calls), "ns/hostcall")
		})
	}
}

// BenchmarkCompute runs a compute-bound handler (SHA-256 of 64 KiB) with
// deadlines enforced inside guest code and without, per engine: the cost of
// preemption.
func BenchmarkCompute(b *testing.B) {
	const digest = "ef4636928161808e87035fa51983821677527ccd9661991c5d0126a778b2268a"
	wasm := testguests.Read(b, "bench.wasm")
	for _, f := range enginetest.Factories() {
		for _, preempt := range []bool{true, false} {
			b.Run(f.Name+"/preemption="+strconv.FormatBool(preempt), func(b *testing.B) {
				h := loadBench(b, f, engine.Config{DisablePreemption: !preempt}, wasm, runtime.ModePooled)
				serveRepeatedly(b, h, "/sha256", digest)
			})
		}
	}
}

// BenchmarkPrintf compares 100 mg_printf calls with one mg_write of the
// same response, per engine.
func BenchmarkPrintf(b *testing.B) {
	wasm := testguests.Read(b, "bench.wasm")
	var want bytes.Buffer
	for i := range 100 {
		want.WriteString("line " + strconv.Itoa(1000 + i)[1:] + "\n")
	}
	for _, f := range enginetest.Factories() {
		for _, path := range []string{"/chatty", "/single"} {
			b.Run(f.Name+path, func(b *testing.B) {
				h := loadBench(b, f, engine.Config{}, wasm, runtime.ModePooled)
				serveRepeatedly(b, h, path, want.String())
			})
		}
	}
}

// BenchmarkRequestInfo measures mg_get_request_info for a request with 30
// headers, per engine.
func BenchmarkRequestInfo(b *testing.B) {
	wasm := testguests.Read(b, "bench.wasm")
	for _, f := range enginetest.Factories() {
		b.Run(f.Name+"/30-headers", func(b *testing.B) {
			h := loadBench(b, f, engine.Config{}, wasm, runtime.ModePooled)
			req := benchRequest(b, http.MethodGet, "/headers", nil)
			for i := range 29 { // and Host
				req.Header.Set("X-Bench-Header-"+strconv.Itoa(i), "value number "+strconv.Itoa(i))
			}
			serveRequestRepeatedly(b, h, func() *http.Request { return req }, "30")
		})
	}
}

// BenchmarkEcho streams 1 MiB through mg_read and mg_write (the echo
// example, 32 KiB at a time), per engine.
func BenchmarkEcho(b *testing.B) {
	echo, err := os.ReadFile(filepath.Join("..", "examples", "echo", "echo.wasm"))
	if err != nil {
		b.Fatal(err)
	}
	body := bytes.Repeat([]byte("0123456789abcdef"), 1<<16)
	for _, f := range enginetest.Factories() {
		b.Run(f.Name+"/1MiB", func(b *testing.B) {
			h := loadBench(b, f, engine.Config{}, echo, runtime.ModePooled)
			b.SetBytes(int64(len(body)))
			serveRequestRepeatedly(b, h, func() *http.Request {
				return benchRequest(b, http.MethodPost, "/echo", bytes.NewReader(body))
			}, string(body))
		})
	}
}

func loadBench(b *testing.B, f enginetest.Factory, cfg engine.Config, wasm []byte, mode runtime.Mode) *runtime.Handler {
	eng := enginetest.New(b, f, cfg)
	// Load's log lines would split the benchmark's result lines.
	quiet := slog.New(slog.DiscardHandler)
	h, err := runtime.Load(context.Background(), eng, wasm, runtime.Config{Mode: mode, PoolSize: 1, Logger: quiet})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = h.Close(context.Background()) })
	return h
}

// serveRepeatedly serves path b.N times into a reusable response writer and
// checks every response.
func serveRepeatedly(b *testing.B, h http.Handler, path, wantBody string) {
	req := benchRequest(b, http.MethodGet, path, nil)
	serveRequestRepeatedly(b, h, func() *http.Request { return req }, wantBody)
}

func benchRequest(b *testing.B, method, path string, body io.Reader) *http.Request {
	req, err := http.NewRequest(method, "http://bench"+path, body)
	if err != nil {
		b.Fatal(err)
	}
	req.RequestURI = path
	req.RemoteAddr = "127.0.0.1:40000"
	if req.ContentLength > 0 { // as a server's request would carry it
		req.Header.Set("Content-Length", strconv.FormatInt(req.ContentLength, 10))
	}
	return req
}

// serveRequestRepeatedly serves b.N requests made by newReq and checks
// every response.
func serveRequestRepeatedly(b *testing.B, h http.Handler, newReq func() *http.Request, wantBody string) {
	w := &discardWriter{header: http.Header{}}
	want := []byte(wantBody)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		req := newReq()
		w.reset()
		h.ServeHTTP(w, req)
		if w.status != http.StatusOK || !bytes.Equal(w.body.Bytes(), want) {
			b.Fatalf("status %d, body of %d bytes", w.status, w.body.Len())
		}
	}
}

// discardWriter is a minimal http.ResponseWriter that keeps the body.
type discardWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *discardWriter) Header() http.Header { return w.header }

func (w *discardWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *discardWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.body.Write(p)
}

// Like net/http's own writers, it supports what the runtime asks of
// http.ResponseController.
func (w *discardWriter) Flush()                          {}
func (w *discardWriter) EnableFullDuplex() error         { return nil }
func (w *discardWriter) SetReadDeadline(time.Time) error { return nil }

// SetWriteDeadline is supported too: without it every request paid for
// http.ResponseController's "not supported" error, which a server never does.
func (w *discardWriter) SetWriteDeadline(time.Time) error { return nil }

func (w *discardWriter) reset() {
	clear(w.header)
	w.status = 0
	w.body.Reset()
}
