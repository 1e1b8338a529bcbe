package runtime

import (
	"context"
	"errors"
	"net/http"

	"github.com/civetbox/civetbox/hostfuncs"
	"github.com/civetbox/civetbox/internal/reqinfo"
)

// Set serves several modules on one listener: a request goes to the first
// module, in order, that registered a route matching its local_uri, and gets
// CivetWeb's 404 page if none did.
type Set []*Handler

var _ http.Handler = Set(nil)

func (s Set) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var info hostfuncs.RequestInfo
	if err := reqinfo.FillTarget(&info, r); err == nil && info.HasLocalURI {
		for _, h := range s {
			if h.Matches(info.LocalURI) {
				h.serveHTTP(w, r, &info) // parsed once per request
				return
			}
		}
	}
	// Nothing matched, or the request is malformed: the first module
	// answers with the same error page it would give on its own.
	if len(s) > 0 {
		s[0].ServeHTTP(w, r)
		return
	}
	_ = hostfuncs.SendError(newExchange(w, r), http.StatusNotFound, "Not Found")
}

// Close closes every module.
func (s Set) Close(ctx context.Context) error {
	var errs []error
	for _, h := range s {
		errs = append(errs, h.Close(ctx))
	}
	return errors.Join(errs...)
}

// SendError answers r with CivetWeb's error page for status, as the host
// answers its own refusals, for servers that refuse a request before any
// module sees it. Headers already set on w go out with it.
func SendError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	_ = hostfuncs.SendError(newExchange(w, r), status, msg)
}
