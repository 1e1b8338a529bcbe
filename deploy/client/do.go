package client

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/civetbox/civetbox/deploy/api"
)

// Body size caps: an answer bigger than these is not from a sane server.
const (
	maxAnswer    = 16 << 20
	maxErrorBody = 64 << 10
)

// request is one API call.
type request struct {
	method string
	path   string // escaped, from /v1 on
	query  url.Values
	body   io.Reader
	size   int64  // of body; -1 when unknown
	ctype  string // of body
}

// do sends req and decodes a 2xx answer into out (nil: ignore the body).
func (c *Client) do(ctx context.Context, r request, out any) error {
	req, err := c.newRequest(ctx, r)
	if err != nil {
		return err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return transportError(req, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return readError(req, resp)
	}
	if out == nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody)) // lets the connection be reused
		return nil
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxAnswer)).Decode(out); err != nil {
		return transportError(req, fmt.Errorf("reading the answer: %w", err))
	}
	return nil
}

func (c *Client) newRequest(ctx context.Context, r request) (*http.Request, error) {
	u := c.base + r.path
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u, r.body)
	if err != nil {
		return nil, fmt.Errorf("client: %s %s: %w", r.method, r.path, err)
	}
	if r.body != nil {
		req.ContentLength = r.size
		req.Header.Set("Content-Type", r.ctype)
	}
	req.Header.Set("Accept", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	return req, nil
}

// readError makes an *Error of an error answer; a body that is not an API
// error (a proxy's page, another server) still gives a message.
func readError(req *http.Request, resp *http.Response) error {
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	if err != nil && len(body) == 0 {
		return transportError(req, fmt.Errorf("reading the %d answer: %w", resp.StatusCode, err))
	}
	var e api.Error
	if json.Unmarshal(body, &e) == nil && e.Code != "" {
		return &Error{Status: resp.StatusCode, Code: e.Code, Message: oneLine(e.Message)}
	}
	msg := errorMessage(resp.StatusCode, body, resp.Header.Get("Location"))
	return &Error{Status: resp.StatusCode, Message: msg}
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.Map(printable, s)), " ")
}

// segment escapes one path segment. Empty, "." and ".." names are refused:
// they would name another route once the server cleans the path.
func segment(what, name string) (string, error) {
	if name == "" || name == "." || name == ".." {
		return "", fmt.Errorf("client: %s name %q is not valid", what, name)
	}
	return url.PathEscape(name), nil
}

// path joins escaped segments under /v1; names are checked as kind/name
// pairs: path("tenants", tenant, "modules", module) checks tenant and module.
func path(parts ...string) (string, error) {
	var b strings.Builder
	b.WriteString("/v1")
	for i := 0; i+1 < len(parts); i += 2 {
		seg, err := segment(strings.TrimSuffix(parts[i], "s"), parts[i+1])
		if err != nil {
			return "", err
		}
		b.WriteString("/" + parts[i] + "/" + seg)
	}
	if len(parts)%2 == 1 {
		b.WriteString("/" + parts[len(parts)-1])
	}
	return b.String(), nil
}
