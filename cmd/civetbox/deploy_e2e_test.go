//go:build unix

package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/config"
	"github.com/civetbox/civetbox/deploy/token"
	"github.com/civetbox/civetbox/internal/testguests"
	"github.com/civetbox/civetbox/internal/testutil"
)

// TestMain lets a test run this binary as "civetbox serve" in a process of
// its own, to kill it with SIGKILL.
func TestMain(m *testing.M) {
	if os.Getenv("CIVETBOX_TEST_SERVE") == "1" {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// serverProcess is "civetbox serve --config" in a child process.
type serverProcess struct {
	cmd           *exec.Cmd
	stdout        *testutil.SyncBuffer
	app, adminAPI string
}

func startProcess(t *testing.T, config string) *serverProcess {
	t.Helper()
	p := &serverProcess{stdout: &testutil.SyncBuffer{}}
	p.cmd = exec.Command(os.Args[0], "serve", "--config", config, "--cache-dir", "")
	p.cmd.Env = append(os.Environ(), "CIVETBOX_TEST_SERVE=1")
	p.cmd.Stdout, p.cmd.Stderr = p.stdout, p.stdout
	require.NoError(t, p.cmd.Start())
	t.Cleanup(func() { _ = p.cmd.Process.Kill(); _ = p.cmd.Wait() })
	re := regexp.MustCompile(`listening on (\S+) \((\w+)\)`)
	require.Eventually(t, func() bool {
		for _, m := range re.FindAllStringSubmatch(p.stdout.String(), -1) {
			if m[2] == "admin" {
				p.adminAPI = m[1]
			} else {
				p.app = m[1]
			}
		}
		return p.app != "" && p.adminAPI != ""
	}, 20*time.Second, 10*time.Millisecond, "output: %s", p.stdout)
	return p
}

func (p *serverProcess) kill(t *testing.T) {
	require.NoError(t, p.cmd.Process.Kill())
	_ = p.cmd.Wait()
}

// deployConfig writes a configuration with a module store and a tenant
// "shop" whose token is tok.
func deployConfig(t *testing.T, tok string) string {
	dir := t.TempDir()
	text := fmt.Sprintf("[listen]\nhttp = [\"127.0.0.1:0\"]\nadmin = \"127.0.0.1:0\"\n[log]\naccess = \"off\"\n"+
		"[admin]\nstore = %q\naudit = %q\n[[tenant]]\nname = \"shop\"\nhosts = [\"shop.test\"]\ntoken_sha256 = [%q]\n",
		filepath.Join(dir, "store"), filepath.Join(dir, "audit.log"), token.Hash(tok))
	path := filepath.Join(dir, "civetbox.toml")
	require.NoError(t, os.WriteFile(path, []byte(text), 0o600))
	return path
}

// cli runs a civetbox command in this process and returns its exit code
// and output.
func cli(t *testing.T, tok string, args ...string) (int, string) {
	t.Helper()
	t.Setenv("CIVETBOX_TOKEN", tok)
	var out bytes.Buffer
	code := run(context.Background(), args, &out, &out)
	return code, out.String()
}

// TestDeploy_killedMidUploadKeepsServing: deploy with the CLI, then kill
// the server with SIGKILL while a second version is being uploaded; after
// a restart the first version serves and the store is intact.
func TestDeploy_killedMidUploadKeepsServing(t *testing.T) {
	tok, _ := token.New()
	config := deployConfig(t, tok)
	p := startProcess(t, config)
	code, out := cli(t, tok, "deploy", "--admin", p.adminAPI, "--tenant", "shop", "--name", "app", "--route", "/app",
		testguests.Path("deploy.wasm"))
	require.Equal(t, exitOK, code, out)
	require.Contains(t, out, "version 1")
	require.Equal(t, "v1", hostGet(t, p.app+"/app/version", "shop.test"))

	// Half of version 2 is on the wire when the server dies.
	v2 := testguests.Read(t, "deploy_v2.wasm")
	u, err := url.Parse(p.adminAPI)
	require.NoError(t, err)
	conn, err := net.Dial("tcp", u.Host)
	require.NoError(t, err)
	defer conn.Close()
	_, err = fmt.Fprintf(conn, "POST /v1/tenants/shop/modules/app?activate=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Length: %d\r\n\r\n",
		tok, len(v2))
	require.NoError(t, err)
	_, err = conn.Write(v2[:len(v2)/2])
	require.NoError(t, err)
	time.Sleep(100 * time.Millisecond)
	p.kill(t)
	_, err = io.ReadAll(conn)
	require.NoError(t, err, "the connection ends with the process")

	again := startProcess(t, config)
	require.Equal(t, "v1", hostGet(t, again.app+"/app/version", "shop.test"), "the previous version serves")
	code, out = cli(t, tok, "modules", "ls", "--admin", again.adminAPI, "--tenant", "shop")
	require.Equal(t, exitOK, code, out)
	require.Regexp(t, `app\s+1\s+1\s`, out, "one version, active")

	// The restarted server takes deploys and rollbacks as before.
	code, out = cli(t, tok, "deploy", "--admin", again.adminAPI, "--tenant", "shop", "--name", "app", testguests.Path("deploy_v2.wasm"))
	require.Equal(t, exitOK, code, out)
	require.Equal(t, "v2", hostGet(t, again.app+"/app/version", "shop.test"))
	code, out = cli(t, tok, "modules", "rollback", "--admin", again.adminAPI, "--tenant", "shop", "app")
	require.Equal(t, exitOK, code, out)
	require.Equal(t, "v1", hostGet(t, again.app+"/app/version", "shop.test"))

	code, out = cli(t, tok, "deploy", "--admin", again.adminAPI, "--tenant", "shop", testguests.Path("bad/bad_import.wasm"))
	require.Equal(t, exitError, code, out)
	require.Contains(t, out, `imports "env"`)
	code, out = cli(t, "cbx_wrong", "modules", "ls", "--admin", again.adminAPI, "--tenant", "shop")
	require.Equal(t, exitError, code, out)
	require.NotContains(t, out, "cbx_wrong")
	again.kill(t)
	code, _ = cli(t, tok, "modules", "ls", "--admin", again.adminAPI, "--tenant", "shop")
	require.Equal(t, exitUnavailable, code, "a server that is gone is exit 3")

	audit, err := os.ReadFile(filepath.Join(filepath.Dir(config), "audit.log"))
	require.NoError(t, err)
	require.True(t, strings.Contains(string(audit), `"action":"rollback"`), string(audit))
}

// TestDeploy_overTLS: with [admin] cert and key the admin API is HTTPS;
// the CLI trusts it with --cacert and refuses it without.
func TestDeploy_overTLS(t *testing.T) {
	tok, _ := token.New()
	config := deployConfig(t, tok)
	dir := filepath.Dir(config)
	writeTestCert(t, dir)
	text, err := os.ReadFile(config)
	require.NoError(t, err)
	text = bytes.Replace(text, []byte("[admin]\n"), []byte("[admin]\ncert = \"cert.pem\"\nkey = \"key.pem\"\n"), 1)
	require.NoError(t, os.WriteFile(config, text, 0o600))
	cs := startConfig(t, config, 2)
	defer cs.stop(t)
	require.True(t, strings.HasPrefix(cs.urls["admin"], "https://"), cs.urls["admin"])

	code, out := cli(t, tok, "deploy", "--admin", cs.urls["admin"], "--tenant", "shop", "--name", "app",
		testguests.Path("deploy.wasm"))
	require.Equal(t, exitUnavailable, code, "an unknown certificate is refused: %s", out)
	code, out = cli(t, tok, "deploy", "--admin", cs.urls["admin"], "--cacert", filepath.Join(dir, "cert.pem"),
		"--tenant", "shop", "--name", "app", "--route", "/app", testguests.Path("deploy.wasm"))
	require.Equal(t, exitOK, code, out)
	require.Equal(t, "v1", hostGet(t, cs.urls["http"]+"/app/version", "shop.test"))
}

// TestDeploy_survivesReload: a SIGHUP rebuilds every tenant from the file
// and the store, so deployed modules and bindings keep serving.
func TestDeploy_survivesReload(t *testing.T) {
	tok, _ := token.New()
	config := deployConfig(t, tok)
	cs := startConfig(t, config, 2)
	defer cs.stop(t)
	code, out := cli(t, tok, "deploy", "--admin", cs.urls["admin"], "--tenant", "shop", "--name", "app", "--route", "/app",
		testguests.Path("deploy.wasm"))
	require.Equal(t, exitOK, code, out)
	require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGHUP))
	require.Eventually(t, func() bool { return strings.Contains(cs.stdout.String(), "reloaded tenant shop: app (/version /slow)") },
		10*time.Second, 10*time.Millisecond, "stdout: %s", cs.stdout)
	require.Equal(t, "v1", hostGet(t, cs.urls["http"]+"/app/version", "shop.test"))
}

func TestWarnClearTextAdmin(t *testing.T) {
	for addr, warns := range map[string]bool{
		"127.0.0.1:9090": false, "[::1]:9090": false, "localhost:9090": false, "off": false,
		"0.0.0.0:9090": true, ":9090": true, "10.1.2.3:9090": true, "admin.example:9090": true,
	} {
		var out bytes.Buffer
		cfg := &config.Config{Listen: config.Listeners{Admin: addr}}
		warnClearTextAdmin(cfg, slog.New(slog.NewTextHandler(&out, nil)))
		require.Equal(t, warns, strings.Contains(out.String(), "clear text"), addr)
		cfg.Admin.Cert = "cert.pem"
		out.Reset()
		warnClearTextAdmin(cfg, slog.New(slog.NewTextHandler(&out, nil)))
		require.Empty(t, out.String(), "TLS: no warning for %s", addr)
	}
}
