package admin

import (
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/civetbox/civetbox/config"
	"github.com/civetbox/civetbox/deploy/api"
	"github.com/civetbox/civetbox/deploy/token"
	"github.com/civetbox/civetbox/server"
)

// caller is who a valid token belongs to.
type caller struct {
	operator bool
	tenant   string // a tenant token's tenant
	hash     string // the token's hash, to tell rotated tokens apart in the audit log
}

func (c caller) String() string {
	if c.operator {
		return "operator"
	}
	return "tenant:" + c.tenant
}

// mayChange reports whether c may see and change tenant.
func (c caller) mayChange(tenant string) bool { return c.operator || c.tenant == tenant }

// identify finds the token's owner in the configuration being served, so
// tokens change with a reload. Every configured hash is compared, in
// constant time each.
func identify(tok string, cfg *config.Config) (caller, bool) {
	sum := token.Hash(tok)
	if token.HashIn(sum, cfg.Admin.TokenSHA256) {
		return caller{operator: true, hash: sum}, true
	}
	for _, t := range cfg.Tenants {
		if token.HashIn(sum, t.TokenSHA256) {
			return caller{tenant: t.Name, hash: sum}, true
		}
	}
	return caller{}, false
}

type handlerFunc func(w http.ResponseWriter, r *http.Request, c caller)

// handle serves pattern for any valid token.
func (a *API) handle(pattern string, h handlerFunc) {
	a.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if c, ok := a.authenticate(w, r); ok {
			h(w, r, c)
		}
	})
}

// handleTenant serves pattern for tokens that may change its {tenant},
// which must be one of the configuration's: other tenants' tokens get 403
// whether the tenant exists or not, so they cannot probe names.
func (a *API) handleTenant(pattern string, h handlerFunc) {
	a.handle(pattern, func(w http.ResponseWriter, r *http.Request, c caller) {
		name := r.PathValue("tenant")
		switch {
		case !c.mayChange(name):
			a.refuse(r, c, "tenant "+strconv.Quote(name)+" is not the token's")
			a.writeRefusal(w, http.StatusForbidden, api.CodeForbidden, "this token may not see or change tenant "+strconv.Quote(name))
		case !a.tenantExists(name):
			writeError(w, http.StatusNotFound, api.CodeNotFound, "no tenant named "+strconv.Quote(name))
		default:
			h(w, r, c)
		}
	})
}

func (a *API) tenantExists(name string) (found bool) {
	a.opts.Live.View(func(_ *config.Config, b *server.Built) { found = b.Tenant(name) != nil })
	return found
}

// authenticate checks the bearer token; on failure it has answered.
func (a *API) authenticate(w http.ResponseWriter, r *http.Request) (caller, bool) {
	ip := clientIP(r)
	if wait := a.bad.blocked(ip); wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds()+1)))
		a.writeRefusal(w, http.StatusTooManyRequests, api.CodeRateLimited, "too many bad tokens from this address; try again later")
		return caller{}, false
	}
	tok, ok := bearer(r)
	var c caller
	if ok {
		a.opts.Live.View(func(cfg *config.Config, _ *server.Built) { c, ok = identify(tok, cfg) })
	}
	if !ok {
		a.bad.failed(ip)
		a.refuse(r, caller{}, "no valid bearer token")
		w.Header().Set("WWW-Authenticate", `Bearer realm="civetbox-admin"`)
		a.writeRefusal(w, http.StatusUnauthorized, api.CodeUnauthorized, "a valid bearer token is required (Authorization: Bearer TOKEN)")
		return caller{}, false
	}
	return c, true
}

func bearer(r *http.Request) (string, bool) {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	return tok, ok && strings.EqualFold(scheme, "Bearer") && tok != ""
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// Bad-token limits: an address that presents this many bad tokens within
// the window is refused (429) until the window ends, so tokens cannot be
// guessed at network speed.
const (
	BadTokenLimit  = 10
	BadTokenWindow = time.Minute
	// badTokenAddresses bounds the memory the counts take.
	badTokenAddresses = 10000
)

type badTokens struct {
	mu  sync.Mutex
	by  map[string]*badWindow
	now func() time.Time
}

type badWindow struct {
	start time.Time
	count int
}

func newBadTokens() *badTokens {
	return &badTokens{by: map[string]*badWindow{}, now: time.Now}
}

// blocked returns how long ip stays refused, 0 if it is not.
func (b *badTokens) blocked(ip string) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	w, ok := b.by[ip]
	if !ok || w.count < BadTokenLimit {
		return 0
	}
	return max(0, BadTokenWindow-b.now().Sub(w.start))
}

func (b *badTokens) failed(ip string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	w, ok := b.by[ip]
	if !ok || now.Sub(w.start) >= BadTokenWindow {
		if !ok && len(b.by) >= badTokenAddresses {
			b.prune(now)
		}
		w = &badWindow{start: now}
		b.by[ip] = w
	}
	w.count++
}

// prune drops finished windows, and if none has finished, one at random.
func (b *badTokens) prune(now time.Time) {
	for ip, w := range b.by {
		if now.Sub(w.start) >= BadTokenWindow {
			delete(b.by, ip)
		}
	}
	for ip := range b.by {
		if len(b.by) < badTokenAddresses {
			break
		}
		delete(b.by, ip)
	}
}
