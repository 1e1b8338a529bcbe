package admin

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/civetbox/civetbox/deploy/api"
	"github.com/civetbox/civetbox/deploy/store"
	"github.com/civetbox/civetbox/server"
)

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, api.Error{Message: msg, Code: code})
}

// writeRefusal answers a refusal and counts it.
func (a *API) writeRefusal(w http.ResponseWriter, status int, code, msg string) {
	a.metrics.refused(code)
	writeError(w, status, code, msg)
}

// apiError is an error with the status and code it is answered with.
type apiError struct {
	status int
	code   string
	msg    string
}

func (e *apiError) Error() string { return e.msg }

func failf(status int, code, msg string) *apiError { return &apiError{status, code, msg} }

// fail answers err: an *apiError as it says, the store's and the server's
// typed errors with their status, anything else as an internal error
// whose details go to the log only.
func (a *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	var ae *apiError
	var de *server.DeployError
	switch {
	case errors.As(err, &ae):
		a.writeRefusal(w, ae.status, ae.code, ae.msg)
	case errors.Is(err, store.ErrInvalid):
		a.writeRefusal(w, http.StatusBadRequest, api.CodeBadRequest, err.Error())
	case errors.Is(err, store.ErrNotFound), errors.Is(err, server.ErrNoTenant):
		a.writeRefusal(w, http.StatusNotFound, api.CodeNotFound, err.Error())
	case errors.Is(err, store.ErrActive), errors.Is(err, store.ErrNoPrevious):
		a.writeRefusal(w, http.StatusConflict, api.CodeConflict, err.Error())
	case errors.As(err, &de):
		a.writeRefusal(w, http.StatusUnprocessableEntity, api.CodeRejected, de.Error())
	default:
		a.opts.Log.Error("admin API", "method", r.Method, "path", r.URL.Path, "error", err)
		writeError(w, http.StatusInternalServerError, api.CodeInternal, "internal error; the server log has the details")
	}
}

// versionParam is the {version} of the path.
func versionParam(r *http.Request) (int, error) {
	v, err := strconv.Atoi(r.PathValue("version"))
	if err != nil || v < 1 {
		return 0, failf(http.StatusBadRequest, api.CodeBadRequest, "version "+strconv.Quote(r.PathValue("version"))+" is not a positive number")
	}
	return v, nil
}
