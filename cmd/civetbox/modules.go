package main

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/civetbox/civetbox/deploy/api"
	"github.com/civetbox/civetbox/deploy/client"
)

const modulesUsage = `usage: civetbox modules <subcommand> [flags] --tenant NAME [arguments]

Lists and manages the modules deployed to a tenant through the admin API.

  ls                       the tenant's modules: active version, versions, source
  show MODULE [VERSION]    a module and its versions, or one version in full
  activate MODULE VERSION  serve VERSION of MODULE
  rollback MODULE          serve the version before the active one
  rm MODULE VERSION        delete a version that is not active
  routes                   the tenant's routes
` + adminHelp

// modulesCmd is one subcommand: its positional arguments and what it does
// with them.
type modulesCmd struct {
	min, max int
	run      func(ctx context.Context, c *client.Client, a *moduleArgs) (any, error)
}

// moduleArgs are a subcommand's parsed arguments.
type moduleArgs struct {
	sub     string // "ls", "show"...
	tenant  string
	module  string
	version int // 0 when not given
}

var modulesCmds = map[string]modulesCmd{
	"ls": {0, 0, func(ctx context.Context, c *client.Client, a *moduleArgs) (any, error) {
		list, err := c.Modules(ctx, a.tenant)
		return api.ModuleList{Modules: nonNil(list)}, err
	}},
	"show": {1, 2, func(ctx context.Context, c *client.Client, a *moduleArgs) (any, error) {
		if a.version == 0 {
			return c.Module(ctx, a.tenant, a.module)
		}
		return c.Version(ctx, a.tenant, a.module, a.version)
	}},
	"activate": {2, 2, func(ctx context.Context, c *client.Client, a *moduleArgs) (any, error) {
		return c.Activate(ctx, a.tenant, a.module, a.version)
	}},
	"rollback": {1, 1, func(ctx context.Context, c *client.Client, a *moduleArgs) (any, error) {
		return c.Rollback(ctx, a.tenant, a.module)
	}},
	"rm": {2, 2, func(ctx context.Context, c *client.Client, a *moduleArgs) (any, error) {
		return deleted{a.module, a.version}, c.Delete(ctx, a.tenant, a.module, a.version)
	}},
	"routes": {0, 0, func(ctx context.Context, c *client.Client, a *moduleArgs) (any, error) {
		routes, err := c.Routes(ctx, a.tenant)
		return api.RouteList{Routes: nonNil(routes)}, err
	}},
}

// deleted is what rm did; the API answers it with no body.
type deleted struct {
	Module  string `json:"module"`
	Version int    `json:"version"`
}

func cmdModules(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var f adminFlags
	fs := newFlagSet("modules", stderr)
	fs.Usage = func() { fmt.Fprint(stderr, modulesUsage); fs.PrintDefaults() }
	f.register(fs)
	pos, extra, err := parseArgs(fs, args) // flags may come before the subcommand too
	if err != nil {
		return flagError(stderr, fs, err)
	}
	if len(pos) == 0 {
		fmt.Fprint(stderr, modulesUsage)
		return exitUsage
	}
	sub, ok := modulesCmds[pos[0]]
	if !ok {
		fmt.Fprintf(stderr, "civetbox modules: unknown subcommand %q\n\n%s", pos[0], modulesUsage)
		return exitUsage
	}
	name := "civetbox modules " + pos[0]
	a, err := parseModuleArgs(sub, f.tenant, append(pos[1:], extra...))
	if err == nil {
		a.sub = pos[0]
	}
	var c *client.Client
	if err == nil {
		c, err = f.client()
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return exitUsage
	}
	answer, err := sub.run(ctx, c, a)
	if err != nil {
		return apiFailure(stderr, name, err)
	}
	if f.json {
		return printJSON(stdout, answer)
	}
	printAnswer(stdout, a, answer)
	return exitOK
}

func parseModuleArgs(sub modulesCmd, tenant string, pos []string) (*moduleArgs, error) {
	if len(pos) < sub.min || len(pos) > sub.max {
		return nil, fmt.Errorf("want %s, got %d", argCount(sub.min, sub.max), len(pos))
	}
	a := &moduleArgs{tenant: tenant}
	if len(pos) > 0 {
		a.module = pos[0]
	}
	if len(pos) > 1 {
		n, err := strconv.Atoi(pos[1])
		if err != nil || n < 1 {
			return nil, fmt.Errorf("version %q is not a number from 1 up", pos[1])
		}
		a.version = n
	}
	return a, nil
}

func argCount(min, max int) string {
	switch {
	case max == 0:
		return "no arguments"
	case min == max:
		return fmt.Sprintf("%d arguments", min)
	}
	return fmt.Sprintf("%d to %d arguments", min, max)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
