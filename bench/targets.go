package main

import "fmt"

// outcome is one of issue 6's targets as measured in this run: the median
// of its per-round ratios and that median's confidence interval.
type outcome struct {
	Name  string  `json:"name"`
	Goal  string  `json:"goal"`
	Value float64 `json:"value"`
	Holds bool    `json:"holds"` // the median meets the goal
	interval
	// Verdict is "holds" or "MISSED" when the whole interval is on one
	// side of the goal, else "holds, within noise" or "missed, within
	// noise": another run could well say the opposite.
	Verdict string `json:"verdict"`
}

// judge sets o's verdict on goal from its median and interval.
func (o *outcome) judge(atLeast bool, goal float64) {
	meets := func(v float64) bool { return v >= goal }
	if !atLeast {
		meets = func(v float64) bool { return v <= goal }
	}
	o.Holds = meets(o.Value)
	switch low, high := meets(o.Low), meets(o.High); {
	case low && high:
		o.Verdict = "holds"
	case !low && !high:
		o.Verdict = "MISSED"
	case o.Holds:
		o.Verdict = "holds, within noise"
	default:
		o.Verdict = "missed, within noise"
	}
}

var civetboxServers = []string{"wazero pooled", "wazero fresh", "wasmtime pooled", "wasmtime fresh"}

// evaluate computes every target whose scenarios ran.
func evaluate(r *report) []outcome {
	var out []outcome
	add := func(name string, ratios []float64, atLeast bool, goal float64) {
		if len(ratios) == 0 {
			return // a scenario it needs did not run
		}
		op := "≤"
		if atLeast {
			op = "≥"
		}
		o := outcome{Name: name, Goal: fmtGoal(op, goal), Value: median(ratios), interval: medianInterval(ratios)}
		o.judge(atLeast, goal)
		out = append(out, o)
	}
	paired := func(scenarioA, a, scenarioB, b string, f func(round) float64) []float64 {
		x, y := r.find(scenarioA, a), r.find(scenarioB, b)
		if x == nil || y == nil {
			return nil
		}
		return pairedRatios(x, y, f)
	}
	rpsOf := func(r round) float64 { return r.RPS }
	rps := func(scenario, a, b string) []float64 { return paired(scenario, a, scenario, b, rpsOf) }
	for _, t := range []struct {
		server string
		goal   float64
	}{{"wazero pooled", 0.90}, {"wazero fresh", 0.70}, {"wasmtime pooled", 0.80}} {
		add("hello, "+t.server+" / native Go", rps("hello-64", t.server, nativeGo), true, t.goal)
	}
	if best, ok := bestCivetbox(r, "hello-64"); ok {
		add("hello, civetbox best ("+best+") / native CivetWeb", rps("hello-64", best, nativeCivetWeb), true, 1.0)
	}
	for _, s := range []string{"wazero pooled", "wasmtime pooled"} {
		add("1 MiB echo, "+s+" / native Go", rps("echo-1MiB", s, nativeGo), true, 0.80)
	}
	for _, s := range civetboxServers {
		// chatty and single ran on the same server process in the same
		// rounds, one right after the other.
		add("chatty / single, "+s, paired("chatty", s, "single", s, rpsOf), true, 0.85)
	}
	for _, eng := range []string{"wazero", "wasmtime"} {
		// Time per request enforced / not enforced = req/s not / req/s enforced.
		add("sha256, deadline enforced / not, "+eng+" pooled", rps("sha256", eng+" pooled, no deadline", eng+" pooled"), false, 1.5)
	}
	for _, s := range civetboxServers {
		p99 := paired("hello-64", s, "hello-64", nativeGo, func(r round) float64 { return r.P99ms })
		add("p99 at 64 conn / native Go, "+s, p99, false, 1.5)
	}
	return out
}

// bestCivetbox is the civetbox server with the highest req/s ratio to
// native Go in scenario: paired by round, like every ratio here, so that
// drift between rounds does not pick the mode.
func bestCivetbox(r *report, scenario string) (string, bool) {
	best, bestRatio := "", 0.0
	for _, s := range civetboxServers {
		if x := r.find(scenario, s); x != nil && x.RPSRatio > bestRatio {
			best, bestRatio = s, x.RPSRatio
		}
	}
	return best, best != ""
}

func fmtGoal(op string, v float64) string {
	return fmt.Sprintf("%s %.2f", op, v)
}
