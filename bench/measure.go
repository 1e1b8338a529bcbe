package main

import (
	"context"
	"fmt"
	"io"
	"slices"
)

// measureScenario starts every server for sc, checks each answers
// correctly, warms each up, then runs the rounds: every round visits every
// server, in alternating order (forward, then backward), so load from
// other processes on the machine and thermal drift hit all servers alike.
// Servers are started afresh per scenario so peak RSS belongs to it.
func measureScenario(ctx context.Context, o options, b binaries, work string, sc scenario, log io.Writer) ([]result, error) {
	srvs := serversFor(sc)
	procs, err := startAll(ctx, b, srvs, sc, work)
	defer func() {
		for _, p := range procs {
			p.stop()
		}
	}()
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(log, "%s: %d connections, %d servers, %d rounds of %v\n", sc.name, sc.conns, len(srvs), o.rounds, o.duration)
	if o.warmup > 0 {
		for _, p := range procs {
			if _, err := runWrk(ctx, o, work, p.addr, sc, o.warmup); err != nil {
				return nil, fmt.Errorf("%s warmup: %w", p.name, err)
			}
		}
	}
	res := make([]result, len(srvs))
	for i, s := range srvs {
		res[i] = result{Scenario: sc.name, Server: s.name, Conns: sc.conns}
	}
	for r := range o.rounds {
		for _, i := range roundOrder(len(procs), r) {
			rd, err := runWrk(ctx, o, work, procs[i].addr, sc, o.duration)
			if err != nil {
				return nil, fmt.Errorf("%s round %d: %w", procs[i].name, r+1, err)
			}
			if rd.PeakRSS, err = procs[i].peakRSS(); err != nil {
				return nil, err
			}
			res[i].Rounds = append(res[i].Rounds, rd)
		}
	}
	return res, nil
}

// startAll starts and checks the servers; the caller stops those returned
// even on error.
func startAll(ctx context.Context, b binaries, srvs []server, sc scenario, work string) ([]*proc, error) {
	var procs []*proc
	for _, s := range srvs {
		p, err := start(s.name, b.command(ctx, s, sc, work), work)
		if err != nil {
			return procs, err
		}
		procs = append(procs, p)
		if err := check(ctx, p.addr, sc); err != nil {
			return procs, fmt.Errorf("%s: %w", s.name, err)
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
