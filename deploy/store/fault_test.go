package store

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

var errInjected = errors.New("injected: no space left on device")

// TestFaults_failedWriteChangesNothing fails each step of each mutation's writes in turn, as a full
// disk or a failing fsync would, and checks that the mutation reports it
// and that memory and disk still hold the state from before.
func TestFaults_failedWriteChangesNothing(t *testing.T) {
	for _, tc := range []struct {
		name string
		op   func(s *Store) error
	}{
		{"put new bytes", func(s *Store) error { _, err := s.Put("t", "m", []byte("new"), VersionInfo{}); return err }},
		{"put known bytes", func(s *Store) error { _, err := s.Put("t", "n", []byte("a"), VersionInfo{}); return err }},
		{"activate", func(s *Store) error { return s.Activate("t", "m", 3) }},
		{"rollback", func(s *Store) error { _, err := s.Rollback("t", "m"); return err }},
		{"delete", func(s *Store) error { return s.Delete("t", "m", 3) }},
		{"bind", func(s *Store) error { return s.Bind("t", Route{Prefix: "/x", Module: "m"}) }},
		{"unbind", func(s *Store) error { return s.Unbind("t", "", "/") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for step := 1; ; step++ {
				if !failAtStep(t, step, tc.op) {
					require.Greater(t, step, 1, "the mutation writes nothing")
					return
				}
			}
		})
	}
}

// failAtStep runs op on a fresh store whose step-th write step fails. It
// reports whether op reached that step.
func failAtStep(t *testing.T, step int, op func(*Store) error) bool {
	dir := t.TempDir()
	s := seeded(t, dir)
	before := encoded(t, s)
	calls := 0
	s.disk.fault = func(string, string) error {
		if calls++; calls == step {
			return errInjected
		}
		return nil
	}
	err := op(s)
	if calls < step {
		require.NoError(t, err)
		return false
	}
	require.ErrorIs(t, err, errInjected, "step %d", step)
	require.Equal(t, before, encoded(t, s), "memory after failing step %d", step)
	require.Empty(t, s.pending)
	require.NoError(t, s.Close())
	requireDiskHolds(t, dir, before)
	return true
}

func seeded(t *testing.T, dir string) *Store {
	s, err := Open(dir)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	for _, body := range []string{"a", "b", "c"} {
		_, err := s.Put("t", "m", []byte(body), VersionInfo{})
		require.NoError(t, err)
	}
	require.NoError(t, s.Activate("t", "m", 1))
	require.NoError(t, s.Activate("t", "m", 2))
	require.NoError(t, s.Bind("t", Route{Prefix: "/", Module: "m"}))
	return s
}

func encoded(t *testing.T, s *Store) string {
	data, err := s.st.encode()
	require.NoError(t, err)
	return string(data)
}

// requireDiskHolds reopens dir and checks it holds want, tidily.
func requireDiskHolds(t *testing.T, dir, want string) {
	s, err := Open(dir)
	require.NoError(t, err)
	defer s.Close()
	require.Equal(t, want, encoded(t, s))
	tmp, err := os.ReadDir(filepath.Join(dir, "tmp"))
	require.NoError(t, err)
	require.Empty(t, tmp)
	blobs, err := os.ReadDir(filepath.Join(dir, "blobs"))
	require.NoError(t, err)
	require.Len(t, blobs, len(s.st.shas()))
	for _, b := range blobs {
		require.True(t, s.st.shas()[b.Name()[:64]], b.Name())
	}
}

func TestFaults_failedPutLeavesNoBlobBehind(t *testing.T) {
	dir := t.TempDir()
	s := seeded(t, dir)
	before, _ := os.ReadDir(filepath.Join(dir, "blobs"))
	for _, failOn := range []string{opWrite, opSync, opRename} {
		s.disk.fault = func(op, _ string) error {
			if op == failOn { // the blob's write comes first
				return errInjected
			}
			return nil
		}
		_, err := s.Put("t", "m", []byte("doomed"), VersionInfo{})
		require.ErrorIs(t, err, errInjected, failOn)
		after, _ := os.ReadDir(filepath.Join(dir, "blobs"))
		require.Equal(t, before, after, failOn)
		tmp, _ := os.ReadDir(filepath.Join(dir, "tmp"))
		require.Empty(t, tmp, "a failed write removes its temporary file")
	}
}
