package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// wrk is the load generator: a C event loop with a fixed, tiny cost per
// request, so on two shared cores it takes the same share from every
// server, and it reports latency percentiles with --latency. A Go
// generator would compete with the Go servers for the same scheduler
// resources and add GC pauses to their latencies.

// round is one wrk run against one server.
type round struct {
	RPS      float64 `json:"rps"`
	P50ms    float64 `json:"p50_ms"`
	P99ms    float64 `json:"p99_ms"`
	Requests int64   `json:"requests"`
	Errors   int64   `json:"errors"` // socket errors and non-2xx/3xx answers
	PeakRSS  int64   `json:"peak_rss_bytes"`
}

// postScript makes wrk send the POST body; written once per run.
func postScript(work string, size int) (string, error) {
	path := filepath.Join(work, fmt.Sprintf("post-%d.lua", size))
	lua := fmt.Sprintf(`wrk.method = "POST"
wrk.body = string.rep("x", %d)
wrk.headers["Content-Type"] = "application/octet-stream"
`, size)
	return path, os.WriteFile(path, []byte(lua), 0o644)
}

// runWrk drives addr with sc's requests for d.
func runWrk(ctx context.Context, o options, work, addr string, sc scenario, d time.Duration) (round, error) {
	threads := min(o.threads, sc.conns)
	args := []string{"-t", strconv.Itoa(threads), "-c", strconv.Itoa(sc.conns),
		"-d", fmt.Sprintf("%ds", int(d.Round(time.Second)/time.Second)), "--latency", "--timeout", "10s"}
	if sc.bodySize > 0 {
		script, err := postScript(work, sc.bodySize)
		if err != nil {
			return round{}, err
		}
		args = append(args, "-s", script)
	}
	out, err := exec.CommandContext(ctx, "wrk", append(args, "http://"+addr+sc.path)...).CombinedOutput()
	if err != nil {
		return round{}, fmt.Errorf("wrk: %w\n%s", err, out)
	}
	return parseWrk(string(out))
}

var (
	rpsRE      = regexp.MustCompile(`Requests/sec:\s+([\d.]+)`)
	totalRE    = regexp.MustCompile(`(\d+) requests in`)
	pctRE      = regexp.MustCompile(`(?m)^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$`)
	socketRE   = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
	non2xxRE   = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
	unitMillis = map[string]float64{"us": 0.001, "ms": 1, "s": 1000, "m": 60000}
)

// parseWrk reads requests/s, the 50th and 99th latency percentiles and the
// error counts from wrk --latency's report.
func parseWrk(out string) (round, error) {
	var r round
	m := rpsRE.FindStringSubmatch(out)
	if m == nil {
		return r, fmt.Errorf("no Requests/sec in wrk's output:\n%s", out)
	}
	r.RPS, _ = strconv.ParseFloat(m[1], 64)
	if m := totalRE.FindStringSubmatch(out); m != nil {
		r.Requests, _ = strconv.ParseInt(m[1], 10, 64)
	}
	for _, m := range pctRE.FindAllStringSubmatch(out, -1) {
		v, _ := strconv.ParseFloat(m[2], 64)
		v *= unitMillis[m[3]]
		if m[1] == "50" {
			r.P50ms = v
		} else {
			r.P99ms = v
		}
	}
	if r.P50ms == 0 || r.P99ms == 0 {
		return r, fmt.Errorf("no 50%%/99%% latency in wrk's output (--latency):\n%s", out)
	}
	r.Errors = sumInts(socketRE.FindStringSubmatch(out)) + sumInts(non2xxRE.FindStringSubmatch(out))
	return r, nil
}

// sumInts adds a regexp match's numeric groups.
func sumInts(m []string) int64 {
	var n int64
	for _, s := range m[min(1, len(m)):] {
		v, _ := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		n += v
	}
	return n
}
