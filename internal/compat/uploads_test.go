package compat

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/runtime"
)

// Handlers that store files (forms, store) get an upload directory in
// civetbox and a working directory for native CivetWeb, so the same
// relative paths land in a temporary directory on both sides; the cases'
// checks find them here.

// uploadMaxBody is civetbox's request body limit for those suites: above
// the largest upload a case expects to succeed (1 MiB), below the one that
// tests the limit.
const uploadMaxBody = 2 << 20

// dirs maps the name of the test that started a server to its directory.
var dirs sync.Map

// workDir returns the native server's working directory for suite s: a
// fresh directory if the suite asks for one, else "" (the test's).
func workDir(t *testing.T, s suite) string {
	if !s.nativeWorkDir {
		return ""
	}
	d := t.TempDir()
	dirs.Store(t.Name(), d)
	return d
}

// configureUploads grants civetbox a fresh upload directory and the body
// limit.
func configureUploads(t *testing.T, cfg *runtime.Config) {
	d := t.TempDir()
	dirs.Store(t.Name(), d)
	cfg.UploadDir = d
	cfg.MaxRequestBody = uploadMaxBody
}

// caseDirs returns, for a case's test (TestCompat/<suite>/<engine>/<mode>/<case>),
// the native server's directory and civetbox's upload directory.
func caseDirs(t *testing.T) (native, box string) {
	t.Helper()
	parts := strings.SplitN(t.Name(), "/", 5)
	require.Len(t, parts, 5, "test name %q", t.Name())
	n, ok := dirs.Load(strings.Join(parts[:2], "/"))
	require.True(t, ok, "no native directory for %s", t.Name())
	b, ok := dirs.Load(strings.Join(parts[:4], "/"))
	require.True(t, ok, "no civetbox upload directory for %s", t.Name())
	return n.(string), b.(string)
}

// storedFiles checks that each name holds its content in both directories,
// or is absent from both when the content is nil, and that civetbox left no
// temporary file behind.
func storedFiles(files map[string]*string) func(t *testing.T, native, box *result) {
	return storedFilesEach(files, files)
}

// storedFilesEach is storedFiles with different expectations per side.
func storedFilesEach(native, box map[string]*string) func(t *testing.T, _, _ *result) {
	return func(t *testing.T, _, _ *result) {
		nativeDir, boxDir := caseDirs(t)
		checkFiles(t, "native", nativeDir, native)
		checkFiles(t, "civetbox", boxDir, box)
		require.Empty(t, tempFiles(t, boxDir), "civetbox left temporary files")
	}
}

func checkFiles(t *testing.T, side, dir string, files map[string]*string) {
	t.Helper()
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if want == nil {
			require.ErrorIs(t, err, os.ErrNotExist, "%s: %s should not exist", side, name)
			continue
		}
		require.NoError(t, err, "%s: %s", side, name)
		require.True(t, string(got) == *want, "%s: %s holds %d bytes, want %d", side, name, len(got), len(*want))
	}
}

// tempFiles lists civetbox's temporary upload files under dir.
func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	var found []string
	err := filepath.WalkDir(dir, func(p string, _ os.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(filepath.Base(p), ".civetbox-upload-") {
			found = append(found, p)
		}
		return err
	})
	require.NoError(t, err)
	return found
}

func ptr(s string) *string { return &s }
