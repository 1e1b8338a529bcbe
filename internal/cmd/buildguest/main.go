// Command buildguest builds one committed guest module for go:generate:
//
//	go run ./internal/cmd/buildguest [-bare] -o out.wasm source.c [more.c]
//
// It does what "civetbox build" does, but without linking the civetbox
// binary, which embeds the example modules and so cannot be built before
// they exist.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	csdk "github.com/civetbox/civetbox/guests/c"
)

func main() {
	out := flag.String("o", "", "output module")
	bare := flag.Bool("bare", false, "link without the SDK library (test guests that break the ABI)")
	flag.Parse()
	if *out == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: buildguest -o out.wasm source.c [more.c]")
		os.Exit(2)
	}
	tc, err := csdk.FindToolchain()
	if err == nil {
		build := tc.Build
		if *bare {
			build = tc.BuildBare
		}
		err = build(context.Background(), *out, flag.Args())
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "buildguest:", err)
		os.Exit(1)
	}
}
