package client

import (
	"context"
	"io"
	"net/http"
	"net/url"

	"github.com/civetbox/civetbox/deploy/api"
)

// Upload sends size bytes of wasm from r as a new version of a module and,
// when activate is set, makes it the one served. progress, if not nil, is
// called as the body is sent; its last call has sent == total once all of
// it went out.
func (c *Client) Upload(ctx context.Context, tenant, module string, r io.Reader, size int64, activate bool,
	progress func(sent, total int64)) (api.Version, error) {
	var v api.Version
	p, err := path("tenants", tenant, "modules", module)
	if err != nil {
		return v, err
	}
	var q url.Values
	if activate {
		q = url.Values{"activate": {"1"}}
	}
	if progress != nil {
		r = &progressReader{r: r, total: size, progress: progress}
	}
	req := request{method: http.MethodPost, path: p, query: q, body: r, size: size, ctype: "application/wasm"}
	return v, c.do(ctx, req, &v)
}

// progressReader reports how much of a body has been read.
type progressReader struct {
	r        io.Reader
	sent     int64
	total    int64
	progress func(sent, total int64)
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if n > 0 {
		p.sent += int64(n)
		p.progress(p.sent, p.total)
	}
	return n, err
}
