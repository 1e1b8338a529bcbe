package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	csdk "github.com/civetbox/civetbox/guests/c"
)

const buildUsage = `usage: civetbox build handler.c [more.c ...] [-o handler.wasm] [-- clang flags]

Compiles CivetWeb-style C handlers with the civetbox SDK (civetweb.h and its
library are built into this binary) into a wasm module for "civetbox run".
Needs clang, wasm-ld and wasi-libc; on Debian:
  apt-get install ` + csdk.DebianPackages + `
`

func cmdBuild(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("build", stderr)
	fs.Usage = func() { fmt.Fprint(stderr, buildUsage); fs.PrintDefaults() }
	out := fs.String("o", "", "output module (default: the first source with .wasm)")
	sources, extra, err := parseArgs(fs, args)
	if err != nil {
		return flagError(stderr, fs, err)
	}
	if len(sources) == 0 {
		fmt.Fprint(stderr, "civetbox build: no C sources given\n\n", buildUsage)
		return exitUsage
	}
	if *out == "" {
		*out = strings.TrimSuffix(sources[0], filepath.Ext(sources[0])) + ".wasm"
	}
	tc, err := csdk.FindToolchain()
	if err != nil {
		fmt.Fprintf(stderr, "civetbox build: %v\n", err)
		return exitError
	}
	if err := tc.Build(ctx, *out, sources, extra...); err != nil {
		fmt.Fprintf(stderr, "civetbox build: %v\n", err)
		return exitError
	}
	fmt.Fprintf(stdout, "built %s\n", *out)
	return exitOK
}
