package main

import "fmt"

// outcome is one of issue 6's targets as measured in this run.
type outcome struct {
	Name  string  `json:"name"`
	Goal  string  `json:"goal"`
	Value float64 `json:"value"`
	Holds bool    `json:"holds"`
}

var civetboxServers = []string{"wazero pooled", "wazero fresh", "wasmtime pooled", "wasmtime fresh"}

// evaluate computes every target whose scenarios ran.
func evaluate(r *report) []outcome {
	var out []outcome
	add := func(name string, value float64, atLeast bool, goal float64, ok bool) {
		if !ok {
			return
		}
		o := outcome{Name: name, Value: value}
		if atLeast {
			o.Goal, o.Holds = fmtGoal("≥", goal), value >= goal
		} else {
			o.Goal, o.Holds = fmtGoal("≤", goal), value <= goal
		}
		out = append(out, o)
	}
	rps2 := func(scenarioA, a, scenarioB, b string) (float64, bool) {
		x, y := r.find(scenarioA, a), r.find(scenarioB, b)
		if x == nil || y == nil {
			return 0, false
		}
		return pairedRatio(x, y, func(r round) float64 { return r.RPS }), true
	}
	rps := func(scenario, a, b string) (float64, bool) { return rps2(scenario, a, scenario, b) }
	for _, t := range []struct {
		server string
		goal   float64
	}{{"wazero pooled", 0.90}, {"wazero fresh", 0.70}, {"wasmtime pooled", 0.80}} {
		v, ok := rps("hello-64", t.server, nativeGo)
		add("hello, "+t.server+" / native Go", v, true, t.goal, ok)
	}
	best, ok := bestCivetbox(r, "hello-64")
	if ok {
		v, ok := rps("hello-64", best, nativeCivetWeb)
		add("hello, civetbox best ("+best+") / native CivetWeb", v, true, 1.0, ok)
	}
	for _, s := range []string{"wazero pooled", "wasmtime pooled"} {
		v, ok := rps("echo-1MiB", s, nativeGo)
		add("1 MiB echo, "+s+" / native Go", v, true, 0.80, ok)
	}
	for _, s := range civetboxServers {
		// chatty and single ran on the same server process in the same
		// rounds, one right after the other.
		v, ok := rps2("chatty", s, "single", s)
		add("chatty / single, "+s, v, true, 0.85, ok)
	}
	for _, eng := range []string{"wazero", "wasmtime"} {
		// Time per request enforced / not enforced = req/s not / req/s enforced.
		v, ok := rps("sha256", eng+" pooled, no deadline", eng+" pooled")
		add("sha256, deadline enforced / not, "+eng+" pooled", v, false, 1.5, ok)
	}
	for _, s := range civetboxServers {
		if x := r.find("hello-64", s); x != nil && x.P99Ratio > 0 {
			add("p99 at 64 conn / native Go, "+s, x.P99Ratio, false, 1.5, true)
		}
	}
	return out
}

// bestCivetbox is the civetbox server with the most req/s in scenario.
func bestCivetbox(r *report, scenario string) (string, bool) {
	best, bestRPS := "", 0.0
	for _, s := range civetboxServers {
		if x := r.find(scenario, s); x != nil && x.RPS > bestRPS {
			best, bestRPS = s, x.RPS
		}
	}
	return best, best != ""
}

func fmtGoal(op string, v float64) string {
	return fmt.Sprintf("%s %.2f", op, v)
}
