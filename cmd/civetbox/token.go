package main

import (
	"context"
	"fmt"
	"io"

	"github.com/civetbox/civetbox/deploy/token"
)

const tokenUsage = `usage: civetbox token [--json]

Makes a new admin API token and prints it with its SHA-256. The token goes
to whoever deploys ($CIVETBOX_TOKEN); only the hash goes into the server's
configuration, under [admin] for an operator token or under one [[tenant]]
for a token of that tenant only. --json prints {"token": ..., "sha256": ...}.
`

func cmdToken(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("token", stderr)
	fs.Usage = func() { fmt.Fprint(stderr, tokenUsage); fs.PrintDefaults() }
	asJSON := fs.Bool("json", false, "print JSON")
	pos, extra, err := parseArgs(fs, args)
	if err == nil && len(pos)+len(extra) > 0 {
		err = fmt.Errorf("unexpected argument %q", append(pos, extra...)[0])
	}
	if err != nil {
		return flagError(stderr, fs, err)
	}
	tok, hash := token.New()
	if *asJSON {
		return printJSON(stdout, struct {
			Token  string `json:"token"`
			SHA256 string `json:"sha256"`
		}{tok, hash})
	}
	fmt.Fprintf(stdout, "token:  %s\nsha256: %s\n\n", tok, hash)
	fmt.Fprintf(stdout, "client:  export CIVETBOX_TOKEN=%s\n", tok)
	fmt.Fprintf(stdout, "server:  token_sha256 = [%q] under [admin] (operator) or under a [[tenant]] (that tenant only)\n", hash)
	return exitOK
}
