package hostfuncs_test

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/abi"
	"github.com/civetbox/civetbox/hostfuncs"
)

// uploadScope is a request scope granted a fresh upload directory, which
// it returns; its log goes to rec.
func uploadScope(t *testing.T, rec *logRecorder) (*hostfuncs.Scope, string) {
	t.Helper()
	dir := t.TempDir()
	root, err := os.OpenRoot(dir)
	require.NoError(t, err)
	t.Cleanup(func() { root.Close() })
	return &hostfuncs.Scope{Conn: newConn(), Log: slog.New(rec), Grants: &hostfuncs.Grants{Uploads: root}}, dir
}

// open calls upload_open(path) in s.
func open(t *testing.T, s *hostfuncs.Scope, mem *fakeMem, path string) int32 {
	t.Helper()
	p, n := mem.put(0x100, path)
	return call(t, hostfuncs.WithScope(context.Background(), s), mem, abi.FuncUploadOpen, p, n)
}

func write(t *testing.T, s *hostfuncs.Scope, mem *fakeMem, h int32, data string) int32 {
	t.Helper()
	p, n := mem.put(0x400, data)
	return call(t, hostfuncs.WithScope(context.Background(), s), mem, abi.FuncUploadWrite, i32arg(h), p, n)
}

func closeUpload(t *testing.T, s *hostfuncs.Scope, mem *fakeMem, h int32, keep uint64) int32 {
	t.Helper()
	return call(t, hostfuncs.WithScope(context.Background(), s), mem, abi.FuncUploadClose, i32arg(h), keep)
}

// listFiles returns every file and directory under dir, relative, "/"-separated.
func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	require.NoError(t, filepath.WalkDir(dir, func(p string, _ os.DirEntry, err error) error {
		if err == nil && p != dir {
			rel, _ := filepath.Rel(dir, p)
			names = append(names, filepath.ToSlash(rel))
		}
		return err
	}))
	return names
}

func TestUploadKeep(t *testing.T) {
	rec := &logRecorder{}
	s, dir := uploadScope(t, rec)
	mem := newMem()
	h := open(t, s, mem, "sub/dir/file.bin")
	require.GreaterOrEqual(t, h, int32(0))
	require.Equal(t, int32(5), write(t, s, mem, h, "hello"))
	require.Equal(t, int32(7), write(t, s, mem, h, ", world"))
	// Until closed, nothing is under the final name.
	_, err := os.Stat(filepath.Join(dir, "sub", "dir", "file.bin"))
	require.ErrorIs(t, err, os.ErrNotExist)
	require.Equal(t, int32(0), closeUpload(t, s, mem, h, 1))
	got, err := os.ReadFile(filepath.Join(dir, "sub", "dir", "file.bin"))
	require.NoError(t, err)
	require.Equal(t, "hello, world", string(got))
	require.Equal(t, []string{"sub", "sub/dir", "sub/dir/file.bin"}, listFiles(t, dir))
	// The handle is gone.
	require.Equal(t, int32(-1), write(t, s, mem, h, "x"))
	require.Equal(t, int32(-1), closeUpload(t, s, mem, h, 1))
}

func TestUploadReplacesExistingFile(t *testing.T) {
	s, dir := uploadScope(t, &logRecorder{})
	mem := newMem()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "f"), []byte("old, longer content"), 0o644))
	h := open(t, s, mem, "f")
	write(t, s, mem, h, "new")
	require.Equal(t, int32(0), closeUpload(t, s, mem, h, 1))
	got, err := os.ReadFile(filepath.Join(dir, "f"))
	require.NoError(t, err)
	require.Equal(t, "new", string(got))
}

func TestUploadDiscard(t *testing.T) {
	s, dir := uploadScope(t, &logRecorder{})
	mem := newMem()
	h := open(t, s, mem, "gone.bin")
	write(t, s, mem, h, "data")
	require.Equal(t, int32(0), closeUpload(t, s, mem, h, 0))
	require.Empty(t, listFiles(t, dir))
}

func TestUploadReleaseDiscardsOpenFiles(t *testing.T) {
	rec := &logRecorder{}
	s, dir := uploadScope(t, rec)
	mem := newMem()
	h := open(t, s, mem, "a.bin")
	write(t, s, mem, h, "partial")
	open(t, s, mem, "b.bin")
	s.Release()
	require.Empty(t, listFiles(t, dir), "release leaves nothing, under a final name or temporary")
	require.Len(t, rec.records, 2, "one log line per discarded upload")
	// The scope is usable afterwards with fresh handles.
	require.GreaterOrEqual(t, open(t, s, mem, "c.bin"), int32(0))
}

func TestUploadHandleLimit(t *testing.T) {
	rec := &logRecorder{}
	s, _ := uploadScope(t, rec)
	mem := newMem()
	var handles []int32
	for i := range hostfuncs.MaxUploads {
		h := open(t, s, mem, "f"+strings.Repeat("x", i))
		require.GreaterOrEqual(t, h, int32(0))
		handles = append(handles, h)
	}
	require.Equal(t, int32(-1), open(t, s, mem, "one-too-many"))
	requireLogged(t, rec, "too many open uploads")
	// Closing one frees a handle.
	require.Equal(t, int32(0), closeUpload(t, s, mem, handles[3], 0))
	require.GreaterOrEqual(t, open(t, s, mem, "now-fits"), int32(0))
	s.Release()
}

func TestUploadPathSafety(t *testing.T) {
	outside := t.TempDir()
	for _, path := range []string{
		"", "/etc/x", "../x", "a/../../x", "a/../b", "..", "a\\b", "a\x00b", "a//b", "dir/", ".", "a/.",
		"link/x", // a symbolic link leading out of the upload directory
		"abs/x",  // a symbolic link to an absolute path outside
	} {
		t.Run(strings.ReplaceAll(path, "/", "|"), func(t *testing.T) {
			rec := &logRecorder{}
			s, dir := uploadScope(t, rec)
			require.NoError(t, os.Symlink("../"+filepath.Base(outside), filepath.Join(dir, "link")))
			require.NoError(t, os.Symlink(outside, filepath.Join(dir, "abs")))
			mem := newMem()
			require.Equal(t, int32(-1), open(t, s, mem, path))
			require.Len(t, rec.records, 1, "a refused path is logged")
			require.Equal(t, "upload failed", rec.records[0].Message)
			require.Equal(t, []string{"abs", "link"}, listFiles(t, dir))
			require.Empty(t, listFiles(t, outside))
		})
	}
}

func TestUploadWithoutGrant(t *testing.T) {
	for _, grants := range []*hostfuncs.Grants{nil, {}} {
		rec := &logRecorder{}
		s := &hostfuncs.Scope{Conn: newConn(), Log: slog.New(rec), Grants: grants}
		mem := newMem()
		require.Equal(t, int32(-1), open(t, s, mem, "f"))
		requireLogged(t, rec, "no upload directory granted")
		require.Equal(t, int32(-1), write(t, s, mem, 0, "x"))
		require.Equal(t, int32(-1), closeUpload(t, s, mem, 0, 1))
		s.Release()
	}
}

func TestUploadBadHandles(t *testing.T) {
	s, _ := uploadScope(t, &logRecorder{})
	mem := newMem()
	for _, h := range []int32{-1, 0, 1, hostfuncs.MaxUploads, 1 << 30} {
		require.Equal(t, int32(-1), write(t, s, mem, h, "x"), "handle %d", h)
		require.Equal(t, int32(-1), closeUpload(t, s, mem, h, 1), "handle %d", h)
	}
}

func TestUploadIntoADirectoryFails(t *testing.T) {
	s, dir := uploadScope(t, &logRecorder{})
	mem := newMem()
	require.NoError(t, os.Mkdir(filepath.Join(dir, "d"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "d", "keep"), nil, 0o644))
	h := open(t, s, mem, "d")
	require.GreaterOrEqual(t, h, int32(0))
	write(t, s, mem, h, "x")
	require.Equal(t, int32(-1), closeUpload(t, s, mem, h, 1), "renaming over a directory fails")
	require.Equal(t, []string{"d", "d/keep"}, listFiles(t, dir), "and the temporary file is removed")
}

// requireLogged asserts that some record's "error" attribute contains want.
func requireLogged(t *testing.T, rec *logRecorder, want string) {
	t.Helper()
	for i := range rec.records {
		if v, ok := rec.attr(i, "error"); ok && strings.Contains(v.String(), want) {
			return
		}
	}
	t.Fatalf("no log record with error %q", want)
}
