package config_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/config"
)

const hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

func TestLoad_adminDefaultsAndPaths(t *testing.T) {
	withToken := strings.Replace(minimal, `name = "a"`, "name = \"a\"\ntoken_sha256 = [\""+hash+"\"]", 1)
	operator := strings.Repeat("0", 64)
	path := writeConfig(t, withToken+"[admin]\nstore = \"store\"\ntoken_sha256 = [\""+operator+"\"]\n")
	c, err := config.Load(path)
	require.NoError(t, err)
	require.True(t, c.Admin.Deploys())
	require.Equal(t, filepath.Join(filepath.Dir(path), "store"), c.Admin.Store)
	require.Equal(t, config.DefaultMaxModuleMiB, c.Admin.MaxModuleMiB)
	require.Equal(t, 30*time.Second, c.Admin.CompileTimeout.Duration)
	require.Equal(t, 1, c.Admin.CompileWorkers)
	require.Equal(t, config.AuditStderr, c.Admin.Audit)
	require.Equal(t, []string{hash}, c.Tenants[0].TokenSHA256)

	off, err := config.Load(writeConfig(t, minimal))
	require.NoError(t, err)
	require.False(t, off.Admin.Deploys(), "deploys are off without a store")
}

func TestLoad_tenantWithoutModulesNeedsAStore(t *testing.T) {
	bare := minimal[:strings.Index(minimal, "  [[tenant.module]]")]
	_, err := config.Load(writeConfig(t, bare+"[admin]\nstore = \"store\"\n"))
	require.NoError(t, err, "a tenant may start empty and be deployed to")
}

func TestLoad_adminErrors(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"operator hash", minimal + "[admin]\ntoken_sha256 = [\"secret\"]\n", `admin: token_sha256: token hash "secret" is not 64 lower-case hex digits`},
		{"tenant hash", strings.Replace(minimal, `name = "a"`, "name = \"a\"\ntoken_sha256 = [\""+strings.ToUpper(hash)+"\"]", 1), `tenant "a": token_sha256`},
		{"module cap", minimal + "[admin]\nmax_module_mib = 2000\n", "max_module_mib 2000 is outside 1-1024"},
		{"compile timeout", minimal + "[admin]\ncompile_timeout = \"-1s\"\n", "compile_timeout -1s is negative"},
		{"cert without key", minimal + "[admin]\ncert = \"m.wasm\"\n", "admin: needs both cert and key"},
		{"store parent", minimal + "[admin]\nstore = \"no/such/store\"\n", "admin.store (its parent)"},
		{"upload dir in the store", minimal + "  upload_dir = \"www\"\n[admin]\nstore = \"www/store\"\n", "upload_dir "},
		{"unknown key", minimal + "[admin]\ntoken = \"x\"\n", `unknown key "admin.token"`},
		{"shared token", strings.Replace(minimal, `name = "a"`, "name = \"a\"\ntoken_sha256 = [\""+hash+"\"]", 1) +
			"[admin]\ntoken_sha256 = [\"" + hash + "\"]\n", `token_sha256 9f86d081884c… is given to both [admin] and tenant "a"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := config.Load(writeConfig(t, tc.text))
			require.ErrorContains(t, err, tc.want)
		})
	}
}
