// Command bench is civetbox's load benchmark: in one run it builds and
// starts a native Go net/http server, native CivetWeb running the same C
// handler files, and civetbox on each engine in pooled and fresh modes;
// drives each with wrk in alternating rounds; and prints a table of
// requests/s, p50/p99 latency and peak RSS, each also as a ratio to native
// Go. It writes results.json, results.md and results.svg to -out.
//
//	go run ./bench            # full run, a few minutes
//	go run ./bench -quick     # smoke test: one scenario, one short round
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

// options are the command's flags.
type options struct {
	rounds    int
	duration  time.Duration
	warmup    time.Duration
	threads   int
	scenarios string // comma-separated names, or "all"
	out       string
	quick     bool
	from      string // redraw from this results.json instead of measuring
}

func main() {
	o := parseFlags(os.Args[1:])
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	run := run
	if o.from != "" {
		run = redraw
	}
	if err := run(ctx, o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string) options {
	var o options
	fs := flag.NewFlagSet("bench", flag.ExitOnError)
	fs.IntVar(&o.rounds, "rounds", 7, "measured rounds per server and scenario (servers alternate within each round)")
	fs.DurationVar(&o.duration, "duration", time.Second, "length of one wrk round")
	fs.DurationVar(&o.warmup, "warmup", time.Second, "unmeasured wrk run per server before a scenario's rounds (fills pools, warms caches)")
	fs.IntVar(&o.threads, "threads", 2, "wrk threads (one per core on the 2-core reference machine)")
	fs.StringVar(&o.scenarios, "scenarios", "all", "comma-separated scenarios to run: "+strings.Join(scenarioNames(), ", "))
	fs.StringVar(&o.out, "out", "", "directory for results.json, results.md and results.svg (default: bench/ in the module; with -quick, a temporary directory)")
	fs.StringVar(&o.from, "from", "", "measure nothing: print and redraw the outputs from this results.json")
	fs.BoolVar(&o.quick, "quick", false, "smoke test: scenario hello-64, one 1s round, no warmup")
	_ = fs.Parse(args)
	if o.quick {
		o.rounds, o.duration, o.warmup, o.scenarios = 1, time.Second, 0, "hello-64"
	}
	return o
}

// run builds everything, measures the chosen scenarios and writes the report.
func run(ctx context.Context, o options, stdout io.Writer) error {
	scens, err := pickScenarios(o.scenarios)
	if err != nil {
		return err
	}
	if o.rounds < 1 || o.duration < time.Second || o.threads < 1 {
		return fmt.Errorf("need -rounds ≥ 1, -duration ≥ 1s (wrk's resolution) and -threads ≥ 1")
	}
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	if o.out, err = outDir(o, root); err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "civetbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	fmt.Fprintln(stdout, "building native Go, native CivetWeb and civetbox...")
	bins, err := build(ctx, root, work, scens)
	if err != nil {
		return err
	}
	rep := newReport(o)
	for _, sc := range scens {
		res, err := measureScenario(ctx, o, bins, work, sc, stdout)
		if err != nil {
			return fmt.Errorf("scenario %s: %w", sc.name, err)
		}
		rep.Results = append(rep.Results, res...)
	}
	rep.finish()
	rep.Machine.LoadEnd = firstLine("/proc/loadavg")
	printTable(stdout, rep)
	if err := rep.write(o.out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nwrote results.json, results.md and results.svg in %s\n", o.out)
	return nil
}

// outDir is where the results go: a smoke test must not overwrite the
// committed results in bench/.
func outDir(o options, root string) (string, error) {
	switch {
	case o.out != "":
		// Made now, so a minutes-long measurement cannot end unwritable.
		return o.out, os.MkdirAll(o.out, 0o755)
	case o.quick:
		return os.MkdirTemp("", "civetbench-quick-")
	}
	return filepath.Join(root, "bench"), nil
}

// redraw rewrites the outputs from a saved results.json, for changes to
// the table or chart without a new measurement.
func redraw(_ context.Context, o options, stdout io.Writer) error {
	b, err := os.ReadFile(o.from)
	if err != nil {
		return err
	}
	var rep report
	if err := json.Unmarshal(b, &rep); err != nil {
		return fmt.Errorf("%s: %w", o.from, err)
	}
	rep.Targets = evaluate(&rep)
	printTable(stdout, &rep)
	if o.out == "" {
		o.out = filepath.Dir(o.from)
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	return rep.write(o.out)
}

// moduleRoot is the directory of go.mod above the working directory, so
// the command runs from the module root (go run ./bench) or from bench/
// (go test).
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory: run from the civetbox module")
		}
		dir = parent
	}
}

// median of xs (the mean of the middle two for an even count).
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
