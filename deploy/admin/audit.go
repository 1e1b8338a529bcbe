package admin

import (
	"log/slog"
	"net/http"
	"strings"
)

// change is one change to a tenant, for the audit log.
type change struct {
	action, tenant, module string
	version                int
	sha256                 string
}

// audit writes a change's line: who did what, to which module version,
// and whether it was done. A refused change is also one of the tenant's
// recent errors.
func (a *API) audit(r *http.Request, c caller, ch change, err error) {
	a.metrics.change(ch.tenant, strings.Fields(ch.action)[0], err)
	if err != nil {
		a.opts.Recent.Add(ch.tenant, ch.module, ch.action+" refused: "+err.Error())
	}
	if a.opts.Audit == nil {
		return
	}
	attrs := []slog.Attr{
		slog.String("who", c.String()), slog.String("token_sha256", short(c.hash)),
		slog.String("remote", r.RemoteAddr), slog.String("action", ch.action),
		slog.String("tenant", ch.tenant),
	}
	if ch.module != "" {
		attrs = append(attrs, slog.String("module", ch.module))
	}
	if ch.version != 0 {
		attrs = append(attrs, slog.Int("version", ch.version))
	}
	if ch.sha256 != "" {
		attrs = append(attrs, slog.String("sha256", ch.sha256))
	}
	result := "done"
	if err != nil {
		result = "refused"
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	attrs = append(attrs, slog.String("result", result))
	a.opts.Audit.LogAttrs(r.Context(), slog.LevelInfo, "admin change", attrs...)
}

// refuse writes the line of a request refused before it could change
// anything (bad token, other tenant).
func (a *API) refuse(r *http.Request, c caller, why string) {
	if a.opts.Audit == nil {
		return
	}
	a.opts.Audit.LogAttrs(r.Context(), slog.LevelWarn, "admin request refused",
		slog.String("who", c.who()), slog.String("remote", r.RemoteAddr),
		slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("why", why))
}

// who is c, or "unknown" for a request without a valid token.
func (c caller) who() string {
	if !c.operator && c.tenant == "" {
		return "unknown"
	}
	return c.String()
}

// short is enough of a hash to tell tokens apart without publishing it.
func short(hash string) string {
	if len(hash) > 12 {
		return hash[:12]
	}
	return hash
}
