package config

import (
	"maps"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Engine and mode names a tenant may choose.
var (
	Engines = []string{"wazero", "wasmtime"}
	Modes   = []string{"fresh", "pooled"}
)

// DefaultAdmin is the admin listener when the file names none.
const DefaultAdmin = "127.0.0.1:9090"

// validate checks c, fills defaults and resolves relative paths.
func (c *Config) validate() error {
	if err := c.validateListeners(); err != nil {
		return err
	}
	if err := checkLimits("limits", c.Limits.over(Defaults)); err != nil {
		return err
	}
	if err := c.validateLog(); err != nil {
		return err
	}
	if err := c.validateAdmin(); err != nil {
		return err
	}
	if len(c.Tenants) == 0 {
		return errorf("no [[tenant]]: nothing to serve")
	}
	claims := claims{names: map[string]bool{}, hosts: map[string]string{}, mounts: map[string]string{}}
	for i := range c.Tenants {
		if err := c.validateTenant(&c.Tenants[i], i, &claims); err != nil {
			return err
		}
	}
	if err := c.checkTokenOwners(); err != nil {
		return err
	}
	return c.checkUploadDirs()
}

func (c *Config) validateListeners() error {
	l := &c.Listen
	if len(l.HTTP) == 0 && len(l.HTTPS) == 0 {
		return errorf(`listen: no "http" or "https" address`)
	}
	for _, a := range l.HTTP {
		if err := checkAddress("listen.http", a); err != nil {
			return err
		}
	}
	for i := range l.HTTPS {
		s := &l.HTTPS[i]
		if err := checkAddress("listen.https", s.Address); err != nil {
			return err
		}
		if s.Cert == "" || s.Key == "" {
			return errorf("listen.https %q: needs both cert and key", s.Address)
		}
		s.Cert, s.Key = c.path(s.Cert), c.path(s.Key)
		for _, f := range []string{s.Cert, s.Key} {
			if err := checkFile("listen.https "+s.Address, f); err != nil {
				return err
			}
		}
	}
	if l.Admin == "" {
		l.Admin = DefaultAdmin
	}
	if l.Admin != "off" {
		return checkAddress("listen.admin", l.Admin)
	}
	return nil
}

func checkAddress(key, addr string) error {
	if _, port, err := net.SplitHostPort(addr); err != nil || port == "" {
		return errorf("%s %q is not host:port", key, addr)
	}
	return nil
}

func checkFile(what, path string) error {
	info, err := os.Stat(path)
	switch {
	case err != nil:
		return errorf("%s: %v", what, err)
	case info.IsDir():
		return errorf("%s: %s is a directory", what, path)
	}
	return nil
}

func checkDir(what, path string) error {
	info, err := os.Stat(path)
	switch {
	case err != nil:
		return errorf("%s: %v", what, err)
	case !info.IsDir():
		return errorf("%s: %s is not a directory", what, path)
	}
	return nil
}

// claims are what tenants validated so far took: names, host names and
// mounts, each only once.
type claims struct {
	names         map[string]bool
	hosts, mounts map[string]string // -> tenant
}

func (c *Config) validateTenant(t *Tenant, i int, cl *claims) error {
	if t.Name == "" {
		return errorf("tenant #%d has no name", i+1)
	}
	where := `tenant "` + t.Name + `"`
	if cl.names[t.Name] {
		return errorf("%s is defined twice", where)
	}
	cl.names[t.Name] = true
	if len(t.Hosts) == 0 && len(t.Mounts) == 0 {
		return errorf("%s has no hosts and no mounts: no request can reach it", where)
	}
	if err := claimHosts(where, t, cl); err != nil {
		return err
	}
	if err := claimMounts(where, t, cl); err != nil {
		return err
	}
	if err := checkChoices(where, t); err != nil {
		return err
	}
	if err := checkEnv(where, t.Env); err != nil {
		return err
	}
	if err := checkLimits(where+" limits", c.Effective(*t)); err != nil {
		return err
	}
	if err := checkTokenHashes(where, t.TokenSHA256); err != nil {
		return err
	}
	if len(t.Modules) == 0 && !c.Admin.Deploys() {
		return errorf("%s has no [[tenant.module]] (and admin.store is not set, so none can be deployed)", where)
	}
	for j := range t.Modules {
		if err := c.validateModule(where, &t.Modules[j]); err != nil {
			return err
		}
	}
	return nil
}

func claimHosts(where string, t *Tenant, cl *claims) error {
	for j, h := range t.Hosts {
		h = strings.ToLower(h)
		if h == "" || strings.ContainsAny(h, ":/ *") {
			return errorf("%s: host %q is not a host name (no port, scheme or wildcard)", where, t.Hosts[j])
		}
		if other, ok := cl.hosts[h]; ok {
			return errorf("%s: host %q is already tenant %q's", where, h, other)
		}
		cl.hosts[h] = t.Name
		t.Hosts[j] = h
	}
	return nil
}

func claimMounts(where string, t *Tenant, cl *claims) error {
	for j, m := range t.Mounts {
		m = strings.TrimSuffix(m, "/")
		if !strings.HasPrefix(m, "/") || strings.Contains(m, "//") || strings.ContainsAny(m, "?#%\\") {
			return errorf(`%s: mount %q must be a path like "/blog"`, where, t.Mounts[j])
		}
		for _, seg := range strings.Split(m[1:], "/") {
			if seg == "." || seg == ".." {
				return errorf("%s: mount %q has a dot segment", where, t.Mounts[j])
			}
		}
		if other, ok := cl.mounts[m]; ok {
			return errorf("%s: mount %q is already tenant %q's", where, t.Mounts[j], other)
		}
		cl.mounts[m] = t.Name
		t.Mounts[j] = m // "" for "/": the tenant takes every path
	}
	return nil
}

func checkChoices(where string, t *Tenant) error {
	if t.Engine == "" {
		t.Engine = Engines[0]
	}
	if t.Mode == "" {
		t.Mode = Modes[0]
	}
	switch {
	case !slices.Contains(Engines, t.Engine):
		return errorf("%s: engine %q is not one of %s", where, t.Engine, strings.Join(Engines, ", "))
	case !slices.Contains(Modes, t.Mode):
		return errorf("%s: mode %q is not one of %s", where, t.Mode, strings.Join(Modes, ", "))
	case t.PoolSize < 0:
		return errorf("%s: pool_size %d is negative", where, t.PoolSize)
	}
	return nil
}

// checkEnv refuses variables a guest could not see as written: a name that
// is empty or holds '=' would be split differently by getenv, and a NUL ends
// the C string early. Names are checked in order so the error is stable.
func checkEnv(where string, env map[string]string) error {
	for _, name := range slices.Sorted(maps.Keys(env)) {
		switch {
		case name == "" || strings.ContainsAny(name, "=\x00"):
			return errorf("%s: env name %q must be non-empty, without '=' or NUL", where, name)
		case strings.ContainsRune(env[name], 0):
			return errorf("%s: env.%s value contains NUL", where, name)
		}
	}
	return nil
}

func (c *Config) validateModule(where string, m *Module) error {
	if m.Path == "" {
		return errorf("%s: a module has no path", where)
	}
	m.Path = c.path(m.Path)
	if m.Name == "" {
		m.Name = filepath.Base(m.Path)
	}
	where += ` module "` + m.Name + `"`
	if err := checkFile(where, m.Path); err != nil {
		return err
	}
	for _, d := range []struct {
		key string
		dir *string
	}{{"document_root", &m.DocumentRoot}, {"upload_dir", &m.UploadDir}} {
		if *d.dir == "" {
			continue
		}
		*d.dir = c.path(*d.dir)
		if err := checkDir(where+" "+d.key, *d.dir); err != nil {
			return err
		}
	}
	return nil
}

// path resolves p against the file's directory.
func (c *Config) path(p string) string {
	if filepath.IsAbs(p) || c.Dir == "" {
		return p
	}
	return filepath.Join(c.Dir, p)
}
