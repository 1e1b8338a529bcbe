package main

import (
	"encoding/json"
	"encoding/pem"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/deploy/api"
)

// deployed starts a fake admin API holding blog/hello versions 1 and 2
// (2 active) and blog/world version 1.
func deployed(t *testing.T) *fakeAdmin {
	f, _ := startFakeAdmin(t)
	for _, args := range [][]string{{"hello.wasm", "v1"}, {"hello.wasm", "v2"}, {"world.wasm", "w1"}} {
		code, _, stderr := runCmd(t, "deploy", "--tenant", "blog", "--route", "/"+args[1], writeModule(t, args[0], args[1]))
		require.Equal(t, exitOK, code, stderr)
	}
	return f
}

// TestModules_table runs the subcommands in order on one server.
func TestModules_table(t *testing.T) {
	deployed(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"ls"}, "MODULE  ACTIVE  VERSIONS  SOURCE\nhello   2       2         store\nworld   1       1         store\n"},
		{[]string{"routes"}, "HOST  PREFIX  MODULE  SOURCE\n*     /v1     hello   store\n*     /v2     hello   store\n*     /w1     world   store\n"},
		{[]string{"show", "hello"}, "module  blog/hello (store)\nactive  2\n\n" +
			"VERSION  SHA256         SIZE  UPLOADED              BY        ACTIVE\n" +
			"1        3bfc269594ef…  2 B   2026-11-25 12:00:00Z  operator  no\n" +
			"2        fb04dcb6970e…  2 B   2026-11-25 12:00:00Z  operator  yes\n"},
		{[]string{"show", "hello", "2"}, "module       blog/hello\nversion      2\nactive       yes\n" +
			"sha256       fb04dcb6970e4c3d1873de51fd5a50d7bb46b3383113602665c350ec40b5f990\n" +
			"size         2 B (2 bytes)\nabi version  1\nexports      civetbox_abi_dispatch\n" +
			"imports      civetweb.mg_write\nuploaded     2026-11-25 12:00:00Z by operator\n"},
		{[]string{"rollback", "hello"}, "rolled back blog/hello to version 1\n"},
		{[]string{"activate", "hello", "2"}, "activated blog/hello version 2\n"},
		{[]string{"rm", "hello", "1"}, "deleted blog/hello version 1\n"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			args := append([]string{"modules"}, tc.args...)
			code, stdout, stderr := runCmd(t, append(args, "--tenant", "blog")...)
			require.Equal(t, exitOK, code, stderr)
			require.Equal(t, tc.want, stdout)
		})
	}
}

func TestModules_json(t *testing.T) {
	deployed(t)
	tests := []struct {
		args []string
		into any
	}{
		{[]string{"ls"}, &api.ModuleList{}},
		{[]string{"show", "hello"}, &api.Module{}},
		{[]string{"show", "hello", "1"}, &api.Version{}},
		{[]string{"rollback", "hello"}, &api.Module{}},
		{[]string{"activate", "hello", "1"}, &api.Module{}},
		{[]string{"routes"}, &api.RouteList{}},
		{[]string{"rm", "hello", "2"}, &deleted{}},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			args := append([]string{"modules", "--json", "--tenant", "blog"}, tc.args...)
			code, stdout, stderr := runCmd(t, args...)
			require.Equal(t, exitOK, code, stderr)
			dec := json.NewDecoder(strings.NewReader(stdout))
			dec.DisallowUnknownFields()
			require.NoError(t, dec.Decode(tc.into), stdout)
		})
	}
	_, stdout, _ := runCmd(t, "modules", "ls", "--json", "--tenant", "nobody")
	require.JSONEq(t, `{"modules":[]}`, stdout, "an empty list is [], not null")
}

func TestModules_exitCodes(t *testing.T) {
	deployed(t)
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"show", "nothing"}, exitError, `civetbox modules show: refused (404 not_found): no module "nothing"`},
		{[]string{"rm", "hello", "2"}, exitError, "civetbox modules rm: refused (409 conflict): version 2 is active"},
		{[]string{"activate", "hello", "9"}, exitError, "refused (404 not_found): no version 9"},
		{[]string{"frob"}, exitUsage, `civetbox modules: unknown subcommand "frob"`},
		{[]string{"ls", "extra"}, exitUsage, "civetbox modules ls: want no arguments, got 1"},
		{[]string{"ls", "--bogus"}, exitUsage, "civetbox modules: flag provided but not defined: -bogus"},
		{[]string{"show"}, exitUsage, "civetbox modules show: want 1 to 2 arguments, got 0"},
		{[]string{"activate", "hello"}, exitUsage, "want 2 arguments, got 1"},
		{[]string{"activate", "hello", "latest"}, exitUsage, `version "latest" is not a number from 1 up`},
		{[]string{"rm", "hello", "0"}, exitUsage, `version "0" is not a number from 1 up`},
		{[]string{"ls", "--admin", closedAddr(t)}, exitUnavailable, "civetbox modules ls: cannot talk to the admin API (GET http://"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			args := append([]string{"modules"}, tc.args...)
			code, stdout, stderr := runCmd(t, append(args, "--tenant", "blog")...)
			require.Equal(t, tc.code, code, stderr)
			require.Contains(t, stderr, tc.want)
			require.Empty(t, stdout)
			require.NotContains(t, stderr, testToken)
		})
	}
	code, _, stderr := runCmd(t, "modules", "ls")
	require.Equal(t, exitUsage, code)
	require.Contains(t, stderr, "civetbox modules ls: --tenant is required")
	code, _, _ = runCmd(t, "modules")
	require.Equal(t, exitUsage, code)
}

// TestModules_caCert: an admin listener with its own certificate is
// trusted through --cacert.
func TestModules_caCert(t *testing.T) {
	f := &fakeAdmin{modules: map[string]*api.Module{}}
	srv := httptest.NewTLSServer(f.handler())
	defer srv.Close()
	t.Setenv(envToken, testToken)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	require.NoError(t, os.WriteFile(caFile, cert, 0o600))

	code, stdout, stderr := runCmd(t, "modules", "ls", "--tenant", "blog", "--admin", srv.URL, "--cacert", caFile)
	require.Equal(t, exitOK, code, stderr)
	require.Equal(t, "MODULE  ACTIVE  VERSIONS  SOURCE\n", stdout)
}

// TestAdminHelp_neverShowsToken: -h prints the flags' defaults, which must
// not include the token from the environment.
func TestAdminHelp_neverShowsToken(t *testing.T) {
	t.Setenv(envToken, testToken)
	for _, args := range [][]string{{"deploy", "-h"}, {"modules", "ls", "-h"}} {
		code, _, stderr := runCmd(t, args...)
		require.Equal(t, exitOK, code)
		require.Contains(t, stderr, "Exit codes: 0 done; 1 the server refused")
		require.NotContains(t, stderr, testToken)
	}
}
