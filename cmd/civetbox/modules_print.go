package main

import (
	"cmp"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/civetbox/civetbox/deploy/api"
)

// printAnswer prints a modules subcommand's answer for people.
func printAnswer(w io.Writer, a *moduleArgs, answer any) {
	switch v := answer.(type) {
	case api.ModuleList:
		printModuleList(w, v.Modules)
	case api.Module:
		printModuleChange(w, a, v)
	case api.Version:
		printVersion(w, a.tenant+"/"+a.module, v)
	case api.RouteList:
		printRoutes(w, v.Routes)
	case deleted:
		fmt.Fprintf(w, "deleted %s/%s version %d\n", a.tenant, v.Module, v.Version)
	}
}

func printModuleList(w io.Writer, modules []api.Module) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "MODULE\tACTIVE\tVERSIONS\tSOURCE")
	for _, m := range modules {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", m.Name, activeVersion(m.Active), len(m.Versions), m.Source)
	}
	_ = tw.Flush()
}

// printModuleChange prints the module show asked for, or what activate and
// rollback did to it.
func printModuleChange(w io.Writer, a *moduleArgs, m api.Module) {
	switch a.sub {
	case "activate":
		fmt.Fprintf(w, "activated %s/%s version %d\n", a.tenant, m.Name, m.Active)
	case "rollback":
		fmt.Fprintf(w, "rolled back %s/%s to version %d\n", a.tenant, m.Name, m.Active)
	default:
		printModule(w, a.tenant, m)
	}
}

func printModule(w io.Writer, tenant string, m api.Module) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "module\t%s/%s (%s)\n", tenant, m.Name, m.Source)
	fmt.Fprintf(tw, "active\t%s\n", activeVersion(m.Active))
	if len(m.Routes) > 0 {
		fmt.Fprintf(tw, "routes\t%s\n", strings.Join(m.Routes, " "))
	}
	_ = tw.Flush()
	if len(m.Versions) == 0 {
		return
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "VERSION\tSHA256\tSIZE\tUPLOADED\tBY\tACTIVE")
	for _, v := range m.Versions {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", v.Version, shortHash(v.SHA256), formatSize(v.Size),
			formatTime(v.UploadedAt), v.UploadedBy, yes(v.Active))
	}
	_ = tw.Flush()
}

func printVersion(w io.Writer, module string, v api.Version) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "module\t%s\n", module)
	fmt.Fprintf(tw, "version\t%d\n", v.Version)
	fmt.Fprintf(tw, "active\t%s\n", yes(v.Active))
	fmt.Fprintf(tw, "sha256\t%s\n", v.SHA256)
	fmt.Fprintf(tw, "size\t%s (%d bytes)\n", formatSize(v.Size), v.Size)
	fmt.Fprintf(tw, "abi version\t%d\n", v.ABIVersion)
	fmt.Fprintf(tw, "exports\t%s\n", strings.Join(v.Exports, " "))
	fmt.Fprintf(tw, "imports\t%s\n", strings.Join(v.Imports, " "))
	fmt.Fprintf(tw, "uploaded\t%s by %s\n", formatTime(v.UploadedAt), v.UploadedBy)
	_ = tw.Flush()
}

func printRoutes(w io.Writer, routes []api.Route) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "HOST\tPREFIX\tMODULE\tSOURCE")
	for _, r := range routes {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", cmp.Or(r.Host, "*"), r.Prefix, r.Module, r.Source)
	}
	_ = tw.Flush()
}

func activeVersion(n int) string {
	if n == 0 {
		return "-"
	}
	return fmt.Sprint(n)
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.DateTime + "Z")
}
