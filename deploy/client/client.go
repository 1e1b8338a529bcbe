// Package client is a typed client of civetbox's admin API v1 (see
// deploy/api), used by `civetbox deploy` and `civetbox modules`.
//
// Every method returns either an *Error, when the server answered with an
// error status, or a *TransportError, when no usable answer came back
// (connection refused, TLS failure, timeout, unreadable body). The token
// never appears in either.
package client

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// DefaultTimeout bounds one whole request, upload included, unless
// WithTimeout says otherwise.
const DefaultTimeout = 2 * time.Minute

// Client calls one admin API. It is safe for concurrent use.
type Client struct {
	base  string // scheme://host[/path], no trailing slash
	token string
	http  *http.Client
}

// Option configures New.
type Option func(*options)

type options struct {
	caFile  string
	timeout time.Duration
}

// WithCAFile trusts only the PEM certificates in path for an https:// URL,
// as for a server with a self-signed certificate.
func WithCAFile(path string) Option { return func(o *options) { o.caFile = path } }

// WithTimeout bounds each request; 0 means DefaultTimeout.
func WithTimeout(d time.Duration) Option { return func(o *options) { o.timeout = d } }

// New returns a client of the admin API at baseURL ("http://127.0.0.1:9090";
// a URL without a scheme gets http://) that authenticates with token.
func New(baseURL, token string, opts ...Option) (*Client, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	u, err := parseBase(baseURL)
	if err != nil {
		return nil, err
	}
	if strings.ContainsFunc(token, isControl) {
		return nil, errors.New("client: the token contains control characters")
	}
	transport, err := newTransport(u, o.caFile)
	if err != nil {
		return nil, err
	}
	if o.timeout == 0 {
		o.timeout = DefaultTimeout
	}
	hc := &http.Client{Transport: transport, Timeout: o.timeout, CheckRedirect: noRedirects}
	return &Client{base: strings.TrimSuffix(u.String(), "/"), token: token, http: hc}, nil
}

// parseBase checks the admin URL. Credentials in it are refused: they would
// end up in error messages, and the token is the credential.
func parseBase(raw string) (*url.URL, error) {
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return nil, fmt.Errorf("client: admin URL: %w", err)
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("client: admin URL %q: scheme is not http or https", u.Redacted())
	case u.Host == "":
		return nil, fmt.Errorf("client: admin URL %q has no host", u.Redacted())
	case u.User != nil:
		return nil, fmt.Errorf("client: admin URL %q carries credentials; use the token", u.Redacted())
	case u.RawQuery != "" || u.Fragment != "":
		return nil, fmt.Errorf("client: admin URL %q has a query or fragment", u.Redacted())
	}
	return u, nil
}

func newTransport(u *url.URL, caFile string) (*http.Transport, error) {
	t := http.DefaultTransport.(*http.Transport).Clone()
	if caFile == "" {
		return t, nil
	}
	if u.Scheme != "https" {
		return nil, fmt.Errorf("client: a CA file needs an https:// admin URL, not %q", u.Redacted())
	}
	pool, err := loadCAs(caFile)
	if err != nil {
		return nil, err
	}
	t.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	return t, nil
}

func loadCAs(path string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("client: CA file: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("client: CA file %q holds no PEM certificate", path)
	}
	return pool, nil
}

// noRedirects makes a redirect an error answer: following one could carry
// the token to another scheme or host.
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }
