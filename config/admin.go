package config

import (
	"path/filepath"
	"strings"
	"time"

	"github.com/civetbox/civetbox/deploy/token"
)

// Admin configures the admin API (on listen.admin): where deployed modules
// are kept, who may deploy them, and what an upload may be.
type Admin struct {
	// Store is the directory of deployed modules; "" turns deploys off.
	Store string `toml:"store"`
	// TokenSHA256 are the operator's tokens (hex SHA-256, from `civetbox
	// token`). An operator token may change every tenant.
	TokenSHA256 []string `toml:"token_sha256"`
	// MaxModuleMiB bounds an uploaded module; larger ones get 413.
	MaxModuleMiB int `toml:"max_module_mib"`
	// CompileTimeout bounds the compilation of an upload.
	CompileTimeout Duration `toml:"compile_timeout"`
	// CompileWorkers is how many uploads compile at once; more wait.
	CompileWorkers int `toml:"compile_workers"`
	// Cert and Key make the admin listener serve HTTPS.
	Cert string `toml:"cert"`
	Key  string `toml:"key"`
	// Audit is where a JSON line per change goes: "stderr" (default),
	// "stdout", or a file, appended to.
	Audit string `toml:"audit"`
}

// Admin defaults.
const (
	DefaultMaxModuleMiB   = 32
	DefaultCompileTimeout = 30 * time.Second
	DefaultCompileWorkers = 1
	AuditStderr           = "stderr"
	AuditStdout           = "stdout"
)

// Deploys reports whether modules may be deployed through the admin API.
func (a Admin) Deploys() bool { return a.Store != "" }

func (c *Config) validateAdmin() error {
	a := &c.Admin
	if err := a.fillDefaults(); err != nil {
		return err
	}
	if err := checkTokenHashes("admin", a.TokenSHA256); err != nil {
		return err
	}
	if (a.Cert == "") != (a.Key == "") {
		return errorf("admin: needs both cert and key for TLS, or neither")
	}
	if a.Cert != "" {
		a.Cert, a.Key = c.path(a.Cert), c.path(a.Key)
		for _, f := range []string{a.Cert, a.Key} {
			if err := checkFile("admin", f); err != nil {
				return err
			}
		}
	}
	if a.Store != "" {
		a.Store = c.path(a.Store)
		if err := checkDir("admin.store (its parent)", filepath.Dir(a.Store)); err != nil {
			return err
		}
	}
	switch a.Audit {
	case AuditStderr, AuditStdout:
	default:
		a.Audit = c.path(a.Audit)
		return checkDir("admin.audit", filepath.Dir(a.Audit))
	}
	return nil
}

func (a *Admin) fillDefaults() error {
	switch {
	case a.MaxModuleMiB < 0 || a.MaxModuleMiB > 1024:
		return errorf("admin: max_module_mib %d is outside 1-1024", a.MaxModuleMiB)
	case a.CompileTimeout.Duration < 0:
		return errorf("admin: compile_timeout %s is negative", a.CompileTimeout)
	case a.CompileWorkers < 0:
		return errorf("admin: compile_workers %d is negative", a.CompileWorkers)
	}
	if a.MaxModuleMiB == 0 {
		a.MaxModuleMiB = DefaultMaxModuleMiB
	}
	if a.CompileTimeout.Duration == 0 {
		a.CompileTimeout.Duration = DefaultCompileTimeout
	}
	if a.CompileWorkers == 0 {
		a.CompileWorkers = DefaultCompileWorkers
	}
	if a.Audit == "" {
		a.Audit = AuditStderr
	}
	return nil
}

func checkTokenHashes(where string, hashes []string) error {
	for _, h := range hashes {
		if err := token.CheckHash(h); err != nil {
			return errorf("%s: token_sha256: %v", where, err)
		}
	}
	return nil
}

// checkUploadDirs refuses an upload directory that overlaps the module
// store: a tenant's guest could otherwise write the modules the server
// runs.
func (c *Config) checkUploadDirs() error {
	if c.Admin.Store == "" {
		return nil
	}
	return c.GuestsCannotWrite("admin.store", c.Admin.Store)
}

// GuestsCannotWrite refuses a directory (what names it) that overlaps a
// module's upload_dir, the only place a guest may write.
func (c *Config) GuestsCannotWrite(what, dir string) error {
	for _, t := range c.Tenants {
		for _, m := range t.Modules {
			if m.UploadDir != "" && overlaps(m.UploadDir, dir) {
				return errorf(`tenant %q module %q: upload_dir %s overlaps %s %s; guests must not write it`,
					t.Name, m.Name, m.UploadDir, what, dir)
			}
		}
	}
	return nil
}

// overlaps reports whether dir is root, below it, or above it.
func overlaps(dir, root string) bool {
	dir, root = filepath.Clean(dir), filepath.Clean(root)
	sep := string(filepath.Separator)
	return dir == root || strings.HasPrefix(dir, root+sep) || strings.HasPrefix(root, dir+sep)
}

// checkTokenOwners refuses a token hash given to two owners: the API could
// not tell whose token it is.
func (c *Config) checkTokenOwners() error {
	owner := map[string]string{}
	claim := func(who string, hashes []string) error {
		for _, h := range hashes {
			if other, ok := owner[h]; ok && other != who {
				return errorf("token_sha256 %s… is given to both %s and %s", h[:12], other, who)
			}
			owner[h] = who
		}
		return nil
	}
	if err := claim("[admin]", c.Admin.TokenSHA256); err != nil {
		return err
	}
	for _, t := range c.Tenants {
		if err := claim(`tenant "`+t.Name+`"`, t.TokenSHA256); err != nil {
			return err
		}
	}
	return nil
}
