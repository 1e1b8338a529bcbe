// Package admin is civetbox's admin API v1 (shapes in deploy/api): it
// takes module uploads for tenants, checks them (deploy/admission), keeps
// them (deploy/store) and deploys them without dropping a request
// (server.Live). Every route needs a bearer token; every change is
// written to the audit log.
package admin

import (
	"github.com/prometheus/client_golang/prometheus"
	"log/slog"
	"net/http"
	"time"

	"github.com/civetbox/civetbox/deploy/admission"
	"github.com/civetbox/civetbox/deploy/api"
	"github.com/civetbox/civetbox/deploy/store"
	"github.com/civetbox/civetbox/server"
)

// Options are what the API serves and where it reports.
type Options struct {
	Live *server.Live
	// Store keeps deployed modules; nil turns deploys off (the API still
	// shows the configuration's modules).
	Store *store.Store
	// MaxModuleBytes bounds an upload (413 beyond).
	MaxModuleBytes int64
	// Compiler checks that an upload compiles, on bounded workers.
	Compiler *admission.Compiler
	// Audit gets a line per change and per refused attempt.
	Audit *slog.Logger
	// Log gets internal errors.
	Log *slog.Logger
	// Recent keeps tenants' recent errors (shown by /v1/status).
	Recent *server.Recent
	// Version is the server's version, shown by /v1/status.
	Version string
	// Metrics, if not nil, gets the API's counters.
	Metrics prometheus.Registerer
}

// API serves /v1/.
type API struct {
	opts    Options
	bad     *badTokens
	metrics *metrics
	start   time.Time
	mux     *http.ServeMux
}

// New returns the API; mount its Handler on the admin listener at /v1/.
func New(opts Options) *API {
	a := &API{opts: opts, bad: newBadTokens(), metrics: newMetrics(opts.Metrics), start: time.Now(), mux: http.NewServeMux()}
	a.routes()
	return a
}

func (a *API) routes() {
	const m = "/v1/tenants/{tenant}/modules/{module}"
	a.handle("GET /v1/status", a.status)
	a.handleTenant("GET /v1/tenants/{tenant}/modules", a.listModules)
	a.handleTenant("POST "+m, a.upload)
	a.handleTenant("GET "+m, a.showModule)
	a.handleTenant("GET "+m+"/versions/{version}", a.showVersion)
	a.handleTenant("POST "+m+"/versions/{version}/activate", a.activate)
	a.handleTenant("POST "+m+"/rollback", a.rollback)
	a.handleTenant("DELETE "+m+"/versions/{version}", a.deleteVersion)
	a.handleTenant("GET /v1/tenants/{tenant}/routes", a.listRoutes)
	a.handleTenant("POST /v1/tenants/{tenant}/routes", a.bindRoute)
	a.handleTenant("DELETE /v1/tenants/{tenant}/routes", a.unbindRoute)
	a.mux.HandleFunc("/v1/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, api.CodeNotFound, "no admin API route "+r.Method+" "+r.URL.Path)
	})
}

// Handler serves the API.
func (a *API) Handler() http.Handler { return a.mux }
