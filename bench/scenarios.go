package main

import (
	"fmt"
	"slices"
	"strings"
)

// module is one handler file: its C source, built natively for CivetWeb
// with cflags, and its committed .wasm, served by civetbox. Paths are from
// the module root.
type module struct {
	name, source, wasm string
	cflags             []string
}

var (
	helloMod = module{name: "hello", source: "examples/hello/hello.c", wasm: "examples/hello/hello.wasm"}
	echoMod  = module{name: "echo", source: "examples/echo/echo.c", wasm: "examples/echo/echo.wasm"}
	// bench.c's /hostcalls imports WASI's sched_yield; natively that is
	// libc's (the wasm import attributes are ignored there).
	benchMod = module{name: "bench", source: "testdata/guests/bench.c", wasm: "testdata/guests/bench.wasm",
		cflags: []string{"-Dwasi_sched_yield=sched_yield", "-Wno-attributes"}}
)

// scenario is one load: a request shape and a connection count.
type scenario struct {
	name     string
	mod      module
	path     string
	conns    int
	bodySize int  // POST body bytes; 0 means GET
	compute  bool // also run civetbox without deadline enforcement
	wantLen  int  // response body length, checked before measuring
	// paired is a second load measured on the same servers in the same
	// rounds, right after or before this one, so the ratio of the two
	// carries no drift between scenarios.
	paired *scenario
}

// loads are the scenario's loads: itself, then its paired one.
func (sc scenario) loads() []scenario {
	if sc.paired == nil {
		return []scenario{sc}
	}
	return []scenario{sc, *sc.paired}
}

// scenarios are the loads issue 6 asks for. Every scenario runs at 64
// connections; hello also at 256.
var scenarios = []scenario{
	{name: "hello-64", mod: helloMod, path: "/hello", conns: 64, wantLen: 14},
	{name: "hello-256", mod: helloMod, path: "/hello", conns: 256, wantLen: 14},
	{name: "echo-1MiB", mod: echoMod, path: "/echo", conns: 64, bodySize: 1 << 20, wantLen: 1 << 20},
	{name: "chatty", mod: benchMod, path: "/chatty", conns: 64, wantLen: 900,
		paired: &scenario{name: "single", mod: benchMod, path: "/single", conns: 64, wantLen: 900}},
	{name: "sha256", mod: benchMod, path: "/sha256", conns: 64, compute: true, wantLen: 64},
}

func scenarioNames() []string {
	var names []string
	for _, s := range scenarios {
		for _, l := range s.loads() {
			names = append(names, l.name)
		}
	}
	return names
}

// pickScenarios parses -scenarios.
func pickScenarios(list string) ([]scenario, error) {
	if list == "all" {
		return scenarios, nil
	}
	var out []scenario
	for _, name := range strings.Split(list, ",") {
		i := indexScenario(strings.TrimSpace(name))
		if i < 0 {
			return nil, fmt.Errorf("unknown scenario %q (have: %s)", name, strings.Join(scenarioNames(), ", "))
		}
		if !slices.ContainsFunc(out, func(s scenario) bool { return s.name == scenarios[i].name }) {
			out = append(out, scenarios[i]) // "chatty,single" is one scenario
		}
	}
	return out, nil
}

// indexScenario finds the scenario that measures load name.
func indexScenario(name string) int {
	for i, s := range scenarios {
		for _, l := range s.loads() {
			if l.name == name {
				return i
			}
		}
	}
	return -1
}

// server is one way of serving a scenario's handlers.
type server struct {
	name   string
	kind   string // "go", "civetweb" or "civetbox"
	engine string // civetbox only
	mode   string // civetbox only
	noDead bool   // civetbox without deadline enforcement in guest code
}

const (
	nativeGo       = "native Go"
	nativeCivetWeb = "native CivetWeb"
)

// serversFor lists the servers a scenario compares, native Go first (the
// reference of every ratio).
func serversFor(sc scenario) []server {
	list := []server{{name: nativeGo, kind: "go"}, {name: nativeCivetWeb, kind: "civetweb"}}
	for _, eng := range []string{"wazero", "wasmtime"} {
		for _, mode := range []string{"pooled", "fresh"} {
			list = append(list, server{name: eng + " " + mode, kind: "civetbox", engine: eng, mode: mode})
		}
	}
	if sc.compute {
		for _, eng := range []string{"wazero", "wasmtime"} {
			list = append(list, server{name: eng + " pooled, no deadline", kind: "civetbox", engine: eng, mode: "pooled", noDead: true})
		}
	}
	return list
}
