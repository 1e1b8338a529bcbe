package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/civetbox/civetbox/config"
)

// Live is the configuration a server is serving. A reload replaces it
// whole and a deploy changes one tenant of it; both take the same lock,
// so a reload reads the module store either before a deploy or after it,
// never in the middle.
type Live struct {
	handler *Swappable

	mu      sync.Mutex // guards cfg and built; orders reloads and deploys
	cfg     *config.Config
	built   *Built
	retired sync.WaitGroup // replaced configurations still draining
}

var _ http.Handler = (*Live)(nil)

// ErrNoTenant is a change to a tenant the configuration does not have (any
// more: a reload may have removed it).
var ErrNoTenant = errors.New("no such tenant")

// NewLive serves built, loaded from cfg.
func NewLive(cfg *config.Config, built *Built) *Live {
	return &Live{handler: NewSwappable(built.Handler), cfg: cfg, built: built}
}

func (l *Live) ServeHTTP(w http.ResponseWriter, r *http.Request) { l.handler.ServeHTTP(w, r) }

// Reload replaces the configuration with what build returns, given the
// current one; on error the current one keeps serving. Requests in flight finish on the old one,
// which is closed once they have.
func (l *Live) Reload(build func(cur *config.Config, curBuilt *Built) (*config.Config, *Built, error)) (*config.Config, *Built, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	cfg, built, err := build(l.cfg, l.built)
	if err != nil {
		return nil, nil, err
	}
	waitOld := l.handler.Swap(built.Handler)
	old := l.built
	l.cfg, l.built = cfg, built
	l.retired.Add(1)
	go func() {
		defer l.retired.Done()
		waitOld()
		_ = old.Close(context.Background())
	}()
	return cfg, built, nil
}

// View calls fn with the current configuration, which does not change
// until fn returns.
func (l *Live) View(fn func(cfg *config.Config, b *Built)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fn(l.cfg, l.built)
}

// Change calls fn with tenant while no reload and no other change runs,
// so fn can read the module store and deploy what it read.
func (l *Live) Change(tenant string, fn func(t *LoadedTenant) error) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	t := l.built.Tenant(tenant)
	if t == nil {
		return fmt.Errorf("server: tenant %q: %w", tenant, ErrNoTenant)
	}
	return fn(t)
}

// Close waits for replaced configurations to drain and closes the current
// one; the listeners have stopped by then.
func (l *Live) Close() error {
	l.retired.Wait()
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.built.Close(context.Background())
}
