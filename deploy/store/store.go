// Package store keeps the modules uploaded through the admin API on disk,
// durably and crash-safely: every version's bytes, content-addressed by
// SHA-256, which version of each module is active and which were before
// (for rollback), and the route bindings made through the API.
//
// Layout of the directory (0700; files 0600):
//
//	blobs/<sha256 hex>.wasm   module bytes, immutable, shared by equal uploads
//	state.json                all metadata, with a format version
//	tmp/                      writes in progress; emptied by Open
//	lock                      flock'd while a Store is open
//
// Every file is written to tmp/, fsynced, renamed into place and its
// directory fsynced; a blob before the state that references it. So after
// a crash at any moment state.json is the old or the new one, whole, and
// every blob it names is complete. Open removes what a crash left behind:
// files in tmp/ and blobs no version references.
//
// Each mutation is one replacement of state.json; when it fails the Store
// keeps its previous state in memory. A Store is safe for concurrent use.
package store

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// Store is an open store directory. Close it to release the directory.
type Store struct {
	disk     disk
	lockFile *os.File

	mu      sync.RWMutex
	st      *state         // committed: equal to state.json
	pending map[string]int // blobs Put is writing, by sha, not yet referenced
	closed  bool
}

// Open opens the store in dir, creating it if needed. It fails with
// ErrLocked while another Store (of any process) has dir open, and with an
// error naming the problem when state.json is damaged, of an unknown
// format version, or references a missing blob.
func Open(dir string) (*Store, error) {
	if err := makeDirs(dir); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(dir, "lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if err := lock(f); err != nil {
		_ = f.Close()
		return nil, err
	}
	s := &Store{disk: disk{dir: dir}, lockFile: f, pending: map[string]int{}}
	if err := s.load(); err != nil {
		_ = s.release()
		return nil, err
	}
	return s, nil
}

func makeDirs(dir string) error {
	for _, d := range []string{dir, filepath.Join(dir, "blobs"), filepath.Join(dir, "tmp")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return fmt.Errorf("store: %w", err)
		}
	}
	return nil
}

// load reads state.json and tidies what a crash may have left.
func (s *Store) load() error {
	if err := emptyDir(s.disk.path("tmp")); err != nil {
		return err
	}
	st, err := readState(s.disk.path(stateFile))
	if err != nil {
		return err
	}
	if err := s.checkBlobs(st); err != nil {
		return err
	}
	s.st = st
	return s.removeOrphans()
}

// Dir is the store's directory.
func (s *Store) Dir() string { return s.disk.dir }

// Close releases the directory. Later mutations fail with ErrClosed;
// queries keep answering from memory.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	return s.release()
}

func (s *Store) release() error {
	err := unlock(s.lockFile)
	if cerr := s.lockFile.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("store: release lock: %w", err)
	}
	return nil
}

// mutate runs fn on a copy of tenant's state and commits the copy.
func (s *Store) mutate(tenant string, fn func(*tenantState) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := s.mutateLocked(tenant, fn)
	return err
}

// mutateLocked is mutate with s.mu held. renamed is commit's.
func (s *Store) mutateLocked(tenant string, fn func(*tenantState) error) (renamed bool, err error) {
	if s.closed {
		return false, fmt.Errorf("store: %w", ErrClosed)
	}
	next, t := s.st.withTenant(tenant)
	if err := fn(t); err != nil {
		return false, err
	}
	return s.commit(next)
}

// commit replaces state.json with next and, when that worked, makes next
// the state in memory. If the rename happened but the directory sync
// failed, it puts the previous state back on disk as best it can, so disk
// and memory agree; renamed then reports that next may still be on disk.
func (s *Store) commit(next *state) (renamed bool, err error) {
	data, err := next.encode()
	if err != nil {
		return false, err
	}
	renamed, err = s.disk.writeAtomic(s.disk.path(stateFile), data)
	if err != nil {
		if renamed {
			s.restore()
		}
		return renamed, err
	}
	s.st = next
	return false, nil
}

func (s *Store) restore() {
	if data, err := s.st.encode(); err == nil {
		_, _ = s.disk.writeAtomic(s.disk.path(stateFile), data)
	}
}
