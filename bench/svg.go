package main

import (
	"bytes"
	"fmt"
	"html"
	"math"
)

// Chart geometry, in pixels.
const (
	chartWidth = 780
	labelRight = 150 // scenario labels end here
	barLeft    = 160
	barRight   = 720
	barHeight  = 11
	barGap     = 2
	groupGap   = 14
	legendCols = 4
)

// serverColors keep each server's color the same in every group.
var serverColors = map[string]string{
	nativeGo: "#555555", nativeCivetWeb: "#a0a0a0",
	"wazero pooled": "#1f77b4", "wazero fresh": "#9ecae1",
	"wasmtime pooled": "#d62728", "wasmtime fresh": "#fc9272",
	"wazero pooled, no deadline": "#2ca02c", "wasmtime pooled, no deadline": "#a1d99b",
}

// chart draws req/s as a ratio to native Go: one group of horizontal bars
// per scenario, one bar per server, and a dashed line at 1.0 (native Go).
// Hand-written SVG keeps the benchmark free of plotting dependencies.
func chart(r *report) []byte {
	var b bytes.Buffer
	servers, groups := chartLayout(r)
	top := 50 + 18*((len(servers)+legendCols-1)/legendCols)
	height := top + len(groups)*groupGap + len(r.Results)*(barHeight+barGap) + 30
	scale := chartScale(r)
	x := func(v float64) float64 { return barLeft + v*(barRight-barLeft)/scale }
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="11">`+"\n", chartWidth, height)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(&b, `<text x="10" y="20" font-size="14" font-weight="bold">civetbox load benchmark: requests/s relative to native Go (higher is better)</text>`+"\n")
	fmt.Fprintf(&b, `<text x="10" y="36" fill="#555">%s, %d CPUs, %d × %s rounds; wrk on the same machine</text>`+"\n",
		html.EscapeString(r.Date), r.Machine.CPUs, r.Settings.Rounds, r.Settings.Duration)
	drawLegend(&b, servers)
	drawGrid(&b, x, scale, top, height-25)
	y := top
	for _, g := range groups {
		y += groupGap
		mid := y + len(g)*(barHeight+barGap)/2
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" dominant-baseline="middle" font-weight="bold">%s</text>`+"\n",
			labelRight, mid, html.EscapeString(g[0].Scenario))
		for _, res := range g {
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"><title>%s: %.0f req/s</title></rect>`+"\n",
				barLeft, y, x(res.RPSRatio)-barLeft, barHeight, serverColors[res.Server], html.EscapeString(res.Server), res.RPS)
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" dominant-baseline="middle" font-size="9">%.2f</text>`+"\n",
				x(res.RPSRatio)+3, y+barHeight/2+1, res.RPSRatio)
			y += barHeight + barGap
		}
	}
	b.WriteString("</svg>\n")
	return b.Bytes()
}

// chartLayout lists the servers in order of first appearance and groups
// the results by scenario.
func chartLayout(r *report) (servers []string, groups [][]result) {
	seen := map[string]bool{}
	for _, res := range r.Results {
		if !seen[res.Server] {
			seen[res.Server] = true
			servers = append(servers, res.Server)
		}
		if len(groups) == 0 || groups[len(groups)-1][0].Scenario != res.Scenario {
			groups = append(groups, nil)
		}
		groups[len(groups)-1] = append(groups[len(groups)-1], res)
	}
	return servers, groups
}

// chartScale is the ratio at the right edge: the largest bar rounded up to
// a half, at least 1.5 so the native Go line sits inside.
func chartScale(r *report) float64 {
	m := 1.5
	for _, res := range r.Results {
		m = max(m, res.RPSRatio*1.08)
	}
	return math.Ceil(m*2) / 2
}

func drawLegend(b *bytes.Buffer, servers []string) {
	for i, s := range servers {
		lx, ly := 10+(i%legendCols)*190, 48+(i/legendCols)*18
		fmt.Fprintf(b, `<rect x="%d" y="%d" width="12" height="12" fill="%s"/><text x="%d" y="%d">%s</text>`+"\n",
			lx, ly, serverColors[s], lx+16, ly+10, html.EscapeString(s))
	}
}

// drawGrid draws a line every 0.5 with its label, the 1.0 line dashed.
func drawGrid(b *bytes.Buffer, x func(float64) float64, scale float64, top, bottom int) {
	for v := 0.0; v <= scale+1e-9; v += 0.5 {
		style := `stroke="#e0e0e0"`
		if v == 1 {
			style = `stroke="#333" stroke-dasharray="4 3"`
		}
		fmt.Fprintf(b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" %s/>`+"\n", x(v), top, x(v), bottom, style)
		fmt.Fprintf(b, `<text x="%.1f" y="%d" text-anchor="middle" fill="#555">%.1f</text>`+"\n", x(v), bottom+14, v)
	}
}
