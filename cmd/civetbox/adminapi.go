package main

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"

	"github.com/civetbox/civetbox/config"
	"github.com/civetbox/civetbox/deploy/admin"
	"github.com/civetbox/civetbox/deploy/admission"
	"github.com/civetbox/civetbox/deploy/store"
	"github.com/civetbox/civetbox/server"
)

// deploys is what serving the admin API needs beside the server: the
// module store (nil when deploys are off) and the audit log.
type deploys struct {
	store  *store.Store
	audit  *slog.Logger
	recent *server.Recent
	close  func()
}

// openDeploys opens the module store and the audit log of cfg, and
// refuses a compiled-code cache a guest could write.
func openDeploys(cfg *config.Config, cacheDir string, stdout, stderr io.Writer) (*deploys, error) {
	if cacheDir != "" {
		if err := cfg.GuestsCannotWrite("the compiled-code cache (--cache-dir)", cacheDir); err != nil {
			return nil, err
		}
	}
	audit, closeAudit, err := openLog("admin audit log", cfg.Admin.Audit, stdout, stderr)
	if err != nil {
		return nil, err
	}
	d := &deploys{audit: audit, recent: server.NewRecent(), close: closeAudit}
	if cfg.Admin.Deploys() {
		if d.store, err = store.Open(cfg.Admin.Store); err != nil {
			closeAudit()
			return nil, err
		}
		d.close = func() { _ = d.store.Close(); closeAudit() }
	}
	return d, nil
}

// options adds the deployments and recent errors to opts.
func (d *deploys) options(opts server.Options) server.Options {
	if d.store != nil {
		opts.Deployments = admin.Deployments(d.store)
	}
	opts.Recent = d.recent
	return opts
}

// adminHandler serves the admin API under /v1/ and /healthz and /metrics.
func (d *deploys) adminHandler(cfg *config.Config, live *server.Live, metrics *server.Metrics, log *slog.Logger) http.Handler {
	api := admin.New(admin.Options{
		Live: live, Store: d.store, MaxModuleBytes: int64(cfg.Admin.MaxModuleMiB) << 20,
		Compiler: admission.NewCompiler(cfg.Admin.CompileWorkers, cfg.Admin.CompileTimeout.Duration),
		Audit:    d.audit, Log: log, Recent: d.recent, Version: moduleVersion("github.com/civetbox/civetbox"),
		Metrics: metrics.Registry(),
	})
	mux := http.NewServeMux()
	mux.Handle("/v1/", api.Handler())
	mux.Handle("/", server.Admin(metrics.Handler()))
	return mux
}

// openLog returns a JSON logger writing to dest: "stdout", "stderr" or a
// file (appended to), and what closes the file.
func openLog(what, dest string, stdout, stderr io.Writer) (*slog.Logger, func(), error) {
	var w io.Writer
	closeFn := func() {}
	switch dest {
	case "stdout":
		w = stdout
	case "stderr":
		w = stderr
	default:
		f, err := os.OpenFile(dest, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o640)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", what, err)
		}
		w, closeFn = f, func() { _ = f.Close() }
	}
	return slog.New(slog.NewJSONHandler(w, nil)), closeFn, nil
}

// warnClearTextAdmin warns when bearer tokens would cross a network in
// clear text: the admin listener is reachable beyond this host without TLS.
func warnClearTextAdmin(cfg *config.Config, log *slog.Logger) {
	addr := cfg.Listen.Admin
	if addr == "off" || cfg.Admin.Cert != "" {
		return
	}
	host, _, err := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); err == nil && host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		log.Warn("the admin API listens beyond this host without TLS: tokens and modules cross the network in clear text; set [admin] cert and key",
			"address", addr)
	}
}
