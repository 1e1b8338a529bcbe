// Package api holds the JSON shapes of civetbox's admin API v1, shared by
// the server (deploy/admin) and the client (deploy/client, `civetbox
// deploy`, `civetbox modules`).
//
// Every route lives under /v1 on the admin listener and needs
// "Authorization: Bearer TOKEN". An operator token may do everything; a
// tenant token only what concerns its own tenant (403 otherwise).
//
//	GET    /v1/status                                           Status
//	GET    /v1/tenants/{tenant}/modules                         ModuleList
//	POST   /v1/tenants/{tenant}/modules/{module}[?activate=1]   raw wasm body -> 201 Version
//	GET    /v1/tenants/{tenant}/modules/{module}                Module
//	GET    /v1/tenants/{tenant}/modules/{module}/versions/{n}   Version
//	POST   /v1/tenants/{tenant}/modules/{module}/versions/{n}/activate   Module
//	POST   /v1/tenants/{tenant}/modules/{module}/rollback       Module
//	DELETE /v1/tenants/{tenant}/modules/{module}/versions/{n}   204
//	GET    /v1/tenants/{tenant}/routes                          RouteList
//	POST   /v1/tenants/{tenant}/routes                          Route body -> RouteList
//	DELETE /v1/tenants/{tenant}/routes?host=H&prefix=P          204
//
// Every error is an Error body with a 4xx or 5xx status.
package api

import "time"

// Version is one uploaded version of a module.
type Version struct {
	Version    int       `json:"version"`
	SHA256     string    `json:"sha256"`
	Size       int64     `json:"size"`
	ABIVersion uint32    `json:"abi_version"`
	Exports    []string  `json:"exports"`
	Imports    []string  `json:"imports"` // "module.name"
	UploadedAt time.Time `json:"uploaded_at"`
	UploadedBy string    `json:"uploaded_by"` // "operator" or "tenant:NAME"
	Active     bool      `json:"active"`
}

// Module is a module of a tenant with its versions, oldest first.
type Module struct {
	Name string `json:"name"`
	// Source is SourceStore for uploaded modules and SourceConfig for
	// modules of the configuration file (which have no versions).
	Source string `json:"source"`
	// Active is the active version; 0 when none is.
	Active   int       `json:"active"`
	Versions []Version `json:"versions"`
	// Routes are the URIs the active version registered.
	Routes []string `json:"routes,omitempty"`
}

// Module sources.
const (
	SourceStore  = "store"
	SourceConfig = "config"
)

// ModuleList is a tenant's modules, by name.
type ModuleList struct {
	Modules []Module `json:"modules"`
}

// Route binds requests of a tenant to one module: requests whose Host is
// Host ("" = any of the tenant's) and whose path is Prefix or below it go
// to Module, with Prefix removed, as a mount does.
type Route struct {
	Host   string `json:"host,omitempty"`
	Prefix string `json:"prefix"`
	Module string `json:"module"`
	// Source is RouteBinding for bindings made through the API and
	// RouteModule for the URIs a module registered itself
	// (mg_set_request_handler), which bindings take precedence over.
	Source string `json:"source,omitempty"`
}

// Route sources.
const (
	RouteBinding = "binding"
	RouteModule  = "module"
)

// RouteList is a tenant's effective routes: its host names and mounts
// from the configuration file, then bindings (longest prefix first), then
// the modules' own routes (configuration modules first).
type RouteList struct {
	Hosts  []string `json:"hosts"`
	Mounts []string `json:"mounts"`
	Routes []Route  `json:"routes"`
}

// Status is the server's state as one caller may see it.
type Status struct {
	Version       string         `json:"version"`
	UptimeSeconds float64        `json:"uptime_seconds"`
	Tenants       []TenantStatus `json:"tenants"`
}

// TenantStatus is one tenant's modules and recent errors.
type TenantStatus struct {
	Name         string         `json:"name"`
	Modules      []ModuleStatus `json:"modules"`
	RecentErrors []RecentError  `json:"recent_errors"`
}

// ModuleStatus is a served module.
type ModuleStatus struct {
	Name          string `json:"name"`
	Source        string `json:"source"`
	ActiveVersion int    `json:"active_version,omitempty"`
	SHA256        string `json:"sha256,omitempty"`
	Versions      int    `json:"versions"`
	LiveInstances int64  `json:"live_instances"`
}

// RecentError is one of the last errors a tenant's requests or deploys met.
type RecentError struct {
	Time    time.Time `json:"time"`
	Module  string    `json:"module,omitempty"`
	Message string    `json:"message"`
}

// Error is the body of every error response. Message names the problem;
// Code is a stable short word a script may branch on.
type Error struct {
	Message string `json:"error"`
	Code    string `json:"code"`
}

// Error codes.
const (
	CodeUnauthorized = "unauthorized" // 401: no or unknown token
	CodeForbidden    = "forbidden"    // 403: the token may not touch this tenant
	CodeNotFound     = "not_found"    // 404: no such tenant, module, version or route
	CodeConflict     = "conflict"     // 409: e.g. deleting the active version
	CodeTooLarge     = "too_large"    // 413: the module is over the size cap
	CodeRejected     = "rejected"     // 422: the module failed admission
	CodeBadRequest   = "bad_request"  // 400: malformed request
	CodeRateLimited  = "rate_limited" // 429: too many bad tokens
	CodeUnavailable  = "unavailable"  // 503: deploys are not configured
	CodeInternal     = "internal"     // 500
)
