package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	goruntime "runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/config"
	"github.com/civetbox/civetbox/internal/enginetest"
	"github.com/civetbox/civetbox/internal/testguests"
	"github.com/civetbox/civetbox/internal/testutil"
	"github.com/civetbox/civetbox/server"
)

// tenancyServer is a real multi-tenant server built from configuration
// text, listening on a free port, as "civetbox serve --config" runs one.
type tenancyServer struct {
	url   string
	built *server.Built
	logs  *testutil.SyncBuffer
}

// eachEngine runs body once per engine compiled into the test binary.
func eachEngine(t *testing.T, body func(t *testing.T, engine string)) { enginetest.EachName(t, body) }

// newEngine makes the engines a configuration names.
var newEngine = enginetest.NewByName

// startTenancy serves tenants (TOML [[tenant]] tables in which ENGINE
// stands for engineName and GUESTS for testdata/guests) until t ends.
func startTenancy(t *testing.T, engineName, tenants string) *tenancyServer {
	t.Helper()
	text := "[listen]\nhttp = [\"127.0.0.1:0\"]\nadmin = \"off\"\n" + tenants
	text = strings.NewReplacer("ENGINE", engineName, "GUESTS", testguests.Dir()).Replace(text)
	cfg, err := config.Parse("tenancy.toml", []byte(text))
	require.NoError(t, err)
	logs := &testutil.SyncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	ctx := context.Background()
	built, err := server.Build(ctx, cfg, server.Options{NewEngine: newEngine, Logger: log})
	require.NoError(t, err)
	lns, err := server.Listen(cfg, built.Handler, server.Admin(nil), built.MaxHeaderBytes, log)
	require.NoError(t, err)
	serveCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- server.Serve(serveCtx, lns, time.Second) }()
	t.Cleanup(func() {
		stop()
		require.NoError(t, <-done)
		require.NoError(t, built.Close(ctx))
	})
	return &tenancyServer{url: lns[0].URL(), built: built, logs: logs}
}

// live is the number of instances tenant holds open, over all its modules.
func (s *tenancyServer) live(t *testing.T, tenant string) int64 {
	for _, lt := range s.built.Tenants {
		if lt.Name == tenant {
			var n int64
			for _, h := range lt.Modules() {
				n += h.LiveInstances()
			}
			return n
		}
	}
	t.Fatalf("no tenant %q", tenant)
	return 0
}

// reply is what a client got: a status, or an error if the connection
// closed without a complete response.
type reply struct {
	status  int
	header  http.Header
	body    string
	err     error
	elapsed time.Duration
}

// fetch requests path from the tenant answering host, with client.
func (s *tenancyServer) fetch(client *http.Client, host, path string) reply {
	start := time.Now()
	req, err := http.NewRequest(http.MethodGet, s.url+path, nil)
	if err != nil {
		return reply{err: err}
	}
	req.Host = host
	resp, err := client.Do(req)
	if err != nil {
		return reply{err: err, elapsed: time.Since(start)}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return reply{status: resp.StatusCode, header: resp.Header, body: string(body), err: err, elapsed: time.Since(start)}
}

// newClient is a client without keep-alive, so no connection outlives its
// request and the leak checks see the server's own goroutines and fds.
func newClient() *http.Client {
	return &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 30 * time.Second}
}

// resources are the process resources a leak would show in.
type resources struct{ goroutines, fds int }

func measure() resources {
	return resources{goroutines: goruntime.NumGoroutine(), fds: openFDs()}
}

// openFDs counts the process's open file descriptors, or -1 where
// /proc/self/fd does not exist.
func openFDs() int {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(entries)
}

// requireBackToBaseline waits until goroutines and fds are back within
// slack of base: what the server started for the test's requests ends with
// them.
func requireBackToBaseline(t *testing.T, base resources, slack int) {
	t.Helper()
	var now resources
	deadline := time.Now().Add(5 * time.Second)
	for {
		now = measure()
		if now.goroutines <= base.goroutines+slack && now.fds <= base.fds+slack {
			break
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:goruntime.Stack(buf, true)]
			t.Fatalf("leak: goroutines %d (baseline %d), fds %d (baseline %d)\n%s",
				now.goroutines, base.goroutines, now.fds, base.fds, buf)
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("resources: goroutines %d (baseline %d), fds %d (baseline %d)", now.goroutines, base.goroutines, now.fds, base.fds)
}

// requireLive waits until tenant holds at most want instances.
func (s *tenancyServer) requireLive(t *testing.T, tenant string, want int64) {
	t.Helper()
	require.Eventually(t, func() bool { return s.live(t, tenant) <= want }, 5*time.Second, 5*time.Millisecond,
		"tenant %s: %d live instances, want at most %d", tenant, s.live(t, tenant), want)
}

// percentile returns the p-th percentile (0-100) of ds.
func percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*p/100)]
}

// victim hits a well-behaved tenant's /ok continuously from start until
// stop, recording every reply.
type victim struct {
	stop    chan struct{}
	done    chan struct{}
	replies []reply
}

func startVictim(s *tenancyServer, host string) *victim {
	v := &victim{stop: make(chan struct{}), done: make(chan struct{})}
	client := newClient()
	go func() {
		defer close(v.done)
		for {
			select {
			case <-v.stop:
				return
			default:
			}
			v.replies = append(v.replies, s.fetch(client, host, "/ok"))
		}
	}()
	return v
}

// finish stops the victim and fails t unless every reply was 200 "ok".
func (v *victim) finish(t *testing.T) []time.Duration {
	t.Helper()
	select {
	case <-v.stop:
	default:
		close(v.stop)
	}
	<-v.done
	var lat []time.Duration
	for _, r := range v.replies {
		if r.err != nil || r.status != http.StatusOK || r.body != "ok" {
			t.Errorf("victim got %d %q (err %v) after %s", r.status, r.body, r.err, r.elapsed)
		}
		lat = append(lat, r.elapsed)
	}
	require.NotEmpty(t, lat, "the victim was never served")
	return lat
}
