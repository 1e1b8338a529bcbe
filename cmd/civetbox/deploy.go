package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/civetbox/civetbox/deploy/api"
	"github.com/civetbox/civetbox/deploy/client"
)

const deployUsage = `usage: civetbox deploy [flags] --tenant NAME handler.wasm

Uploads handler.wasm to a running server's admin API as a new version of
module --name (default: the file name without .wasm), makes it the served
version unless --no-activate, then routes each --route PREFIX (on --host,
if given) to the module.

  CIVETBOX_TOKEN=cbx_... civetbox deploy --tenant blog --route /api hello.wasm
` + adminHelp

// deployFlags are deploy's own flags.
type deployFlags struct {
	adminFlags
	name       string
	routes     stringList
	host       string
	noActivate bool
}

// stringList is a flag that may be given more than once.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, " ") }
func (l *stringList) Set(s string) error { *l = append(*l, s); return nil }

func cmdDeploy(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var f deployFlags
	fs := newFlagSet("deploy", stderr)
	fs.Usage = func() { fmt.Fprint(stderr, deployUsage); fs.PrintDefaults() }
	f.register(fs)
	fs.StringVar(&f.name, "name", "", "module `NAME` (default: the file name without .wasm)")
	fs.Var(&f.routes, "route", "route `PREFIX` to the module (repeatable)")
	fs.StringVar(&f.host, "host", "", "`HOST` the routes are for (default: any of the tenant's)")
	fs.BoolVar(&f.noActivate, "no-activate", false, "upload only; keep serving the active version")
	files, extra, err := parseArgs(fs, args)
	if err == nil {
		err = checkDeployArgs(&f, files, extra)
	}
	if err != nil {
		return flagError(stderr, fs, err)
	}
	size, err := moduleSize(files[0])
	if err != nil {
		fmt.Fprintf(stderr, "civetbox deploy: %v\n", err)
		return exitUsage
	}
	c, err := f.client()
	if err != nil {
		fmt.Fprintf(stderr, "civetbox deploy: %v\n", err)
		return exitUsage
	}
	return deploy(ctx, c, &f, files[0], size, stdout, stderr)
}

func checkDeployArgs(f *deployFlags, files, extra []string) error {
	switch {
	case len(files) != 1 || len(extra) > 0:
		return fmt.Errorf("want exactly one module, got %d", len(files)+len(extra))
	case f.host != "" && len(f.routes) == 0:
		return errors.New("--host needs a --route")
	}
	if f.name == "" {
		f.name = strings.TrimSuffix(filepath.Base(files[0]), ".wasm")
	}
	return nil
}

// moduleSize checks that path is a non-empty regular file before anything
// is sent.
func moduleSize(path string) (int64, error) {
	fi, err := os.Stat(path)
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		err = pe.Err
	}
	switch {
	case err != nil:
		return 0, fmt.Errorf("module file %q: %w", path, err)
	case !fi.Mode().IsRegular():
		return 0, fmt.Errorf("module file %q is not a regular file", path)
	case fi.Size() == 0:
		return 0, fmt.Errorf("module file %q is empty", path)
	}
	return fi.Size(), nil
}

// deploy uploads, binds the routes and says what it did.
func deploy(ctx context.Context, c *client.Client, f *deployFlags, path string, size int64, stdout, stderr io.Writer) int {
	file, err := os.Open(path)
	if err != nil {
		fmt.Fprintf(stderr, "civetbox deploy: %v\n", err)
		return exitError
	}
	defer file.Close()
	progress := newProgress(stderr, filepath.Base(path), size)
	v, err := c.Upload(ctx, f.tenant, f.name, file, size, !f.noActivate, progress.callback())
	progress.end()
	if err != nil {
		return apiFailure(stderr, "civetbox deploy", err)
	}
	for _, prefix := range f.routes {
		r := api.Route{Host: f.host, Prefix: prefix, Module: f.name}
		if _, err := c.Bind(ctx, f.tenant, r); err != nil {
			what := fmt.Sprintf("civetbox deploy: uploaded %s/%s version %d, but route %s", f.tenant, f.name, v.Version, f.host+prefix)
			return apiFailure(stderr, what, err)
		}
	}
	if f.json {
		return printJSON(stdout, v)
	}
	fmt.Fprintln(stdout, deployVerdict(f, v))
	return exitOK
}

// deployVerdict is the one line deploy prints:
// "deployed blog/hello version 3 (sha256 ab12…, 18.2 KiB), active; routes: /api".
func deployVerdict(f *deployFlags, v api.Version) string {
	verb, state := "deployed", "active"
	if !v.Active {
		verb, state = "uploaded", "not active"
	}
	line := fmt.Sprintf("%s %s/%s version %d (sha256 %s, %s), %s", verb, f.tenant, f.name, v.Version,
		shortHash(v.SHA256), formatSize(v.Size), state)
	if len(f.routes) > 0 {
		line += "; routes: " + f.host + strings.Join(f.routes, " "+f.host)
	}
	return line
}

// shortHash is enough of a sha256 to tell versions apart.
func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12] + "…"
	}
	return h
}
