package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/civetbox/civetbox/config"
)

// Listener is one open listening socket and the server for it.
type Listener struct {
	// Kind is "http", "https" or "admin".
	Kind string
	Addr net.Addr
	tls  bool
	ln   net.Listener
	srv  *http.Server
}

// URL is the listener's base URL.
func (l *Listener) URL() string {
	scheme := "http"
	if l.tls {
		scheme = "https"
	}
	return scheme + "://" + l.Addr.String()
}

// Timeouts of every server, CivetWeb-like where CivetWeb has one.
const (
	ReadHeaderTimeout = 10 * time.Second
	IdleTimeout       = 60 * time.Second
)

// Listen opens every listener of cfg (port 0 picks a free one): HTTP (with
// cleartext HTTP/2 if enabled) and HTTPS (HTTP/2 negotiated) serving
// handler, and the admin listener (HTTPS if [admin] has a certificate)
// serving admin. Nothing is served until Serve.
func Listen(c *config.Config, handler, admin http.Handler, maxHeaderBytes int, log *slog.Logger) (_ []*Listener, err error) {
	cfg := c.Listen
	var lns []*Listener
	defer func() {
		if err != nil {
			for _, l := range lns {
				_ = l.ln.Close()
			}
		}
	}()
	add := func(kind, addr string, h http.Handler, tlsCfg *tls.Config) error {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return fmt.Errorf("listen %s %s: %w", kind, addr, err)
		}
		srv := newServer(h, maxHeaderBytes, log.With("listener", kind))
		if tlsCfg != nil {
			srv.TLSConfig = tlsCfg
			ln = tls.NewListener(ln, tlsCfg)
		} else if cfg.H2C && kind == "http" {
			var p http.Protocols
			p.SetHTTP1(true)
			p.SetUnencryptedHTTP2(true)
			srv.Protocols = &p
		}
		lns = append(lns, &Listener{Kind: kind, Addr: ln.Addr(), tls: tlsCfg != nil, ln: ln, srv: srv})
		return nil
	}
	for _, a := range cfg.HTTP {
		if err := add("http", a, handler, nil); err != nil {
			return nil, err
		}
	}
	for _, s := range cfg.HTTPS {
		tlsCfg, err := tlsConfig(s)
		if err != nil {
			return nil, err
		}
		if err := add("https", s.Address, handler, tlsCfg); err != nil {
			return nil, err
		}
	}
	if cfg.Admin != "off" {
		var tlsCfg *tls.Config
		if c.Admin.Cert != "" {
			if tlsCfg, err = tlsConfig(config.TLSListener{Address: cfg.Admin, Cert: c.Admin.Cert, Key: c.Admin.Key}); err != nil {
				return nil, err
			}
		}
		if err := add("admin", cfg.Admin, admin, tlsCfg); err != nil {
			return nil, err
		}
	}
	return lns, nil
}

func tlsConfig(s config.TLSListener) (*tls.Config, error) {
	cert, err := tls.LoadX509KeyPair(s.Cert, s.Key)
	if err != nil {
		return nil, fmt.Errorf("listen https %s: %w", s.Address, err)
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"h2", "http/1.1"}, MinVersion: tls.VersionTLS12}, nil
}

func newServer(h http.Handler, maxHeaderBytes int, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: ReadHeaderTimeout,
		IdleTimeout:       IdleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// Serve serves every listener until ctx is done or one fails, then stops
// accepting and lets requests in flight finish for up to grace.
func Serve(ctx context.Context, lns []*Listener, grace time.Duration) error {
	failed := make(chan error, len(lns))
	for _, l := range lns {
		go func() {
			if err := l.srv.Serve(l.ln); !errors.Is(err, http.ErrServerClosed) {
				failed <- fmt.Errorf("%s %s: %w", l.Kind, l.Addr, err)
			}
		}()
	}
	var err error
	select {
	case err = <-failed:
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	for _, l := range lns {
		if e := l.srv.Shutdown(shutdownCtx); e != nil && !errors.Is(e, context.DeadlineExceeded) && err == nil {
			err = e
		}
	}
	return err
}

// Admin is the admin listener's handler: /healthz answers 200 "ok" while
// the server runs, and /metrics serves metrics if it is not nil.
func Admin(metrics http.Handler) http.Handler {
	mux := http.NewServeMux()
	if metrics != nil {
		mux.Handle("GET /metrics", metrics)
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	return mux
}
