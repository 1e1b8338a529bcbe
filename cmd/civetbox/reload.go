package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"reflect"
	"sync"
	"syscall"

	"github.com/civetbox/civetbox/config"
	"github.com/civetbox/civetbox/server"
)

// reloader replaces a running configuration with the file's current one.
// A file that does not load (or whose modules do not start) is refused
// with a log line and the running configuration keeps serving; requests
// in flight finish on the configuration they started with, whose modules
// are closed once they have.
type reloader struct {
	file    string
	opts    server.Options // as the first configuration was built: engines, metrics, access log
	handler *server.Swappable
	log     *slog.Logger
	stdout  io.Writer

	mu      sync.Mutex // guards cfg and built, and orders reloads
	cfg     *config.Config
	built   *server.Built
	retired sync.WaitGroup // old configurations still draining
}

// watch reloads on every SIGHUP until ctx is done or the returned function
// is called, which waits for a reload in progress.
func (r *reloader) watch(ctx context.Context) (stop func()) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-hup:
				r.reload(ctx)
			case <-ctx.Done():
				return
			case <-done:
				return
			}
		}
	}()
	return func() {
		signal.Stop(hup)
		close(done)
		wg.Wait()
	}
}

func (r *reloader) reload(ctx context.Context) {
	r.mu.Lock()
	defer r.mu.Unlock()
	cfg, err := config.Load(r.file)
	if err == nil && !reflect.DeepEqual(cfg.Listen, r.cfg.Listen) {
		r.log.Warn("reload: the [listen] section changed; listeners change only on restart")
	}
	if err == nil && cfg.Log != r.cfg.Log {
		r.log.Warn("reload: the [log] section changed; the access log changes only on restart")
	}
	var built *server.Built
	if err == nil {
		built, err = server.Build(ctx, cfg, r.opts)
	}
	if err != nil {
		r.log.Error("reload refused; the running configuration keeps serving", "file", r.file, "error", err)
		fmt.Fprintf(r.stdout, "civetbox: reload refused: %v\n", err)
		return
	}
	if built.MaxHeaderBytes > r.built.MaxHeaderBytes {
		r.log.Warn("reload: a larger max_header_kib takes effect on restart", "bytes", built.MaxHeaderBytes)
	}
	waitOld := r.handler.Swap(built.Handler)
	old := r.built
	r.cfg, r.built = cfg, built
	r.retired.Add(1)
	go func() {
		defer r.retired.Done()
		waitOld()
		_ = old.Close(context.Background())
	}()
	r.log.Info("configuration reloaded", "file", r.file, "tenants", len(cfg.Tenants))
	r.printTenants("reloaded tenant")
}

func (r *reloader) printTenants(what string) {
	for _, t := range r.built.Tenants {
		fmt.Fprintf(r.stdout, "civetbox: %s %s:%s\n", what, t.Name, moduleRoutes(t))
	}
}

// close waits for retired configurations to drain and closes the current
// one; the listeners have stopped by then.
func (r *reloader) close() {
	r.retired.Wait()
	r.mu.Lock()
	defer r.mu.Unlock()
	_ = r.built.Close(context.Background())
}
