package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/config"
	"github.com/civetbox/civetbox/internal/testutil"
	"github.com/civetbox/civetbox/runtime/engine"
	"github.com/civetbox/civetbox/runtime/engine/wazero"
	"github.com/civetbox/civetbox/server"
)

// observed is a built configuration served over real sockets, with its
// admin listener, server log and access log.
type observed struct {
	app, admin   *httptest.Server
	logs, access *testutil.SyncBuffer
	requests     int // sent to app so far
}

// startObserved serves two tenants: hostile.wasm by host name with tight
// limits, and the mg_cry guest mounted under /c.
func startObserved(t *testing.T) *observed {
	t.Helper()
	guests, err := filepath.Abs(filepath.Join("..", "testdata"))
	require.NoError(t, err)
	text := strings.ReplaceAll(`
[listen]
http = ["127.0.0.1:0"]

[[tenant]]
name = "hostile"
hosts = ["hostile.test"]
  [tenant.limits]
  timeout = "500ms"
  max_concurrent = 1
  queue = 0
  max_body_mib = 1
  max_header_kib = 2
  [[tenant.module]]
  path = "TD/guests/hostile.wasm"

[[tenant]]
name = "cry"
mounts = ["/c"]
  [[tenant.module]]
  path = "TD/compat/cry.wasm"
`, "TD", guests)
	cfg, err := config.Parse(filepath.Join(t.TempDir(), "civetbox.toml"), []byte(text))
	require.NoError(t, err)
	o := &observed{logs: &testutil.SyncBuffer{}, access: &testutil.SyncBuffer{}}
	metrics := server.NewMetrics()
	built, err := server.Build(context.Background(), cfg, server.Options{
		NewEngine: func(ctx context.Context, _ string, cfg engine.Config) (engine.Engine, error) {
			return wazero.New(ctx, cfg)
		},
		Logger:  slog.New(slog.NewJSONHandler(o.logs, nil)),
		Metrics: metrics, AccessLog: slog.New(slog.NewJSONHandler(o.access, nil)),
	})
	require.NoError(t, err)
	t.Cleanup(func() { _ = built.Close(context.Background()) })
	o.app = httptest.NewServer(built.Handler)
	o.admin = httptest.NewServer(server.Admin(metrics.Handler()))
	t.Cleanup(o.app.Close)
	t.Cleanup(o.admin.Close)
	return o
}

// send sends a request to the app and returns its status.
func (o *observed) send(t *testing.T, method, host, path string, body io.Reader, header ...string) int {
	t.Helper()
	req, err := http.NewRequest(method, o.app.URL+path, body)
	require.NoError(t, err)
	req.Host = host
	for i := 0; i < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	o.requests++
	resp, err := o.app.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	_, _ = io.ReadAll(resp.Body)
	return resp.StatusCode
}

// scrape fetches /metrics from the admin listener over HTTP and returns
// each sample by its series (name{label="value",...}, labels sorted, as
// the exposition format writes them).
func (o *observed) scrape(t *testing.T) map[string]float64 {
	t.Helper()
	resp, err := http.Get(o.admin.URL + "/metrics")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	samples := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		require.NoError(t, err, line)
		samples[line[:i]] = v
	}
	require.NoError(t, sc.Err())
	return samples
}

// series names a sample: series("m", "b", "2", "a", "1") is m{a="1",b="2"}.
func series(name string, labels ...string) string {
	var pairs []string
	for i := 0; i < len(labels); i += 2 {
		pairs = append(pairs, fmt.Sprintf("%s=%q", labels[i], labels[i+1]))
	}
	slices.Sort(pairs)
	return name + "{" + strings.Join(pairs, ",") + "}"
}

func requests(tenant, module, route, class string) string {
	return series("civetbox_requests_total", "tenant", tenant, "module", module, "route", route, "code_class", class)
}

const hostile = "hostile.wasm"

// TestMetrics drives a request for every metric and checks each series
// as /metrics reports it.
func TestMetrics(t *testing.T) {
	o := startObserved(t)
	h := "hostile.test"
	require.Equal(t, 200, o.send(t, "GET", h, "/ok", nil))
	require.Equal(t, 200, o.send(t, "GET", h, "/ok?x=1", nil))
	require.Equal(t, 404, o.send(t, "GET", h, "/nope", nil))
	require.Equal(t, 404, o.send(t, "GET", "unknown.test", "/ok", nil))
	require.Equal(t, 500, o.send(t, "GET", h, "/trap/unreachable", nil))
	require.Equal(t, 500, o.send(t, "GET", h, "/badptr/mg_write", nil))
	o.sendAborted(t, h, "/trap/after-send")
	require.Equal(t, 500, o.send(t, "GET", h, "/late-register", nil))
	require.Equal(t, 500, o.send(t, "GET", h, "/exit", nil))
	big := strings.Repeat("x", 1<<20+1)
	require.Equal(t, 413, o.send(t, "POST", h, "/read-all", strings.NewReader(big)))
	chunked := io.MultiReader(strings.NewReader(big)) // no length: sent chunked, cut by mg_read
	require.Equal(t, 413, o.send(t, "POST", h, "/read-all", chunked))
	require.Equal(t, 431, o.send(t, "GET", h, "/ok", nil, "X-Big", strings.Repeat("y", 3000)))
	var many []string
	for i := range 70 {
		many = append(many, fmt.Sprintf("X-H%d", i), "v")
	}
	require.Equal(t, 431, o.send(t, "GET", h, "/ok", nil, many...))

	// Requests run one at a time, so the instance each fresh request ended
	// cleanly with is the one kept reset for the next.
	reset := series("civetbox_reset_instances", "tenant", "hostile", "module", hostile)
	require.Equal(t, 1.0, o.scrape(t)[reset])

	// A spinning guest holds the tenant's only slot: the live gauge shows
	// its instance, the next request is refused, and the deadline ends it.
	live := series("civetbox_live_instances", "tenant", "hostile", "module", hostile)
	looped := make(chan int, 1)
	o.requests++ // the loop
	go func() {
		resp, err := o.app.Client().Do(newRequest(t, o.app.URL+"/loop", h))
		if err == nil {
			resp.Body.Close()
			looped <- resp.StatusCode
		}
		close(looped)
	}()
	require.Eventually(t, func() bool { return o.scrape(t)[live] == 1 }, 2*time.Second, 5*time.Millisecond)
	require.Equal(t, 503, o.send(t, "GET", h, "/ok", nil))
	require.Equal(t, 504, <-looped)

	var m map[string]float64
	require.Eventually(t, func() bool {
		m = o.scrape(t)
		return m[series("civetbox_deadline_kills_total", "tenant", "hostile", "module", hostile)] == 1
	}, 2*time.Second, 5*time.Millisecond)
	want := map[string]float64{
		requests("hostile", hostile, "/ok", "2xx"): 2,
		// No route: /nope (404), and the 431 for too many headers, refused
		// before the module could parse the path. Both 413s (declared
		// length, and chunked cut while /read-all reads) name the route.
		requests("hostile", hostile, "(none)", "4xx"):                                                       2,
		requests("hostile", hostile, "/read-all", "4xx"):                                                    2,
		requests("(none)", "(none)", "(none)", "4xx"):                                                       1,
		requests("hostile", hostile, "/trap", "5xx"):                                                        1,
		requests("hostile", hostile, "/badptr", "5xx"):                                                      1,
		requests("hostile", hostile, "/trap", "aborted"):                                                    1,
		requests("hostile", hostile, "/loop", "5xx"):                                                        1,
		requests("hostile", "(none)", "(none)", "4xx"):                                                      1, // 431 from the server, before any module
		requests("hostile", "(none)", "(none)", "5xx"):                                                      1, // 503
		series("civetbox_guest_traps_total", "tenant", "hostile", "module", hostile, "kind", "trap"):        2,
		series("civetbox_guest_traps_total", "tenant", "hostile", "module", hostile, "kind", "bad_pointer"): 1,
		series("civetbox_guest_traps_total", "tenant", "hostile", "module", hostile, "kind", "contract"):    1,
		series("civetbox_guest_traps_total", "tenant", "hostile", "module", hostile, "kind", "exit"):        1,
		series("civetbox_guest_traps_total", "tenant", "cry", "module", "cry.wasm", "kind", "trap"):         0,
		series("civetbox_limit_rejections_total", "tenant", "hostile", "kind", "concurrency"):               1,
		series("civetbox_limit_rejections_total", "tenant", "hostile", "kind", "body_size"):                 2,
		series("civetbox_limit_rejections_total", "tenant", "hostile", "kind", "head_size"):                 1,
		series("civetbox_limit_rejections_total", "tenant", "hostile", "kind", "too_many_headers"):          1,
		series("civetbox_limit_rejections_total", "tenant", "cry", "kind", "concurrency"):                   0,
		live:  0,
		reset: 0, // the spinning guest took it, and its instance was closed
		series("civetbox_live_instances", "tenant", "cry", "module", "cry.wasm"):                                  0,
		series("civetbox_compile_seconds_count", "tenant", "hostile", "module", hostile):                          1,
		series("civetbox_request_duration_seconds_count", "tenant", "hostile", "module", hostile, "route", "/ok"): 2,
	}
	for s, v := range want {
		require.Equal(t, v, m[s], "%s\n%s", s, dump(m, "civetbox_"))
	}
	// Every request instantiated (fresh mode), except those refused
	// before the guest; and the load's first instance.
	require.GreaterOrEqual(t, m[series("civetbox_instantiate_seconds_count", "tenant", "hostile", "module", hostile)], 8.0)
	require.GreaterOrEqual(t, m[series("civetbox_request_duration_seconds_sum", "tenant", "hostile", "module", hostile, "route", "/loop")], 0.5)
	require.Contains(t, m, "go_goroutines")
}

// sendAborted sends a request whose response the server cuts short.
func (o *observed) sendAborted(t *testing.T, host, path string) {
	t.Helper()
	o.requests++
	resp, err := o.app.Client().Do(newRequest(t, o.app.URL+path, host))
	if err == nil {
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	require.Error(t, err, "the response is cut")
}

func newRequest(t *testing.T, url, host string) *http.Request {
	req, err := http.NewRequest("GET", url, nil)
	require.NoError(t, err)
	req.Host = host
	return req
}

// dump lists the samples whose series start with prefix, for failures.
func dump(m map[string]float64, prefix string) string {
	var lines []string
	for s, v := range m {
		if strings.HasPrefix(s, prefix) && !strings.Contains(s, "_bucket") {
			lines = append(lines, fmt.Sprintf("%s %g", s, v))
		}
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// TestAccessLog: a JSON line per request, whose request_id is the one on
// the guest's own log lines (mg_cry) and on the server's refusal lines.
func TestAccessLog(t *testing.T) {
	o := startObserved(t)
	require.Equal(t, 200, o.send(t, "GET", "any.test", "/c/cry?q=1", nil))
	require.Equal(t, 200, o.send(t, "GET", "hostile.test", "/ok", nil))
	require.Equal(t, 431, o.send(t, "GET", "hostile.test", "/ok", nil, "X-Big", strings.Repeat("y", 3000)))
	o.sendAborted(t, "hostile.test", "/trap/after-send")

	var lines []map[string]any
	require.Eventually(t, func() bool {
		lines = jsonLines(t, o.access.String())
		return len(lines) == o.requests
	}, time.Second, 5*time.Millisecond, o.access.String())

	cry := findLine(t, lines, "uri", "/c/cry?q=1")
	require.Equal(t, "request", cry["msg"])
	for _, key := range []string{"time", "level", "request_id", "remote", "duration"} {
		require.Contains(t, cry, key)
	}
	require.Equal(t, "cry", cry["tenant"])
	require.Equal(t, "cry.wasm", cry["module"])
	require.Equal(t, "/cry", cry["route"])
	require.Equal(t, "GET", cry["method"])
	require.Equal(t, "/c/cry?q=1", cry["uri"], "the URI as the client sent it, mount included")
	require.Equal(t, "HTTP/1.1", cry["proto"])
	require.EqualValues(t, 200, cry["status"])
	require.EqualValues(t, 12, cry["bytes"])
	id := cry["request_id"]

	var guest []map[string]any
	for _, l := range jsonLines(t, o.logs.String()) {
		if text, _ := l["text"].(string); l["msg"] == "mg_cry" && strings.HasPrefix(text, "compat-observe: ") {
			guest = append(guest, l)
		}
	}
	require.Len(t, guest, 4, o.logs.String())
	for _, l := range guest {
		require.Equal(t, id, l["request_id"], "the guest's lines carry the access log's id")
		require.Equal(t, "cry", l["tenant"])
	}

	// Found by content: a line is written as its handler returns, which
	// may be after the client has the response and sent the next request.
	ok := findLine(t, lines, "status", 200.0, "uri", "/ok")
	refused := findLine(t, lines, "status", 431.0)
	aborted := findLine(t, lines, "uri", "/trap/after-send")
	require.NotEqual(t, id, ok["request_id"], "ids are unique across tenants")
	require.EqualValues(t, 431, refused["status"])
	require.Equal(t, "head_size", refused["limit"])
	require.Contains(t, o.logs.String(), fmt.Sprintf(`"request_id":%v`, refused["request_id"]),
		"the refusal's log line carries its id")
	require.EqualValues(t, 200, aborted["status"], "the status that went out")
	require.Equal(t, true, aborted["aborted"])
	require.Equal(t, "trap", aborted["failure"])
}

// findLine returns the one line with every key and value given.
func findLine(t *testing.T, lines []map[string]any, kv ...any) map[string]any {
	t.Helper()
	var found []map[string]any
	for _, l := range lines {
		match := true
		for i := 0; i < len(kv); i += 2 {
			match = match && l[kv[i].(string)] == kv[i+1]
		}
		if match {
			found = append(found, l)
		}
	}
	require.Len(t, found, 1, "lines with %v", kv)
	return found[0]
}

func jsonLines(t *testing.T, text string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &m), line)
		out = append(out, m)
	}
	return out
}
