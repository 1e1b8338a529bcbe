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
	file   string
	opts   server.Options // as the first configuration was built: engines, metrics, access log
	live   *server.Live
	log    *slog.Logger
	stdout io.Writer
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
	var changed []string
	cfg, _, err := r.live.Reload(func(old *config.Config, oldBuilt *server.Built) (*config.Config, *server.Built, error) {
		cfg, err := config.Load(r.file)
		if err != nil {
			return nil, nil, err
		}
		changed = restartOnly(old, cfg)
		built, err := server.Build(ctx, cfg, r.opts)
		if err == nil && built.MaxHeaderBytes > oldBuilt.MaxHeaderBytes {
			changed = append(changed, "a larger max_header_kib")
		}
		return cfg, built, err
	})
	if err != nil {
		r.log.Error("reload refused; the running configuration keeps serving", "file", r.file, "error", err)
		fmt.Fprintf(r.stdout, "civetbox: reload refused: %v\n", err)
		return
	}
	for _, c := range changed {
		r.log.Warn("reload: " + c + " takes effect only on restart")
	}
	r.log.Info("configuration reloaded", "file", r.file, "tenants", len(cfg.Tenants))
	r.printTenants("reloaded tenant")
}

// restartOnly names what changed from old to cfg that a reload cannot
// apply.
func restartOnly(old, cfg *config.Config) []string {
	var out []string
	if !reflect.DeepEqual(cfg.Listen, old.Listen) {
		out = append(out, "the [listen] section")
	}
	if cfg.Log != old.Log {
		out = append(out, "the [log] section")
	}
	// Tokens are read at each admin request, so they change on reload.
	a, b := cfg.Admin, old.Admin
	a.TokenSHA256, b.TokenSHA256 = nil, nil
	if !reflect.DeepEqual(a, b) {
		out = append(out, "the [admin] section (but its tokens)")
	}
	return out
}

func (r *reloader) printTenants(what string) {
	r.live.View(func(_ *config.Config, b *server.Built) {
		for _, t := range b.Tenants {
			fmt.Fprintf(r.stdout, "civetbox: %s %s:%s\n", what, t.Name, moduleRoutes(t))
		}
	})
}
