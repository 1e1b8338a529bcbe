package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
)

const blobExt = ".wasm"

func (s *Store) blobPath(sha string) string {
	return s.disk.path("blobs", sha+blobExt)
}

func hashHex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// Read returns the bytes stored under sha, after checking they still hash
// to it: a damaged blob is an ErrCorrupt error naming the file, never
// returned.
func (s *Store) Read(sha string) ([]byte, error) {
	if err := checkSHA(sha); err != nil {
		return nil, prefixed(err)
	}
	path := s.blobPath(sha)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("store: blob %s: %w", path, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if got := hashHex(data); got != sha {
		return nil, fmt.Errorf("store: blob %s: %w: its content hashes to %s", path, ErrCorrupt, got)
	}
	return data, nil
}

// writeBlob stores data under sha unless an intact copy is there already;
// a damaged copy is replaced.
func (s *Store) writeBlob(sha string, data []byte) error {
	path := s.blobPath(sha)
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return nil
	}
	_, err := s.disk.writeAtomic(path, data)
	return err
}

// hold marks sha as being written, so that no Delete removes it between
// the blob write and the state write of a Put.
func (s *Store) hold(sha string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return fmt.Errorf("store: %w", ErrClosed)
	}
	s.pending[sha]++
	return nil
}

// unhold undoes hold; s.mu is held.
func (s *Store) unhold(sha string) {
	if s.pending[sha]--; s.pending[sha] == 0 {
		delete(s.pending, sha)
	}
}

// dropUnused removes sha's blob if nothing references or is writing it;
// s.mu is held. A failure only leaves an orphan, which Open removes.
func (s *Store) dropUnused(sha string) {
	if s.closed || s.pending[sha] > 0 || s.st.references(sha) {
		return
	}
	_ = os.Remove(s.blobPath(sha))
}

// checkBlobs makes sure every version of st has its blob, of its size.
func (s *Store) checkBlobs(st *state) error {
	for _, tenant := range sortedKeys(st.Tenants) {
		t := st.Tenants[tenant]
		for _, mod := range sortedKeys(t.Modules) {
			for _, v := range t.Modules[mod].Versions {
				if err := s.checkBlob(v); err != nil {
					return fmt.Errorf("store: tenant %q module %q version %d: %w", tenant, mod, v.Version, err)
				}
			}
		}
	}
	return nil
}

func (s *Store) checkBlob(v VersionInfo) error {
	fi, err := os.Stat(s.blobPath(v.SHA256))
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("blob %s%s is missing: %w", v.SHA256, blobExt, ErrNotFound)
	}
	if err != nil {
		return err
	}
	if fi.Size() != v.Size {
		return fmt.Errorf("blob %s%s: %w: %d bytes, want %d", v.SHA256, blobExt, ErrCorrupt, fi.Size(), v.Size)
	}
	return nil
}

// removeOrphans deletes blobs no version references: a crash between a
// blob's write and the state's leaves one. Files not named like a blob
// are left alone.
func (s *Store) removeOrphans() error {
	entries, err := os.ReadDir(s.disk.path("blobs"))
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	used := s.st.shas()
	for _, e := range entries {
		sha, ok := strings.CutSuffix(e.Name(), blobExt)
		if !ok || checkSHA(sha) != nil || used[sha] {
			continue
		}
		if err := os.Remove(s.blobPath(sha)); err != nil {
			return fmt.Errorf("store: remove orphan blob: %w", err)
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
