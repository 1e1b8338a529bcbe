package main

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/civetbox/civetbox/abi"
)

func cmdVersion(_ context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintf(stderr, "civetbox version: unexpected argument %q\n", args[0])
		return exitUsage
	}
	fmt.Fprintf(stdout, "civetbox %s\n", moduleVersion("github.com/civetbox/civetbox"))
	fmt.Fprintf(stdout, "ABI v%d (CivetWeb %s API)\n", abi.Version, "1.15")
	for _, name := range engineNames() {
		fmt.Fprintf(stdout, "engine %s %s\n", name, moduleVersion(enginePackages[name]))
	}
	return exitOK
}

// enginePackages maps engine names to the Go module that provides them.
var enginePackages = map[string]string{"wazero": "github.com/tetratelabs/wazero"}

// moduleVersion returns the version of a module linked into this binary.
func moduleVersion(path string) string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	if info.Main.Path == path {
		return info.Main.Version
	}
	for _, dep := range info.Deps {
		if dep.Path == path || strings.HasPrefix(path, dep.Path+"/") {
			return dep.Version
		}
	}
	return "(unknown)"
}
