package admin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/civetbox/civetbox/config"
	"github.com/civetbox/civetbox/deploy/admission"
	"github.com/civetbox/civetbox/deploy/api"
	"github.com/civetbox/civetbox/deploy/store"
	"github.com/civetbox/civetbox/runtime/engine"
	"github.com/civetbox/civetbox/server"
)

var errNoStore = failf(http.StatusServiceUnavailable, api.CodeUnavailable,
	"deploys are off on this server: set [admin] store in its configuration")

func (a *API) upload(w http.ResponseWriter, r *http.Request, c caller) {
	tenant, module := r.PathValue("tenant"), r.PathValue("module")
	v, err := a.doUpload(w, r, c, tenant, module)
	action := "upload"
	if activateParam(r) {
		action = "upload and activate"
	}
	a.audit(r, c, change{action: action, tenant: tenant, module: module, version: v.Version, sha256: v.SHA256}, err)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, a.versionJSON(tenant, module, v))
}

// doUpload admits the body as a new version of module and, if asked,
// activates it; a version that cannot be activated is not kept.
func (a *API) doUpload(w http.ResponseWriter, r *http.Request, c caller, tenant, module string) (store.VersionInfo, error) {
	if err := a.checkNewModule(tenant, module); err != nil {
		return store.VersionInfo{}, err
	}
	wasm, err := a.readModule(w, r)
	if err != nil {
		return store.VersionInfo{}, err
	}
	report, err := a.admit(r.Context(), tenant, wasm)
	if err != nil {
		return store.VersionInfo{}, err
	}
	v, err := a.opts.Store.Put(tenant, module, wasm, store.VersionInfo{
		ABIVersion: report.ABIVersion, Exports: report.Exports, Imports: report.Imports,
		UploadedAt: time.Now().UTC(), UploadedBy: c.String(),
	})
	if err != nil || !activateParam(r) {
		return v, err
	}
	if err := a.activateVersion(r.Context(), tenant, module, v.Version); err != nil {
		if derr := a.opts.Store.Delete(tenant, module, v.Version); derr != nil {
			a.opts.Log.Error("removing a version that did not activate", "tenant", tenant, "module", module, "version", v.Version, "error", derr)
		}
		return v, err
	}
	return v, nil
}

func activateParam(r *http.Request) bool {
	b, _ := strconv.ParseBool(r.URL.Query().Get("activate"))
	return b
}

// checkNewModule refuses a name the configuration file already uses: a
// name is either the file's or the store's, so nothing shadows anything.
func (a *API) checkNewModule(tenant, module string) error {
	if a.opts.Store == nil {
		return errNoStore
	}
	if err := store.CheckModuleName(module); err != nil {
		return failf(http.StatusBadRequest, api.CodeBadRequest, err.Error())
	}
	if a.configModule(tenant, module) {
		return failf(http.StatusConflict, api.CodeConflict, "module "+strconv.Quote(module)+
			" is in the configuration file; an uploaded module needs another name")
	}
	return nil
}

func (a *API) configModule(tenant, module string) bool {
	return slices.Contains(a.configModules(tenant), module)
}

// UploadTimeout bounds reading an upload's body.
const UploadTimeout = 5 * time.Minute

// readModule reads the body up to the size cap: a declared length over it
// is refused before anything is read.
func (a *API) readModule(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	limit := a.opts.MaxModuleBytes
	tooLarge := failf(http.StatusRequestEntityTooLarge, api.CodeTooLarge,
		"the module is larger than this server's limit of "+strconv.FormatInt(limit>>20, 10)+" MiB ([admin] max_module_mib)")
	if r.ContentLength > limit {
		return nil, tooLarge
	}
	// The admin server has no read timeout (uploads may be large); this
	// one keeps a stalled upload from holding a connection for ever.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(UploadTimeout))
	wasm, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	switch {
	case err != nil:
		return nil, failf(http.StatusBadRequest, api.CodeBadRequest, "reading the module: "+err.Error())
	case int64(len(wasm)) > limit:
		return nil, tooLarge
	case len(wasm) == 0:
		return nil, failf(http.StatusBadRequest, api.CodeBadRequest, "the request has no body; send the .wasm file as it")
	}
	return wasm, nil
}

// admit checks the module's structure against the tenant's limits and
// compiles it with the tenant's engine.
func (a *API) admit(ctx context.Context, tenant string, wasm []byte) (*admission.Report, error) {
	var eng engine.Engine
	var memoryMiB int
	a.opts.Live.View(func(_ *config.Config, b *server.Built) {
		if t := b.Tenant(tenant); t != nil {
			eng, memoryMiB = t.Engine(), t.MemoryMiB()
		}
	})
	if eng == nil {
		return nil, fmt.Errorf("admin: tenant %q: %w", tenant, server.ErrNoTenant)
	}
	limits := admission.DefaultLimits()
	limits.MaxInitialMemoryPages = uint32(memoryMiB) * 16
	report, err := admission.Inspect(wasm, limits)
	if err != nil {
		return nil, rejected(err)
	}
	if err := a.opts.Compiler.Check(ctx, eng, wasm); err != nil {
		return nil, rejected(err)
	}
	return report, nil
}

// rejected turns an admission rejection into a 422 naming the problem.
func rejected(err error) error {
	var rej *admission.Rejection
	if errors.As(err, &rej) {
		return failf(http.StatusUnprocessableEntity, api.CodeRejected, "module rejected: "+rej.Message)
	}
	return err
}

func (a *API) activate(w http.ResponseWriter, r *http.Request, c caller) {
	tenant, module := r.PathValue("tenant"), r.PathValue("module")
	v, err := versionParam(r)
	if err == nil {
		err = a.activateVersion(r.Context(), tenant, module, v)
	}
	a.answerChange(w, r, c, change{action: "activate", tenant: tenant, module: module, version: v}, err)
}

func (a *API) activateVersion(ctx context.Context, tenant, module string, version int) error {
	if a.opts.Store == nil {
		return errNoStore
	}
	st := a.opts.Store
	return a.deploy(ctx, tenant, func(d *server.Deployment) error {
		v, err := st.Version(tenant, module, version)
		*d = withVersion(st, *d, module, v)
		return err
	}, func() error { return st.Activate(tenant, module, version) })
}

func (a *API) rollback(w http.ResponseWriter, r *http.Request, c caller) {
	tenant, module := r.PathValue("tenant"), r.PathValue("module")
	if a.opts.Store == nil {
		a.fail(w, r, errNoStore)
		return
	}
	st := a.opts.Store
	var to store.VersionInfo
	err := a.deploy(r.Context(), tenant, func(d *server.Deployment) error {
		var err error
		to, err = st.Previous(tenant, module)
		*d = withVersion(st, *d, module, to)
		return err
	}, func() error {
		_, err := st.Rollback(tenant, module)
		return err
	})
	a.answerChange(w, r, c, change{action: "rollback", tenant: tenant, module: module, version: to.Version, sha256: to.SHA256}, err)
}

func (a *API) deleteVersion(w http.ResponseWriter, r *http.Request, c caller) {
	tenant, module := r.PathValue("tenant"), r.PathValue("module")
	v, err := versionParam(r)
	switch {
	case err != nil:
	case a.opts.Store == nil:
		err = errNoStore
	default:
		// Under the deploy lock, so an activation of v cannot interleave.
		err = a.opts.Live.Change(tenant, func(*server.LoadedTenant) error { return a.opts.Store.Delete(tenant, module, v) })
	}
	a.audit(r, c, change{action: "delete", tenant: tenant, module: module, version: v}, err)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// answerChange audits a change to module and answers with the module.
func (a *API) answerChange(w http.ResponseWriter, r *http.Request, c caller, ch change, err error) {
	if err == nil && ch.sha256 == "" {
		if v, verr := a.opts.Store.Version(ch.tenant, ch.module, ch.version); verr == nil {
			ch.sha256 = v.SHA256
		}
	}
	a.audit(r, c, ch, err)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.showModule(w, r, c)
}
