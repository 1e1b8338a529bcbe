package client

import (
	"context"
	"net/http"
	"strconv"

	"github.com/civetbox/civetbox/deploy/api"
)

// Modules lists tenant's modules.
func (c *Client) Modules(ctx context.Context, tenant string) ([]api.Module, error) {
	var list api.ModuleList
	err := c.call(ctx, http.MethodGet, &list, "tenants", tenant, "modules")
	return list.Modules, err
}

// Module returns one module with its versions.
func (c *Client) Module(ctx context.Context, tenant, module string) (api.Module, error) {
	var m api.Module
	err := c.call(ctx, http.MethodGet, &m, "tenants", tenant, "modules", module)
	return m, err
}

// Version returns version n of a module.
func (c *Client) Version(ctx context.Context, tenant, module string, n int) (api.Version, error) {
	var v api.Version
	err := c.call(ctx, http.MethodGet, &v, "tenants", tenant, "modules", module, "versions", strconv.Itoa(n))
	return v, err
}

// Activate makes version n the one served and returns the module.
func (c *Client) Activate(ctx context.Context, tenant, module string, n int) (api.Module, error) {
	var m api.Module
	err := c.call(ctx, http.MethodPost, &m, "tenants", tenant, "modules", module, "versions", strconv.Itoa(n), "activate")
	return m, err
}

// Rollback activates the version before the active one and returns the
// module.
func (c *Client) Rollback(ctx context.Context, tenant, module string) (api.Module, error) {
	var m api.Module
	err := c.call(ctx, http.MethodPost, &m, "tenants", tenant, "modules", module, "rollback")
	return m, err
}

// Delete removes version n of a module; the server refuses the active one.
func (c *Client) Delete(ctx context.Context, tenant, module string, n int) error {
	return c.call(ctx, http.MethodDelete, nil, "tenants", tenant, "modules", module, "versions", strconv.Itoa(n))
}

// Status returns the server's state as this token may see it.
func (c *Client) Status(ctx context.Context) (api.Status, error) {
	var s api.Status
	err := c.call(ctx, http.MethodGet, &s, "status")
	return s, err
}

// call sends a body-less request to path(parts...) and decodes the answer
// into out.
func (c *Client) call(ctx context.Context, method string, out any, parts ...string) error {
	p, err := path(parts...)
	if err != nil {
		return err
	}
	return c.do(ctx, request{method: method, path: p}, out)
}
