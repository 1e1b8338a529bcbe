package admin_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/config"
	"github.com/civetbox/civetbox/deploy/admin"
	"github.com/civetbox/civetbox/deploy/admission"
	"github.com/civetbox/civetbox/deploy/api"
	"github.com/civetbox/civetbox/deploy/store"
	"github.com/civetbox/civetbox/deploy/token"
	"github.com/civetbox/civetbox/examples"
	"github.com/civetbox/civetbox/internal/enginetest"
	"github.com/civetbox/civetbox/internal/testguests"
	"github.com/civetbox/civetbox/internal/testutil"
	"github.com/civetbox/civetbox/server"
)

// adminServer is a real server with the admin API on its own listener,
// wired as "civetbox serve --config" wires it.
type adminServer struct {
	appURL, apiURL string
	dir            string // holds the store
	live           *server.Live
	store          *store.Store
	audit          *testutil.SyncBuffer
	logs           *testutil.SyncBuffer
	tokens         map[string]string // "operator", "blog", "shop" -> token
	metrics        *prometheus.Registry
	cfgText        string
	stop           func()
}

// serverSetup varies the configuration of startAdmin.
type serverSetup struct {
	engine string // "" = wazero
	mode   string // "" = fresh
	// noStore turns deploys off.
	noStore bool
	// dir reuses a store directory (a restart).
	dir    string
	tokens map[string]string
}

// eachEngine runs body once per engine compiled into the test binary.
func eachEngine(t *testing.T, body func(t *testing.T, engine string)) { enginetest.EachName(t, body) }

// newEngine makes the engines a configuration names.
var newEngine = enginetest.NewByName

// startAdmin serves two tenants: blog (host blog.test, with the
// configuration module hello.wasm) and shop (host shop.test, nothing but
// what is deployed), each with its own token, and an operator token.
func startAdmin(t *testing.T, s serverSetup) *adminServer {
	t.Helper()
	as := &adminServer{dir: s.dir, tokens: s.tokens, audit: &testutil.SyncBuffer{}, logs: &testutil.SyncBuffer{},
		metrics: prometheus.NewRegistry()}
	if as.dir == "" {
		as.dir = t.TempDir()
	}
	if as.tokens == nil {
		as.tokens = map[string]string{}
		for _, who := range []string{"operator", "blog", "shop"} {
			as.tokens[who], _ = token.New()
		}
	}
	as.cfgText = adminConfig(t, as, s)
	cfg, err := config.Parse(filepath.Join(as.dir, "civetbox.toml"), []byte(as.cfgText))
	require.NoError(t, err)
	as.serve(t, cfg)
	return as
}

func adminConfig(t *testing.T, as *adminServer, s serverSetup) string {
	hello := filepath.Join(t.TempDir(), "hello.wasm")
	require.NoError(t, os.WriteFile(hello, exampleWasm(t, "hello"), 0o600))
	storeLine := fmt.Sprintf("store = %q\n", filepath.Join(as.dir, "store"))
	shopModules := "" // shop serves only what is deployed
	if s.noStore {
		storeLine = ""
		shopModules = fmt.Sprintf("[[tenant.module]]\npath = %q\n", hello)
	}
	tenant := func(name, modules string) string {
		return fmt.Sprintf("[[tenant]]\nname = %q\nhosts = [\"%s.test\"]\nengine = %q\nmode = %q\ntoken_sha256 = [%q]\n%s",
			name, name, or(s.engine, "wazero"), or(s.mode, "fresh"), token.Hash(as.tokens[name]), modules)
	}
	return "[listen]\nhttp = [\"127.0.0.1:0\"]\nadmin = \"127.0.0.1:0\"\n" +
		"[admin]\n" + storeLine + fmt.Sprintf("token_sha256 = [%q]\nmax_module_mib = 1\ncompile_timeout = \"20s\"\n", token.Hash(as.tokens["operator"])) +
		tenant("blog", fmt.Sprintf("[[tenant.module]]\npath = %q\n", hello)) +
		tenant("shop", shopModules)
}

func exampleWasm(t *testing.T, name string) []byte {
	for _, ex := range examples.All() {
		if ex.Name == name {
			return ex.Wasm
		}
	}
	t.Fatalf("no example %q", name)
	return nil
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func (as *adminServer) serve(t *testing.T, cfg *config.Config) {
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(as.logs, nil))
	recent := server.NewRecent()
	opts := server.Options{NewEngine: newEngine, Logger: log, Recent: recent}
	if cfg.Admin.Deploys() {
		st, err := store.Open(cfg.Admin.Store)
		require.NoError(t, err)
		as.store = st
		opts.Deployments = admin.Deployments(st)
	}
	built, err := server.Build(ctx, cfg, opts)
	require.NoError(t, err)
	as.live = server.NewLive(cfg, built)
	api := admin.New(admin.Options{
		Live: as.live, Store: as.store, MaxModuleBytes: int64(cfg.Admin.MaxModuleMiB) << 20,
		Compiler: admission.NewCompiler(1, cfg.Admin.CompileTimeout.Duration),
		Audit:    slog.New(slog.NewJSONHandler(as.audit, nil)), Log: log, Recent: recent, Version: "test",
		Metrics: as.metrics,
	})
	lns, err := server.Listen(cfg, as.live, api.Handler(), built.MaxHeaderBytes, log)
	require.NoError(t, err)
	for _, l := range lns {
		if l.Kind == "admin" {
			as.apiURL = l.URL()
		} else {
			as.appURL = l.URL()
		}
	}
	serveCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- server.Serve(serveCtx, lns, 5*time.Second) }()
	stopped := false
	as.stop = func() {
		if stopped {
			return
		}
		stopped = true
		stop()
		require.NoError(t, <-done)
		require.NoError(t, as.live.Close())
		if as.store != nil {
			require.NoError(t, as.store.Close())
		}
	}
	t.Cleanup(as.stop)
}

// call makes an admin API request as who ("" = no token) and decodes a
// JSON answer into out (if not nil); it returns the status and body, or
// for an error the message and code.
func (as *adminServer) call(t *testing.T, who, method, path string, body []byte, out any) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, as.apiURL+path, bytes.NewReader(body))
	require.NoError(t, err)
	if who != "" {
		tok, ok := as.tokens[who]
		if !ok {
			tok = who // a literal (bad) token
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	if out != nil && resp.StatusCode < 300 {
		require.NoError(t, json.Unmarshal(data, out), string(data))
	}
	var e api.Error
	if resp.StatusCode >= 300 && json.Unmarshal(data, &e) == nil {
		return resp.StatusCode, e.Message + " (" + e.Code + ")"
	}
	return resp.StatusCode, string(data)
}

// get fetches path from tenant's host on the application listener.
func (as *adminServer) get(t *testing.T, tenant, path string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("GET", as.appURL+path, nil)
	require.NoError(t, err)
	req.Host = tenant + ".test"
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(data)
}

func guest(t *testing.T, name string) []byte { return testguests.Read(t, name) }

func sha(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// auditLines are the audit log's lines, decoded.
func (as *adminServer) auditLines(t *testing.T) []map[string]any {
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(as.audit.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &m), line)
		out = append(out, m)
	}
	return out
}

// counter is the value of a counter the API registered.
func (as *adminServer) counter(t *testing.T, name string, labels map[string]string) float64 {
	families, err := as.metrics.Gather()
	require.NoError(t, err)
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			match := true
			for _, l := range m.GetLabel() {
				if v, ok := labels[l.GetName()]; ok && v != l.GetValue() {
					match = false
				}
			}
			if match {
				return m.GetCounter().GetValue()
			}
		}
	}
	t.Fatalf("no counter %s %v", name, labels)
	return 0
}
