package store_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/deploy/store"
)

const sha0 = "0000000000000000000000000000000000000000000000000000000000000000"

func TestOpen_refusesDamagedState(t *testing.T) {
	version := func(v, next int, sha string) string {
		return `{"format":1,"tenants":{"t":{"modules":{"m":{"next":` + strconv.Itoa(next) +
			`,"versions":[{"version":` + strconv.Itoa(v) + `,"sha256":"` + sha + `","size":0,"abi_version":0,"uploaded_at":"2026-01-01T00:00:00Z"}]}}}}}`
	}
	for _, tc := range []struct{ name, content, want string }{
		{"empty", "", "corrupt: unexpected end of JSON input"},
		{"truncated", `{"format":1,"tenants":{`, "corrupt: unexpected end"},
		{"garbage", "\x00\x01", "corrupt: invalid character"},
		{"trailing", `{"format":1}{}`, "corrupt: invalid character '{' after top-level value"},
		{"no format", `{"tenants":{}}`, "corrupt: no format version"},
		{"unknown format", `{"format":7,"tenants":{}}`, "unknown format version 7 (this civetbox reads 1)"},
		{"unknown field", `{"format":1,"tenants":{},"extra":1}`, `corrupt: json: unknown field "extra"`},
		{"bad tenant", `{"format":1,"tenants":{"a/b":{}}}`, `tenant name "a/b"`},
		{"bad module", `{"format":1,"tenants":{"t":{"modules":{"../x":{"next":1}}}}}`, `module name "../x"`},
		{"bad sha", version(1, 2, "../../etc/passwd"), `sha256 "../../etc/passwd"`},
		{"version not below next", version(3, 3, sha0), "version 3 out of order or not below next 3"},
		{"active missing", `{"format":1,"tenants":{"t":{"modules":{"m":{"next":1,"active":4}}}}}`, "active version 4 does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "state.json")
			require.NoError(t, os.WriteFile(path, []byte(tc.content), 0o600))
			_, err := store.Open(dir)
			require.ErrorContains(t, err, "store: "+path+": ")
			require.ErrorContains(t, err, tc.want)
			_, again := store.Open(dir)
			require.Equal(t, err.Error(), again.Error(), "the failed Open released the lock")
		})
	}
}

func putOne(t *testing.T, dir string) store.VersionInfo {
	t.Helper()
	s := open(t, dir)
	v, err := s.Put("acme", "hello", []byte("hello wasm"), store.VersionInfo{})
	require.NoError(t, err)
	require.NoError(t, s.Activate("acme", "hello", 1))
	require.NoError(t, s.Close())
	return v
}

func TestOpen_missingBlobIsNamed(t *testing.T) {
	dir := t.TempDir()
	v := putOne(t, dir)
	require.NoError(t, os.Remove(filepath.Join(dir, "blobs", v.SHA256+".wasm")))
	_, err := store.Open(dir)
	require.ErrorIs(t, err, store.ErrNotFound)
	require.ErrorContains(t, err, `tenant "acme" module "hello" version 1: blob `+v.SHA256+".wasm is missing")
}

func TestOpen_truncatedBlobIsNamed(t *testing.T) {
	dir := t.TempDir()
	v := putOne(t, dir)
	require.NoError(t, os.Truncate(filepath.Join(dir, "blobs", v.SHA256+".wasm"), 3))
	_, err := store.Open(dir)
	require.ErrorIs(t, err, store.ErrCorrupt)
	require.ErrorContains(t, err, `version 1: blob `+v.SHA256+".wasm: corrupt: 3 bytes, want 10")
}

func TestRead_tamperedBlobIsNeverServed(t *testing.T) {
	dir := t.TempDir()
	v := putOne(t, dir)
	path := filepath.Join(dir, "blobs", v.SHA256+".wasm")
	require.NoError(t, os.WriteFile(path, []byte("HELLO WASM"), 0o600)) // same size
	s := open(t, dir)
	data, err := s.Read(v.SHA256)
	require.ErrorIs(t, err, store.ErrCorrupt)
	require.ErrorContains(t, err, "store: blob "+path+": corrupt: its content hashes to ")
	require.Nil(t, data)

	_, err = s.Put("acme", "hello", []byte("hello wasm"), store.VersionInfo{})
	require.NoError(t, err)
	_, err = s.Read(v.SHA256)
	require.NoError(t, err, "uploading the same bytes again repairs the blob")
}

func TestOpen_removesWhatACrashLeft(t *testing.T) {
	dir := t.TempDir()
	putOne(t, dir)
	orphan := filepath.Join(dir, "blobs", strings.Repeat("ab", 32)+".wasm")
	require.NoError(t, os.WriteFile(orphan, []byte("orphan"), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "tmp", "123.tmp"), []byte("part"), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "blobs", "README"), []byte("mine"), 0o600))
	s := open(t, dir)
	require.NoFileExists(t, orphan)
	require.Empty(t, entries(t, filepath.Join(dir, "tmp")))
	require.FileExists(t, filepath.Join(dir, "blobs", "README"), "only blob-named files are removed")
	require.Len(t, s.Active("acme"), 1)
}
