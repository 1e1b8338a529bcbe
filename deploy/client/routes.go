package client

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/civetbox/civetbox/deploy/api"
)

// Routes lists tenant's effective routes.
func (c *Client) Routes(ctx context.Context, tenant string) ([]api.Route, error) {
	var list api.RouteList
	err := c.call(ctx, http.MethodGet, &list, "tenants", tenant, "routes")
	return list.Routes, err
}

// Bind routes requests of tenant to a module and returns the routes then.
func (c *Client) Bind(ctx context.Context, tenant string, route api.Route) ([]api.Route, error) {
	var list api.RouteList
	p, err := path("tenants", tenant, "routes")
	if err != nil {
		return nil, err
	}
	body, err := json.Marshal(route)
	if err != nil {
		return nil, err
	}
	req := request{method: http.MethodPost, path: p, body: bytes.NewReader(body), size: int64(len(body)),
		ctype: "application/json"}
	err = c.do(ctx, req, &list)
	return list.Routes, err
}

// Unbind removes the route of tenant at host ("" = any) and prefix.
func (c *Client) Unbind(ctx context.Context, tenant, host, prefix string) error {
	p, err := path("tenants", tenant, "routes")
	if err != nil {
		return err
	}
	q := url.Values{"host": {host}, "prefix": {prefix}}
	return c.do(ctx, request{method: http.MethodDelete, path: p, query: q}, nil)
}
