package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"
)

// result is one server in one scenario: its rounds and their medians.
type result struct {
	Scenario string  `json:"scenario"`
	Server   string  `json:"server"`
	Conns    int     `json:"connections"`
	Rounds   []round `json:"rounds"`
	RPS      float64 `json:"rps"`    // median over rounds
	P50ms    float64 `json:"p50_ms"` // median over rounds
	P99ms    float64 `json:"p99_ms"` // median over rounds
	PeakRSS  int64   `json:"peak_rss_bytes"`
	Errors   int64   `json:"errors"` // over all rounds
	// Ratios to native Go in the same scenario: medians of the per-round
	// ratios (see pairedRatio), so not always RPS / native Go's RPS.
	RPSRatio float64 `json:"rps_ratio"`
	P50Ratio float64 `json:"p50_ratio"`
	P99Ratio float64 `json:"p99_ratio"`
	RSSRatio float64 `json:"rss_ratio"`
}

// report is what results.json holds.
type report struct {
	Date     string    `json:"date"`
	Machine  machine   `json:"machine"`
	Settings settings  `json:"settings"`
	Results  []result  `json:"results"`
	Targets  []outcome `json:"targets"`
}

type machine struct {
	CPUs      int    `json:"cpus"`
	CPU       string `json:"cpu"`
	Go        string `json:"go"`
	Wrk       string `json:"wrk"`
	LoadStart string `json:"loadavg_at_start"` // other work on the machine
	LoadEnd   string `json:"loadavg_at_end"`
}

type settings struct {
	Rounds   int    `json:"rounds"`
	Duration string `json:"round_duration"`
	Warmup   string `json:"warmup"`
	Threads  int    `json:"wrk_threads"`
}

func newReport(o options) *report {
	return &report{
		Date: time.Now().UTC().Format(time.RFC3339),
		Machine: machine{CPUs: runtime.NumCPU(), CPU: cpuModel(), Go: runtime.Version(), Wrk: wrkVersion(),
			LoadStart: firstLine("/proc/loadavg")},
		Settings: settings{Rounds: o.rounds, Duration: o.duration.String(), Warmup: o.warmup.String(), Threads: o.threads},
	}
}

// finish takes the medians, the ratios to native Go and the targets.
func (r *report) finish() {
	for i := range r.Results {
		r.Results[i].summarize()
	}
	for i := range r.Results {
		res := &r.Results[i]
		ref := r.find(res.Scenario, nativeGo)
		if ref == nil {
			continue
		}
		res.RPSRatio = pairedRatio(res, ref, func(r round) float64 { return r.RPS })
		res.P50Ratio = pairedRatio(res, ref, func(r round) float64 { return r.P50ms })
		res.P99Ratio = pairedRatio(res, ref, func(r round) float64 { return r.P99ms })
		res.RSSRatio = ratio(float64(res.PeakRSS), float64(ref.PeakRSS))
	}
	r.Targets = evaluate(r)
}

func (res *result) summarize() {
	var rps, p50, p99 []float64
	for _, rd := range res.Rounds {
		rps, p50, p99 = append(rps, rd.RPS), append(p50, rd.P50ms), append(p99, rd.P99ms)
		res.PeakRSS = max(res.PeakRSS, rd.PeakRSS)
		res.Errors += rd.Errors
	}
	res.RPS, res.P50ms, res.P99ms = median(rps), median(p50), median(p99)
}

func (r *report) find(scenario, server string) *result {
	for i := range r.Results {
		if r.Results[i].Scenario == scenario && r.Results[i].Server == server {
			return &r.Results[i]
		}
	}
	return nil
}

// pairedRatio is the median over rounds of a's value / b's value in the
// same round. Round i of every server in a scenario ran within seconds of
// each other, so the machine's drift (other work on a shared machine
// moves req/s by ±50% here) cancels in each round's ratio; the ratio of
// medians would keep it.
func pairedRatio(a, b *result, f func(round) float64) float64 {
	return median(pairedRatios(a, b, f))
}

// pairedRatios are a's value / b's value in each round.
func pairedRatios(a, b *result, f func(round) float64) []float64 {
	n := min(len(a.Rounds), len(b.Rounds))
	rs := make([]float64, n)
	for i := range n {
		rs[i] = ratio(f(a.Rounds[i]), f(b.Rounds[i]))
	}
	return rs
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// printTable writes one table per scenario, then the targets.
func printTable(w io.Writer, r *report) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	scenario := ""
	for _, res := range r.Results {
		if res.Scenario != scenario {
			scenario = res.Scenario
			fmt.Fprintf(tw, "\n%s (%d conn)\treq/s\t×Go\tp50 ms\t×Go\tp99 ms\t×Go\tpeak RSS MiB\t×Go\terrors\t\n", scenario, res.Conns)
		}
		fmt.Fprintf(tw, "%s\t%.0f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.1f\t%.2f\t%d\t\n", res.Server, res.RPS, res.RPSRatio,
			res.P50ms, res.P50Ratio, res.P99ms, res.P99Ratio, mib(res.PeakRSS), res.RSSRatio, res.Errors)
	}
	tw.Flush()
	fmt.Fprintln(w, "\nissue 6 targets (median of the per-round ratios, and its confidence interval):")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, t := range r.Targets {
		fmt.Fprintf(tw, "  %s\t%s\t%.2f\t%s\t%s\n", t.Name, t.Goal, t.Value, t.interval, t.Verdict)
	}
	tw.Flush()
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

// write saves results.json, results.md and results.svg in dir.
func (r *report) write(dir string) error {
	js, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	files := map[string][]byte{"results.json": append(js, '\n'), "results.md": []byte(markdown(r)), "results.svg": chart(r)}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// markdown is the README's form: one server × scenario table per measure,
// then the targets.
func markdown(r *report) string {
	servers, groups := chartLayout(r)
	var b strings.Builder
	pivot(&b, "req/s ÷ native Go", servers, groups, func(x result) string { return fmt.Sprintf("%.2f", x.RPSRatio) })
	pivot(&b, "req/s", servers, groups, func(x result) string { return fmt.Sprintf("%.0f", x.RPS) })
	pivot(&b, "p99 ÷ native Go", servers, groups, func(x result) string { return fmt.Sprintf("%.2f", x.P99Ratio) })
	pivot(&b, "p50 / p99 ms", servers, groups, func(x result) string { return fmt.Sprintf("%.1f / %.1f", x.P50ms, x.P99ms) })
	pivot(&b, "peak RSS MiB", servers, groups, func(x result) string { return fmt.Sprintf("%.0f", mib(x.PeakRSS)) })
	fmt.Fprintf(&b, "| issue 6 target | goal | median | interval | verdict |\n|---|---|---:|---|---|\n")
	for _, t := range r.Targets {
		fmt.Fprintf(&b, "| %s | %s | %.2f | %s | %s |\n", t.Name, t.Goal, t.Value, t.interval, t.Verdict)
	}
	return b.String()
}

// pivot writes one table: a row per server, a column per scenario.
func pivot(b *strings.Builder, title string, servers []string, groups [][]result, cell func(result) string) {
	fmt.Fprintf(b, "| %s |", title)
	for _, g := range groups {
		fmt.Fprintf(b, " %s |", g[0].Scenario)
	}
	fmt.Fprintf(b, "\n|---|%s\n", strings.Repeat("---:|", len(groups)))
	for _, s := range servers {
		fmt.Fprintf(b, "| %s |", s)
		for _, g := range groups {
			v := ""
			for _, x := range g {
				if x.Server == s {
					v = cell(x)
				}
			}
			fmt.Fprintf(b, " %s |", v)
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
}

func cpuModel() string {
	b, _ := os.ReadFile("/proc/cpuinfo")
	for line := range strings.Lines(string(b)) {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func wrkVersion() string {
	out, _ := exec.Command("wrk", "-v").CombinedOutput()
	return strings.TrimSpace(strings.SplitN(string(out), "\n", 2)[0])
}

func firstLine(path string) string {
	b, _ := os.ReadFile(path)
	return strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0])
}
