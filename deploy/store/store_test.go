package store_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/deploy/api"
	"github.com/civetbox/civetbox/deploy/store"
)

func TestRoundTrip_reopenShowsTheSameState(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	at := time.Date(2026, 1, 2, 3, 4, 5, 6, time.FixedZone("x", 3600))
	v1, err := s.Put("acme", "hello", []byte("one"), store.VersionInfo{ABIVersion: 1, Exports: []string{"init"}, UploadedAt: at, UploadedBy: "operator"})
	require.NoError(t, err)
	require.Equal(t, 1, v1.Version)
	require.Equal(t, int64(3), v1.Size)
	require.Equal(t, at.UTC(), v1.UploadedAt)
	v2, err := s.Put("acme", "hello", []byte("two"), store.VersionInfo{Imports: []string{"env.mg_write"}})
	require.NoError(t, err)
	require.Equal(t, 2, v2.Version)
	_, err = s.Put("acme", "other", []byte("one"), store.VersionInfo{})
	require.NoError(t, err)
	_, err = s.Put("beta", "x", []byte("three"), store.VersionInfo{})
	require.NoError(t, err)

	require.NoError(t, s.Activate("acme", "hello", 1))
	require.NoError(t, s.Activate("acme", "hello", 2))
	back, err := s.Rollback("acme", "hello")
	require.NoError(t, err)
	require.Equal(t, v1, back)
	require.NoError(t, s.Activate("acme", "other", 1))
	require.NoError(t, s.Delete("beta", "x", 1))
	require.NoError(t, s.Bind("acme", store.Route{Prefix: "/hello", Module: "hello"}))
	require.NoError(t, s.Bind("acme", store.Route{Host: "a.example", Prefix: "/", Module: "other"}))
	require.NoError(t, s.Bind("gamma", store.Route{Prefix: "/", Module: "cfg"}))

	before := snap(s)
	require.Equal(t, []string{"acme", "gamma"}, before.Tenants, "beta has nothing left")
	require.NoError(t, s.Close())

	s2 := open(t, dir)
	require.Equal(t, before, snap(s2))
	requireTidy(t, s2)
	got, err := s2.Read(v1.SHA256)
	require.NoError(t, err)
	require.Equal(t, "one", string(got))
}

func TestRestart_servesExactlyTheActiveVersions(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	for i, body := range []string{"a1", "a2", "a3"} {
		_, err := s.Put("t", "a", []byte(body), store.VersionInfo{})
		require.NoError(t, err)
		require.NoError(t, s.Activate("t", "a", i+1))
	}
	_, err := s.Put("t", "b", []byte("b1"), store.VersionInfo{}) // never active
	require.NoError(t, err)
	_, err = s.Put("t", "c", []byte("c1"), store.VersionInfo{})
	require.NoError(t, err)
	require.NoError(t, s.Activate("t", "c", 1))
	require.NoError(t, s.Close())

	s2 := open(t, dir)
	served := map[string]string{}
	for _, a := range s2.Active("t") {
		data, err := s2.Read(a.Version.SHA256)
		require.NoError(t, err)
		served[a.Name] = string(data)
	}
	require.Equal(t, map[string]string{"a": "a3", "c": "c1"}, served)
}

func TestActivateRollback_historyStack(t *testing.T) {
	s := open(t, t.TempDir())
	for range 3 {
		_, err := s.Put("t", "m", []byte(t.Name()+time.Now().String()), store.VersionInfo{})
		require.NoError(t, err)
	}
	_, err := s.Rollback("t", "m")
	require.ErrorIs(t, err, store.ErrNoPrevious, "nothing active yet")
	for _, v := range []int{1, 2, 3, 3} {
		require.NoError(t, s.Activate("t", "m", v))
	}
	for _, want := range []int{2, 1} {
		prev, err := s.Previous("t", "m")
		require.NoError(t, err)
		require.Equal(t, want, prev.Version, "Previous names what Rollback will activate")
		got, err := s.Rollback("t", "m")
		require.NoError(t, err)
		require.Equal(t, want, got.Version)
		m, err := s.Module("t", "m")
		require.NoError(t, err)
		require.Equal(t, want, m.Active)
	}
	_, err = s.Rollback("t", "m")
	require.ErrorIs(t, err, store.ErrNoPrevious)
	require.ErrorContains(t, err, `module "m"`)
	_, err = s.Previous("t", "m")
	require.ErrorIs(t, err, store.ErrNoPrevious)
}

func TestDelete(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	for _, body := range []string{"same", "same", "other"} {
		_, err := s.Put("t", "m", []byte(body), store.VersionInfo{})
		require.NoError(t, err)
	}
	require.Len(t, entries(t, filepath.Join(dir, "blobs")), 2, "equal bytes share one blob")
	require.NoError(t, s.Activate("t", "m", 1))
	require.NoError(t, s.Activate("t", "m", 3))
	require.NoError(t, s.Activate("t", "m", 2))

	require.ErrorIs(t, s.Delete("t", "m", 2), store.ErrActive)
	require.ErrorIs(t, s.Delete("t", "m", 9), store.ErrNotFound)
	require.NoError(t, s.Delete("t", "m", 3))
	requireTidy(t, s)
	back, err := s.Rollback("t", "m")
	require.NoError(t, err)
	require.Equal(t, 1, back.Version, "a deleted version leaves the history")
	require.NoError(t, s.Delete("t", "m", 2))
	requireTidy(t, s)
	require.Len(t, entries(t, filepath.Join(dir, "blobs")), 1, "version 1 still uses the shared blob")

	_, err = s.Put("t", "n", []byte("n"), store.VersionInfo{})
	require.NoError(t, err)
	require.NoError(t, s.Delete("t", "n", 1))
	_, err = s.Module("t", "n")
	require.ErrorIs(t, err, store.ErrNotFound, "a module without versions is gone")
	requireTidy(t, s)
	v, err := s.Put("t", "n", []byte("n again"), store.VersionInfo{})
	require.NoError(t, err)
	require.Equal(t, 2, v.Version, "numbers are never given twice")
}

func TestNotFound(t *testing.T) {
	s := open(t, t.TempDir())
	_, err := s.Put("t", "m", []byte("x"), store.VersionInfo{})
	require.NoError(t, err)
	for name, err := range map[string]error{
		"activate module":  s.Activate("t", "nope", 1),
		"activate version": s.Activate("t", "m", 2),
		"activate tenant":  s.Activate("nope", "m", 1),
		"delete":           s.Delete("t", "m", 0),
		"unbind":           s.Unbind("t", "", "/"),
		"module":           second(s.Module("t", "nope")),
		"version":          second(s.Version("t", "m", 7)),
		"rollback":         second(s.Rollback("t", "nope")),
		"read":             second(s.Read(strings.Repeat("0", 64))),
	} {
		require.ErrorIs(t, err, store.ErrNotFound, name)
		require.True(t, strings.HasPrefix(err.Error(), "store: "), err.Error())
	}
	require.Nil(t, s.Modules("nope"))
	require.Nil(t, s.Active("nope"))
	require.Nil(t, s.Routes("nope"))
}

func second[T any](_ T, err error) error { return err }

func TestNames_invalidAreRefusedByValue(t *testing.T) {
	s := open(t, t.TempDir())
	for _, tc := range []struct{ tenant, module, value string }{
		{"", "m", `tenant name ""`},
		{strings.Repeat("t", 65), "m", "tenant name"},
		{"a/b", "m", `tenant name "a/b"`},
		{"a\x00b", "m", `tenant name "a\x00b"`},
		{"t", "", `module name ""`},
		{"t", ".hidden", `module name ".hidden"`},
		{"t", "-flag", `module name "-flag"`},
		{"t", "a/b", `module name "a/b"`},
		{"t", "sp ace", `module name "sp ace"`},
		{"t", strings.Repeat("m", 65), "module name"},
	} {
		_, err := s.Put(tc.tenant, tc.module, []byte("x"), store.VersionInfo{})
		require.ErrorIs(t, err, store.ErrInvalid)
		require.ErrorContains(t, err, tc.value)
		if tc.tenant == "t" {
			require.ErrorIs(t, store.CheckModuleName(tc.module), store.ErrInvalid, "CheckModuleName agrees with Put")
		}
	}
	for _, ok := range [][2]string{{"Acme Corp", "a.b_c-d"}, {"t", strings.Repeat("m", 64)}, {"é", "_x"}} {
		_, err := s.Put(ok[0], ok[1], []byte("x"), store.VersionInfo{})
		require.NoError(t, err, ok)
	}
	_, err := s.Read("../state.json")
	require.ErrorIs(t, err, store.ErrInvalid)
}

func TestRoutes(t *testing.T) {
	s := open(t, t.TempDir())
	for _, r := range []store.Route{
		{Host: "b.example", Prefix: "/", Module: "m1"},
		{Prefix: "/z", Module: "m1"},
		{Prefix: "/a", Module: "m1"},
		{Prefix: "/a", Module: "m2"}, // replaces
	} {
		require.NoError(t, s.Bind("t", r))
	}
	require.Equal(t, []store.Route{
		{Prefix: "/a", Module: "m2"},
		{Prefix: "/z", Module: "m1"},
		{Host: "b.example", Prefix: "/", Module: "m1"},
	}, s.Routes("t"))
	require.NoError(t, s.Unbind("t", "", "/z"))
	require.ErrorIs(t, s.Unbind("t", "", "/z"), store.ErrNotFound)
	require.Len(t, s.Routes("t"), 2)

	for _, bad := range []store.Route{
		{Prefix: "nope", Module: "m"},
		{Prefix: "/a b", Module: "m"},
		{Prefix: "/\n", Module: "m"},
		{Host: "a/b", Prefix: "/", Module: "m"},
		{Prefix: "/", Module: ".m"},
	} {
		require.ErrorIs(t, s.Bind("t", bad), store.ErrInvalid, bad)
	}
}

func TestOpen_secondOpenFailsWhileTheFirstIsOpen(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	_, err := store.Open(dir)
	require.ErrorIs(t, err, store.ErrLocked)
	require.ErrorContains(t, err, filepath.Join(dir, "lock"))
	require.NoError(t, s.Close())
	s2 := open(t, dir)
	require.NoError(t, s2.Close())
}

func TestClose_refusesLaterMutations(t *testing.T) {
	s := open(t, t.TempDir())
	_, err := s.Put("t", "m", []byte("x"), store.VersionInfo{})
	require.NoError(t, err)
	require.NoError(t, s.Close())
	require.NoError(t, s.Close(), "twice is fine")
	_, err = s.Put("t", "m", []byte("y"), store.VersionInfo{})
	require.ErrorIs(t, err, store.ErrClosed)
	require.ErrorIs(t, s.Activate("t", "m", 1), store.ErrClosed)
	require.Len(t, s.Modules("t"), 1, "queries still answer")
}

func TestOpen_createsPrivateDirectoryAndFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "store")
	s := open(t, dir)
	_, err := s.Put("t", "m", []byte("x"), store.VersionInfo{})
	require.NoError(t, err)
	for path, want := range map[string]os.FileMode{
		dir: 0o700 | os.ModeDir, filepath.Join(dir, "blobs"): 0o700 | os.ModeDir,
		filepath.Join(dir, "tmp"): 0o700 | os.ModeDir, filepath.Join(dir, "state.json"): 0o600,
		filepath.Join(dir, "lock"): 0o600,
	} {
		fi, err := os.Stat(path)
		require.NoError(t, err)
		require.Equal(t, want, fi.Mode(), path)
	}
}

func TestAPI_conversion(t *testing.T) {
	s := open(t, t.TempDir())
	_, err := s.Put("t", "m", []byte("x"), store.VersionInfo{UploadedBy: "tenant:t"})
	require.NoError(t, err)
	require.NoError(t, s.Activate("t", "m", 1))
	m, err := s.Module("t", "m")
	require.NoError(t, err)
	a := m.API()
	require.Equal(t, api.SourceStore, a.Source)
	require.Equal(t, 1, a.Active)
	require.True(t, a.Versions[0].Active)
	require.Equal(t, []string{}, a.Versions[0].Exports)
	require.Equal(t, "tenant:t", a.Versions[0].UploadedBy)
}
