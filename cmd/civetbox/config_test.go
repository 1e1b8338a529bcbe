package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/internal/toolchain"
)

// writeTestCert writes a self-signed certificate for 127.0.0.1 and its key
// into dir and returns the certificate's pool.
func writeTestCert(t *testing.T, dir string) *x509.CertPool {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "civetbox test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	keyDER, err := x509.MarshalECPrivateKey(key)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "cert.pem"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "key.pem"), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600))
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return pool
}

// testConfig is a configuration with every listener kind on free ports
// and three tenants: two by host name, one mounted by path.
func testConfig(t *testing.T, dir string) string {
	examples, err := filepath.Abs(filepath.Join("..", "..", "examples"))
	require.NoError(t, err)
	text := strings.ReplaceAll(`
[listen]
http = ["127.0.0.1:0"]
h2c = true
admin = "127.0.0.1:0"
  [[listen.https]]
  address = "127.0.0.1:0"
  cert = "cert.pem"
  key = "key.pem"

[[tenant]]
name = "hello"
hosts = ["hello.test"]
mode = "pooled"
  [[tenant.module]]
  path = "EX/hello/hello.wasm"

[[tenant]]
name = "tools"
hosts = ["tools.test"]
  [tenant.limits]
  max_body_mib = 1
  max_header_kib = 2
  [[tenant.module]]
  path = "EX/echo/echo.wasm"

[[tenant]]
name = "status"
mounts = ["/demo"]
  [[tenant.module]]
  path = "EX/status/status.wasm"
`, "EX", examples)
	path := filepath.Join(dir, "civetbox.toml")
	require.NoError(t, os.WriteFile(path, []byte(text), 0o600))
	return path
}

// configServer is "civetbox serve --config" running, with its listeners.
type configServer struct {
	*cmdServer
	urls map[string]string // kind -> base URL
}

func startConfig(t *testing.T, path string, listeners int) *configServer {
	srv := startCmd(t, "serve", "--config", path, "--cache-dir", "")
	s := &configServer{cmdServer: srv, urls: map[string]string{}}
	re := regexp.MustCompile(`listening on (\S+) \((\w+)\)`)
	require.Eventually(t, func() bool {
		for _, m := range re.FindAllStringSubmatch(srv.stdout.String(), -1) {
			s.urls[m[2]] = m[1]
		}
		return len(s.urls) == listeners
	}, 5*time.Second, 10*time.Millisecond)
	return s
}

func do(t *testing.T, client *http.Client, method, url, host string, body io.Reader, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	require.NoError(t, err)
	req.Host = host
	for i := 0; i < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(b)
}

func TestServe_config(t *testing.T) {
	dir := t.TempDir()
	pool := writeTestCert(t, dir)
	srv := startConfig(t, testConfig(t, dir), 3)
	plain := srv.urls["http"]
	c := http.DefaultClient

	t.Run("tenants by host and by mount", func(t *testing.T) {
		_, body := do(t, c, "GET", plain+"/hello", "hello.test", nil)
		require.Equal(t, "Hello, world!\n", body)
		_, body = do(t, c, "POST", plain+"/echo", "tools.test", strings.NewReader("some data"))
		require.Equal(t, "some data", body)
		resp, _ := do(t, c, "GET", plain+"/demo/status/teapot", "anything", nil)
		require.Equal(t, http.StatusTeapot, resp.StatusCode)
		resp, body = do(t, c, "GET", plain+"/hello", "unknown.test", nil)
		require.Equal(t, http.StatusNotFound, resp.StatusCode, "no tenant: %s", body)
	})
	t.Run("per-tenant limits", func(t *testing.T) {
		resp, _ := do(t, c, "POST", plain+"/echo", "tools.test", strings.NewReader(strings.Repeat("x", 1<<20+1)))
		require.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
		resp, _ = do(t, c, "GET", plain+"/echo", "tools.test", nil, "X-Big", strings.Repeat("y", 3000))
		require.Equal(t, http.StatusRequestHeaderFieldsTooLarge, resp.StatusCode)
		resp, body := do(t, c, "GET", plain+"/hello", "hello.test", nil, "X-Big", strings.Repeat("y", 3000))
		require.Equal(t, http.StatusOK, resp.StatusCode, "another tenant's limit is its own: %s", body)
	})
	t.Run("HTTP/2 over TLS", func(t *testing.T) {
		tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true}
		defer tr.CloseIdleConnections()
		resp, body := do(t, &http.Client{Transport: tr}, "GET", srv.urls["https"]+"/hello", "hello.test", nil)
		require.Equal(t, "Hello, world!\n", body)
		require.Equal(t, 2, resp.ProtoMajor)
	})
	t.Run("cleartext HTTP/2", func(t *testing.T) {
		tr := &http.Transport{Protocols: new(http.Protocols)}
		tr.Protocols.SetUnencryptedHTTP2(true)
		defer tr.CloseIdleConnections()
		resp, body := do(t, &http.Client{Transport: tr}, "GET", plain+"/demo/status", "x", nil)
		require.Equal(t, "OK\n", body)
		require.Equal(t, 2, resp.ProtoMajor)
	})
	t.Run("curl over HTTP/2 with TLS", func(t *testing.T) {
		curl := toolchain.Curl(t)
		out, err := exec.Command(curl, "--silent", "--show-error", "--http2", "--cacert", filepath.Join(dir, "cert.pem"),
			"-H", "Host: hello.test", "-w", "\n%{http_version} %{http_code}", srv.urls["https"]+"/hello").CombinedOutput()
		require.NoError(t, err, "%s", out)
		require.Equal(t, "Hello, world!\n\n2 200", string(out))
	})
	t.Run("curl over cleartext HTTP/2", func(t *testing.T) {
		curl := toolchain.Curl(t)
		out, err := exec.Command(curl, "--silent", "--show-error", "--http2-prior-knowledge",
			"-w", "\n%{http_version} %{http_code}", plain+"/demo/status").CombinedOutput()
		require.NoError(t, err, "%s", out)
		require.Equal(t, "OK\n\n2 200", string(out))
	})
	t.Run("admin health", func(t *testing.T) {
		_, body := do(t, c, "GET", srv.urls["admin"]+"/healthz", "x", nil)
		require.Equal(t, "ok\n", body)
	})
	require.Equal(t, exitOK, srv.stop(t))
}

func TestCheckConfig(t *testing.T) {
	t.Run("the example", func(t *testing.T) {
		code, stdout, stderr := runCmd(t, "check-config", "--cache-dir", "", filepath.Join("..", "..", "examples", "civetbox.toml"))
		require.Equal(t, exitOK, code, stderr)
		require.Contains(t, stdout, "ok, 3 tenants")
	})
	dir := t.TempDir()
	writeTestCert(t, dir)
	path := testConfig(t, dir)
	code, stdout, stderr := runCmd(t, "check-config", "--cache-dir", "", path)
	require.Equal(t, exitOK, code, stderr)
	require.Contains(t, stdout, "ok, 3 tenants")
	require.Contains(t, stdout, "tenant tools: echo.wasm (/echo)")

	text, err := os.ReadFile(path)
	require.NoError(t, err)
	bad := filepath.Join(dir, "bad.toml")
	require.NoError(t, os.WriteFile(bad, []byte(strings.Replace(string(text), "max_body_mib", "max_bodee_mib", 1)), 0o600))
	code, _, stderr = runCmd(t, "check-config", bad)
	require.Equal(t, exitError, code)
	require.Contains(t, stderr, bad+`:22: unknown key "tenant.limits.max_bodee_mib"`)

	notWasm := filepath.Join(dir, "notwasm.toml")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "junk.wasm"), []byte("junk"), 0o600))
	require.NoError(t, os.WriteFile(notWasm, append(text,
		"\n[[tenant]]\nname = \"junk\"\nhosts = [\"junk.test\"]\n  [[tenant.module]]\n  path = \"junk.wasm\"\n"...), 0o600))
	code, _, stderr = runCmd(t, "check-config", "--cache-dir", "", notWasm)
	require.Equal(t, exitError, code)
	require.Contains(t, stderr, `tenant "junk"`)
	require.Contains(t, stderr, "not a WebAssembly module")
}
