package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/config"
)

// writeConfig writes a configuration and a module file it can name
// ("m.wasm") into a temporary directory and returns the file's path.
func writeConfig(t *testing.T, text string) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "m.wasm"), []byte("\x00asm"), 0o644))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "www"), 0o755))
	path := filepath.Join(dir, "civetbox.toml")
	require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
	return path
}

const minimal = `
[listen]
http = ["127.0.0.1:0"]

[[tenant]]
name = "a"
hosts = ["A.example"]
  [[tenant.module]]
  path = "m.wasm"
`

func TestLoad_minimalGetsDefaults(t *testing.T) {
	path := writeConfig(t, minimal)
	c, err := config.Load(path)
	require.NoError(t, err)
	require.Equal(t, config.DefaultAdmin, c.Listen.Admin)
	a := c.Tenants[0]
	require.Equal(t, "wazero", a.Engine)
	require.Equal(t, "fresh", a.Mode)
	require.Equal(t, []string{"a.example"}, a.Hosts, "host names are lower-cased")
	require.Equal(t, filepath.Join(filepath.Dir(path), "m.wasm"), a.Modules[0].Path, "relative to the file")
	require.Equal(t, "m.wasm", a.Modules[0].Name)
	require.Equal(t, config.Defaults, c.Effective(a))
}

func TestLoad_limitsMergeOverDefaults(t *testing.T) {
	c, err := config.Load(writeConfig(t, minimal+`
  [tenant.limits]
  timeout = "5s"
  max_body_mib = 0

[limits]
memory_mib = 64
timeout = "10s"
`))
	require.NoError(t, err)
	e := c.Effective(c.Tenants[0])
	require.Equal(t, 64, e.MemoryMiB, "from [limits]")
	require.Equal(t, 5*time.Second, e.Timeout, "the tenant's own wins")
	require.Equal(t, 0, e.MaxBodyMiB, "0 is a value (no limit), not unset")
	require.Equal(t, config.Defaults.MaxConcurrent, e.MaxConcurrent, "from the defaults")
}

func TestLoad_example(t *testing.T) {
	c, err := config.Load(filepath.Join("..", "examples", "civetbox.toml"))
	require.NoError(t, err)
	require.Len(t, c.Tenants, 3)
	require.Equal(t, []string{"/demo"}, c.Tenants[2].Mounts)
}

// withTenantKey is minimal with line added to its tenant.
func withTenantKey(line string) string {
	return strings.Replace(minimal, `name = "a"`, "name = \"a\"\n"+line, 1)
}

func TestLoad_envAndRealClock(t *testing.T) {
	c, err := config.Load(writeConfig(t, withTenantKey(`env = { GREETING = "hello world", EMPTY = "", URL = "a=b" }
real_clock = true`)))
	require.NoError(t, err)
	a := c.Tenants[0]
	require.Equal(t, config.Env{"GREETING": "hello world", "EMPTY": "", "URL": "a=b"}, a.Env)
	require.True(t, a.RealClock)

	c, err = config.Load(writeConfig(t, minimal+"  [tenant.env]\n  A = \"1\"\n"))
	require.NoError(t, err)
	require.Equal(t, config.Env{"A": "1"}, c.Tenants[0].Env, "as a table of its own")

	c, err = config.Load(writeConfig(t, minimal))
	require.NoError(t, err)
	require.Empty(t, c.Tenants[0].Env, "no environment by default")
	require.False(t, c.Tenants[0].RealClock, "fake clocks by default")
}

// TestLoad_errors: every problem is reported with the file, the key and,
// where the parser knows it or the key can be found, the line.
func TestLoad_errors(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"syntax", "[listen\nhttp = 1", ":2: expected '.' or ']'"},
		{"unknown top-level key", "listen_on = 1\n" + minimal, `:1: unknown key "listen_on"`},
		{"unknown tenant key", strings.Replace(minimal, `name = "a"`, "name = \"a\"\nhostz = [\"x\"]", 1), `:7: unknown key "tenant.hostz"`},
		{"unknown limit", minimal + "  [tenant.limits]\n  memory = 3\n", `:11: unknown key "tenant.limits.memory"`},
		{"wrong type", strings.Replace(minimal, `hosts = ["A.example"]`, `hosts = "A.example"`, 1), "hosts"},
		{"bad duration", minimal + "[limits]\ntimeout = \"soon\"\n", `invalid duration "soon"`},
		{"no listener", strings.Replace(minimal, `http = ["127.0.0.1:0"]`, ``, 1), `listen: no "http" or "https" address`},
		{"bad address", strings.Replace(minimal, `"127.0.0.1:0"`, `"localhost"`, 1), `listen.http "localhost" is not host:port`},
		{"https without key", minimal + "[[listen.https]]\naddress = \":8443\"\ncert = \"m.wasm\"\n", "needs both cert and key"},
		{"no tenants", "[listen]\nhttp = [\":0\"]\n", "no [[tenant]]"},
		{"unreachable tenant", strings.Replace(minimal, `hosts = ["A.example"]`, ``, 1), `tenant "a" has no hosts and no mounts`},
		{"host with port", strings.Replace(minimal, `A.example`, `a.example:80`, 1), `host "a.example:80" is not a host name`},
		{"host twice", minimal + strings.Replace(minimal[strings.Index(minimal, "[[tenant]]"):], `"a"`, `"b"`, 1),
			`tenant "b": host "a.example" is already tenant "a"'s`},
		{"tenant twice", minimal + minimal[strings.Index(minimal, "[[tenant]]"):], `tenant "a" is defined twice`},
		{"relative mount", strings.Replace(minimal, `hosts = ["A.example"]`, `mounts = ["blog"]`, 1), `mount "blog" must be a path`},
		{"dot mount", strings.Replace(minimal, `hosts = ["A.example"]`, `mounts = ["/a/../b"]`, 1), `mount "/a/../b" has a dot segment`},
		{"engine", strings.Replace(minimal, `name = "a"`, "name = \"a\"\nengine = \"v8\"", 1), `engine "v8" is not one of wazero, wasmtime`},
		{"mode", strings.Replace(minimal, `name = "a"`, "name = \"a\"\nmode = \"eager\"", 1), `mode "eager" is not one of fresh, pooled`},
		{"limit range", minimal + "[limits]\nmemory_mib = 0\n", "limits.memory_mib 0 is outside 1-4096"},
		{"tenant limit range", minimal + "  [tenant.limits]\n  timeout = \"0s\"\n", `tenant "a" limits.timeout 0s is outside 1ms-24h0m0s`},
		{"missing module", strings.Replace(minimal, `m.wasm`, `gone.wasm`, 1), `module "gone.wasm": stat `},
		{"no modules", minimal[:strings.Index(minimal, "  [[tenant.module]]")], `tenant "a" has no [[tenant.module]]`},
		{"document root not a dir", minimal + "  document_root = \"m.wasm\"\n", "document_root: "},
		{"env name with =", withTenantKey(`env = { "A=B" = "x" }`), `tenant "a": env name "A=B" must be non-empty, without '=' or NUL`},
		{"empty env name", withTenantKey(`env = { "" = "x" }`), `tenant "a": env name "" must be non-empty`},
		{"env name with NUL", withTenantKey(`env = { "A\u0000" = "x" }`), `tenant "a": env name "A\x00" must be non-empty`},
		{"env value with NUL", withTenantKey(`env = { A = "x\u0000y" }`), `tenant "a": env.A value contains NUL`},
		{"env not a table", withTenantKey(`env = "A=1"`), `:7: env must be a table like env = { NAME = "value" } (got string)`},
		{"env value not a string", withTenantKey(`env = { A = 1 }`), `:7: env.A must be a string (got int64)`},
		{"real_clock not a bool", withTenantKey(`real_clock = "yes"`), "real_clock"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeConfig(t, tc.text)
			_, err := config.Load(path)
			require.Error(t, err)
			require.Contains(t, err.Error(), "config: "+path)
			require.Contains(t, err.Error(), tc.want)
		})
	}
}
