// Command civetbox builds CivetWeb-style C handlers into sandboxed wasm
// modules and serves them.
//
//	civetbox build handler.c [more.c] -o handler.wasm
//	civetbox run [--listen 127.0.0.1:8080] [--mode fresh|pooled] handler.wasm
//	civetbox serve [--listen 127.0.0.1:8080]
//	civetbox deploy --tenant NAME [--route PREFIX] handler.wasm
//	civetbox modules ls|show|activate|rollback|rm|routes --tenant NAME ...
//	civetbox token
//	civetbox version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes.
const (
	exitOK    = 0
	exitError = 1 // the command failed: bad module, build error, listen error
	exitUsage = 2 // the command line is wrong
	// exitUnavailable: the admin API could not be reached or failed (5xx).
	exitUnavailable = 3
)

const usage = `usage: civetbox <command> [arguments]

commands:
  build    compile C handlers into a civetbox module
  run      serve one module
  serve    serve the bundled examples, or a configuration file (--config)
  check-config  validate a configuration file
  deploy   upload a module to a running server
  modules  list and manage a tenant's deployed modules
  token    make an admin API token and its hash
  version  print versions

Run "civetbox <command> -h" for a command's flags.
`

// run executes the command line args and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	cmds := map[string]func(context.Context, []string, io.Writer, io.Writer) int{
		"build":        cmdBuild,
		"check-config": cmdCheckConfig,
		"deploy":       cmdDeploy,
		"modules":      cmdModules,
		"run":          cmdRun,
		"serve":        cmdServe,
		"token":        cmdToken,
		"version":      cmdVersion,
	}
	cmd, ok := cmds[args[0]]
	switch {
	case ok:
		return cmd(ctx, args[1:], stdout, stderr)
	case args[0] == "help" || args[0] == "-h" || args[0] == "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "civetbox: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}

// parseArgs parses flags that may come before or after positional
// arguments ("civetbox build a.c -o a.wasm") and returns the positionals.
// Arguments after "--" are returned as extra.
func parseArgs(fs *flag.FlagSet, args []string) (positional, extra []string, err error) {
	if i := slices.Index(args, "--"); i >= 0 {
		args, extra = args[:i], args[i+1:]
	}
	for {
		if err := fs.Parse(args); err != nil {
			return nil, nil, err
		}
		if args = fs.Args(); len(args) == 0 {
			return positional, extra, nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// flagError reports a command-line error in the usual way.
func flagError(stderr io.Writer, fs *flag.FlagSet, err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	fmt.Fprintf(stderr, "civetbox %s: %v\n", fs.Name(), err)
	return exitUsage
}

func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}
