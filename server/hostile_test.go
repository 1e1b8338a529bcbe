package server_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Limits of the hostile tenant. max_concurrent = 1 makes "the tenant can
// serve again" observable in any mode: a request queues until the hostile
// one has released its slot and instance.
const (
	hostileDeadline = 300 * time.Millisecond
	// killSlack is what the issue allows past the deadline, for the median
	// of killRuns; a single run may take up to killSlackMax on a loaded
	// 2-core CI machine.
	killSlack    = 50 * time.Millisecond
	killSlackMax = 250 * time.Millisecond
	killRuns     = 3
	hostileTOML  = `
[[tenant]]
name = "hostile"
hosts = ["hostile.test"]
engine = "ENGINE"
mode = "MODE"
  [tenant.limits]
  timeout = "300ms"
  memory_mib = 16
  max_concurrent = 1
  queue = 4
  queue_timeout = "10s"
  [[tenant.module]]
  path = "GUESTS/hostile.wasm"
  [[tenant.module]]
  path = "GUESTS/tenancy.wasm"

[[tenant]]
name = "victim"
hosts = ["victim.test"]
engine = "ENGINE"
  [[tenant.module]]
  path = "GUESTS/tenancy.wasm"
`
)

// hostileCase is one misbehaviour and the answer it must get.
type hostileCase struct {
	name string
	path string
	// want are the statuses accepted; none means the client must see the
	// connection close without a complete response.
	want []int
	// timesOut marks behaviours that only the deadline stops: they run
	// killRuns times and their median is the kill latency.
	timesOut bool
	// run replaces a plain GET of path.
	run func(s *tenancyServer, client *http.Client) reply
	// check asserts more about the reply.
	check func(t *testing.T, r reply)
}

// badPointerFuncs are hostile.c's /badptr routes: every host function that
// takes a pointer (runtime/hostile_test.go checks the list is complete).
var badPointerFuncs = []string{
	"mg_read", "mg_read_wrap", "mg_write", "mg_write_wrap", "mg_send_chunk",
	"mg_get_request_info", "mg_get_request_info_misaligned", "mg_send_http_ok",
	"mg_send_http_error", "mg_send_http_redirect", "mg_response_header_add",
	"mg_response_header_add_lines", "mg_cry", "mg_set_request_handler",
	"mg_send_mime_file2", "mg_send_file_body", "upload_open", "upload_write",
	"mg_check_digest_access_authentication", "mg_send_digest_access_authentication_request",
}

func hostileCases() []hostileCase {
	cases := []hostileCase{
		{name: "infinite loop", path: "/loop", want: []int{504}, timesOut: true},
		{name: "loop-free recursion", path: "/exp", want: []int{504}, timesOut: true},
		{name: "unbounded recursion", path: "/trap/stack", want: []int{500}},
		{name: "C stack overflow", path: "/trap/cstack", want: []int{500}},
		{name: "memory growth", path: "/grow", want: []int{200}, check: grewToLimit},
		{name: "trap unreachable", path: "/trap/unreachable", want: []int{500}},
		{name: "trap divzero", path: "/trap/divzero", want: []int{500}},
		{name: "trap oob", path: "/trap/oob", want: []int{500}},
		{name: "trap indirect", path: "/trap/indirect", want: []int{500}},
		{name: "trap after send", path: "/trap/after-send"},
		{name: "inject header", path: "/inject/header", want: []int{500}, check: noInjection},
		{name: "inject status", path: "/inject/status", want: []int{500}, check: noInjection},
		{name: "inject value", path: "/inject/value", want: []int{200}, check: noInjection},
		// The guest may write its 1 GiB before the deadline (200, the log
		// keeps guest_log_kib) or be stopped at it (504).
		{name: "1 GiB to stdout", path: "/stdout", want: []int{200, 504}, timesOut: true},
		{name: "mg_read, client sends nothing", want: []int{504}, timesOut: true, run: stalledBody},
		{name: "disconnect mid-response", timesOut: true, run: disconnect("/stream", 64<<10)},
		{name: "disconnect during loop", timesOut: true, run: disconnect("/loop", 0)},
	}
	for _, fn := range badPointerFuncs {
		cases = append(cases, hostileCase{name: "badptr " + fn, path: "/badptr/" + fn, want: []int{500}})
	}
	return cases
}

// TestHostileTenant runs every misbehaviour against a hostile tenant on a
// real server, in both modes on every engine, while a second tenant is
// served continuously: each gets its answer within the deadline plus
// killSlack, the victim only ever gets 200, and afterwards no instance,
// goroutine or file descriptor is left over.
func TestHostileTenant(t *testing.T) {
	eachEngine(t, func(t *testing.T, engine string) {
		for _, mode := range []string{"fresh", "pooled"} {
			t.Run(mode, func(t *testing.T) {
				if testing.Short() && mode == "pooled" {
					t.Skip("short: fresh mode only")
				}
				runHostileSuite(t, engine, mode)
			})
		}
	})
}

func runHostileSuite(t *testing.T, engine, mode string) {
	toml := strings.Replace(hostileTOML, "MODE", mode, 1)
	var poolSize int64
	if mode == "pooled" {
		poolSize = 2
		toml = strings.Replace(toml, `mode = "pooled"`, "mode = \"pooled\"\npool_size = 2", 1)
	}
	s := startTenancy(t, engine, toml)
	client := newClient()
	for _, host := range []string{"hostile.test", "victim.test"} { // warm up
		require.Equal(t, http.StatusOK, s.fetch(client, host, "/ok").status)
	}
	base := measure()
	v := startVictim(s, "victim.test")
	var summary []string
	for _, c := range hostileCases() {
		summary = append(summary, runHostileCase(t, s, client, c))
	}
	t.Logf("%s/%s kill latencies (median past the %s deadline; others: time to answer):\n%s",
		engine, mode, hostileDeadline, strings.Join(summary, "\n"))
	lat := v.finish(t)
	t.Logf("victim: %d requests, all 200, p50 %s p99 %s", len(lat), percentile(lat, 50), percentile(lat, 99))
	s.requireLive(t, "hostile", poolSize)
	s.requireLive(t, "victim", 0)
	requireBackToBaseline(t, base, 2)
}

// runHostileCase runs c (killRuns times if it times out), asserts each
// reply and the median time, and returns a summary line.
func runHostileCase(t *testing.T, s *tenancyServer, client *http.Client, c hostileCase) string {
	runs := 1
	if c.timesOut {
		runs = killRuns
	}
	var times []time.Duration
	var statuses []string
	for range runs {
		r := c.run
		if r == nil {
			r = func(s *tenancyServer, client *http.Client) reply { return s.fetch(client, "hostile.test", c.path) }
		}
		got := r(s, client)
		times = append(times, got.elapsed)
		statuses = append(statuses, describe(got))
		requireAnswer(t, c, got)
		// The tenant serves again: also what the disconnect cases time.
		require.Equal(t, http.StatusOK, s.fetch(client, "hostile.test", "/ok").status, c.name)
	}
	median := percentile(times, 50)
	line := fmt.Sprintf("  %-45s %-12s median %6.1f ms", c.name, strings.Join(slices.Compact(statuses), "|"), ms(median))
	if c.timesOut {
		line += fmt.Sprintf("  kill latency %+6.1f ms  (runs %s)", ms(median-hostileDeadline), fmtTimes(times))
	}
	// Not fatal, so the summary of every case is still logged. A case
	// the deadline does not end is held to the same bound, except under
	// the race detector, which slows the host's copies of guest memory
	// (deadline kills are held to it either way).
	slack, slackMax := killSlack, killSlackMax
	if raceEnabled && !c.timesOut {
		slack, slackMax = 4*hostileDeadline, 4*hostileDeadline
	}
	assert.LessOrEqual(t, median, hostileDeadline+slack, "%s: median time to answer", c.name)
	assert.LessOrEqual(t, slices.Max(times), hostileDeadline+slackMax, "%s: slowest run", c.name)
	return line
}

// requireAnswer asserts r is one of c's statuses, or a closed connection.
func requireAnswer(t *testing.T, c hostileCase, r reply) {
	t.Helper()
	if len(c.want) == 0 {
		require.NotEqual(t, -1, r.status, "%s: %v", c.name, r.err) // the test itself failed
		require.Error(t, r.err, "%s: the client must see the response cut short", c.name)
		return
	}
	require.NoError(t, r.err, c.name)
	require.Contains(t, c.want, r.status, "%s: %s", c.name, r.body)
	if c.check != nil {
		c.check(t, r)
	}
}

func describe(r reply) string {
	if r.err != nil {
		return "closed"
	}
	return strconv.Itoa(r.status)
}

// grewToLimit: /grow stops when malloc fails under the tenant's 16 MiB.
func grewToLimit(t *testing.T, r reply) {
	blocks, err := strconv.Atoi(r.body)
	require.NoError(t, err, r.body)
	require.Positive(t, blocks)
	require.Less(t, blocks, 16, "1 MiB blocks under memory_mib = 16")
}

// noInjection: nothing the guest tried to smuggle reached the headers.
func noInjection(t *testing.T, r reply) {
	require.Empty(t, r.header.Values("Set-Cookie"))
	require.Empty(t, r.header.Values("X-A"))
	require.NotContains(t, r.body, "evil")
}

// stalledBody sends a head promising a body and then nothing, so the guest
// blocks in mg_read until the deadline.
func stalledBody(s *tenancyServer, _ *http.Client) reply {
	start := time.Now()
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.url, "http://"))
	if err != nil {
		return reply{err: err}
	}
	defer conn.Close()
	_, err = io.WriteString(conn, "POST /read-all HTTP/1.1\r\nHost: hostile.test\r\nContent-Length: 100\r\n\r\n")
	if err != nil {
		return reply{err: err}
	}
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return reply{err: err, elapsed: time.Since(start)}
	}
	body, _ := io.ReadAll(resp.Body)
	return reply{status: resp.StatusCode, header: resp.Header, body: string(body), elapsed: time.Since(start)}
}

// disconnect requests path, reads at least n bytes of the answer, hangs
// up, and times from the start until the tenant serves again (a request
// queued behind the abandoned one, as max_concurrent is 1). The reply is a
// closed connection by construction.
func disconnect(path string, n int) func(s *tenancyServer, client *http.Client) reply {
	return func(s *tenancyServer, client *http.Client) reply {
		start := time.Now()
		conn, err := net.Dial("tcp", strings.TrimPrefix(s.url, "http://"))
		if err != nil {
			return reply{status: -1, err: err}
		}
		_, err = io.WriteString(conn, "GET "+path+" HTTP/1.1\r\nHost: hostile.test\r\n\r\n")
		if err == nil && n > 0 {
			_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
			_, err = io.ReadFull(conn, make([]byte, n))
		} else if err == nil {
			time.Sleep(20 * time.Millisecond) // let the guest start
		}
		conn.Close()
		if err != nil {
			return reply{status: -1, err: fmt.Errorf("before hanging up: %w", err)}
		}
		ok := s.fetch(client, "hostile.test", "/ok")
		if ok.err != nil || ok.status != http.StatusOK {
			return reply{status: -1, err: fmt.Errorf("after hanging up: %d %v", ok.status, ok.err)}
		}
		return reply{err: io.ErrUnexpectedEOF, elapsed: time.Since(start)}
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func fmtTimes(ds []time.Duration) string {
	var s []string
	for _, d := range ds {
		s = append(s, fmt.Sprintf("%.0f", ms(d)))
	}
	return strings.Join(s, "/") + " ms"
}
