package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
)

// measureScenario starts every server for sc, checks each answers
// correctly, warms each up, then runs the rounds: every round visits every
// server, in alternating order (forward, then backward), so load from
// other processes on the machine and thermal drift hit all servers alike.
// A scenario with a paired load measures both on each server in turn,
// also alternating which goes first. Servers are started afresh per
// scenario so peak RSS belongs to it.
func measureScenario(ctx context.Context, o options, b binaries, work string, sc scenario, log io.Writer) ([]result, error) {
	srvs, loads := serversFor(sc), sc.loads()
	procs, err := startAll(ctx, b, srvs, loads, work)
	defer func() {
		for _, p := range procs {
			p.stop()
		}
	}()
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(log, "%s: %d connections, %d servers, %d rounds of %v\n", loadNames(loads), sc.conns, len(srvs), o.rounds, o.duration)
	if o.warmup > 0 {
		for _, p := range procs {
			for _, l := range loads {
				if _, err := runWrk(ctx, o, work, p.addr, l, o.warmup); err != nil {
					return nil, fmt.Errorf("%s warmup: %w", p.name, err)
				}
			}
		}
	}
	res := make([][]result, len(loads))
	for k, l := range loads {
		res[k] = make([]result, len(srvs))
		for i, s := range srvs {
			res[k][i] = result{Scenario: l.name, Server: s.name, Conns: l.conns}
		}
	}
	for r := range o.rounds {
		for _, i := range roundOrder(len(procs), r) {
			for _, k := range roundOrder(len(loads), r) {
				rd, err := runWrk(ctx, o, work, procs[i].addr, loads[k], o.duration)
				if err != nil {
					return nil, fmt.Errorf("%s %s round %d: %w", procs[i].name, loads[k].name, r+1, err)
				}
				if rd.PeakRSS, err = procs[i].peakRSS(); err != nil {
					return nil, err
				}
				res[k][i].Rounds = append(res[k][i].Rounds, rd)
			}
		}
	}
	return slices.Concat(res...), nil
}

func loadNames(loads []scenario) string {
	names := make([]string, len(loads))
	for i, l := range loads {
		names[i] = l.name
	}
	return strings.Join(names, " + ")
}

// startAll starts and checks the servers; the caller stops those returned
// even on error.
func startAll(ctx context.Context, b binaries, srvs []server, loads []scenario, work string) ([]*proc, error) {
	var procs []*proc
	for _, s := range srvs {
		p, err := start(s.name, b.command(ctx, s, loads[0], work), work)
		if err != nil {
			return procs, err
		}
		procs = append(procs, p)
		for _, l := range loads {
			if err := check(ctx, p.addr, l); err != nil {
				return procs, fmt.Errorf("%s: %w", s.name, err)
			}
		}
	}
	return procs, nil
}

// roundOrder visits n servers forward in even rounds, backward in odd ones.
func roundOrder(n, r int) []int {
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	if r%2 == 1 {
		slices.Reverse(order)
	}
	return order
}
