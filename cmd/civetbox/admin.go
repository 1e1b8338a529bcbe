package main

import (
	"cmp"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/civetbox/civetbox/deploy/client"
)

// Environment variables of the admin API commands.
const (
	envToken = "CIVETBOX_TOKEN"
	envAdmin = "CIVETBOX_ADMIN"
)

// defaultAdminURL is config.DefaultAdmin as a URL.
const defaultAdminURL = "http://127.0.0.1:9090"

// adminHelp ends the usage of every command that calls the admin API.
const adminHelp = `
The token comes from $CIVETBOX_TOKEN, or --token; prefer the variable: a
command line is visible to other users in ps. The admin API is at --admin,
else $CIVETBOX_ADMIN, else ` + defaultAdminURL + `.

Exit codes: 0 done; 1 the server refused (4xx: bad token, no such module,
module rejected...); 2 wrong command line or unreadable file; 3 the server
could not be reached or failed (connection refused, TLS error, timeout, 5xx).

Flags:
`

// adminFlags are the flags of the commands that call the admin API.
type adminFlags struct {
	admin   string
	token   string
	cacert  string
	tenant  string
	timeout time.Duration
	json    bool
}

// register adds the flags to fs. Defaults that come from the environment
// are resolved after parsing, so -h never prints a token.
func (a *adminFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&a.admin, "admin", "", "admin API URL (default $"+envAdmin+" or "+defaultAdminURL+")")
	fs.StringVar(&a.token, "token", "", "bearer token (default $"+envToken+", which is safer)")
	fs.StringVar(&a.cacert, "cacert", "", "PEM file of the CA that signed the admin listener's certificate")
	fs.StringVar(&a.tenant, "tenant", "", "tenant `NAME` (required)")
	fs.DurationVar(&a.timeout, "timeout", client.DefaultTimeout, "give up on a request after this long")
	fs.BoolVar(&a.json, "json", false, "print the API's JSON answer")
}

// client checks the flags and returns a client of the admin API.
func (a *adminFlags) client() (*client.Client, error) {
	if a.tenant == "" {
		return nil, errors.New("--tenant is required")
	}
	if a.timeout <= 0 {
		return nil, fmt.Errorf("--timeout %v is not positive", a.timeout)
	}
	token := cmp.Or(a.token, os.Getenv(envToken))
	if token == "" {
		return nil, errors.New("no token: set $" + envToken + " (make one with `civetbox token`)")
	}
	url := cmp.Or(a.admin, os.Getenv(envAdmin), defaultAdminURL)
	return client.New(url, token, client.WithCAFile(a.cacert), client.WithTimeout(a.timeout))
}

// apiFailure reports err of an admin API call after prefix ("civetbox
// deploy") and returns the exit code: a refusal is the caller's to fix
// (exitError), a failing or unreachable server is not (exitUnavailable).
func apiFailure(stderr io.Writer, prefix string, err error) int {
	if e, ok := errors.AsType[*client.Error](err); ok {
		code := fmt.Sprint(e.Status)
		if e.Code != "" {
			code += " " + e.Code
		}
		if e.Status >= 500 {
			fmt.Fprintf(stderr, "%s: server error (%s): %s\n", prefix, code, e.Message)
			return exitUnavailable
		}
		fmt.Fprintf(stderr, "%s: refused (%s): %s\n", prefix, code, e.Message)
		return exitError
	}
	if e, ok := errors.AsType[*client.TransportError](err); ok {
		fmt.Fprintf(stderr, "%s: cannot talk to the admin API (%s %s): %v\n", prefix, e.Method, e.URL, e.Err)
		return exitUnavailable
	}
	fmt.Fprintf(stderr, "%s: %v\n", prefix, err) // a name the client refused to send
	return exitUsage
}

// printJSON writes v as indented JSON.
func printJSON(w io.Writer, v any) int {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
	return exitOK
}

// formatSize is n bytes for people: "18.2 KiB".
func formatSize(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	case n < 1<<30:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
}
