package store

import (
	"fmt"
	"os"
	"path/filepath"
)

// Steps of a durable write, named for fault injection.
const (
	opCreate  = "create"
	opWrite   = "write"
	opSync    = "sync"
	opRename  = "rename"
	opSyncDir = "syncdir"
)

// disk writes files so that a crash leaves either the old or the new
// content under the final name, never a part: write a file in tmp/, fsync
// it, rename it over the final name, fsync the directory.
type disk struct {
	dir string
	// fault, set only by tests before use, runs before each step; an error
	// it returns is the step's error, as a full or failing disk would give.
	fault func(op, path string) error
}

func (d *disk) path(elem ...string) string {
	return filepath.Join(append([]string{d.dir}, elem...)...)
}

func (d *disk) step(op, path string) error {
	if d.fault == nil {
		return nil
	}
	if err := d.fault(op, path); err != nil {
		return fmt.Errorf("store: %s %s: %w", op, path, err)
	}
	return nil
}

// writeAtomic replaces final with data. renamed reports whether final may
// already hold data when err is not nil (the directory sync failed).
func (d *disk) writeAtomic(final string, data []byte) (renamed bool, err error) {
	tmp, err := d.writeTemp(data)
	if err != nil {
		return false, err
	}
	if err := d.rename(tmp, final); err != nil {
		_ = os.Remove(tmp)
		return false, err
	}
	return true, d.syncDir(filepath.Dir(final))
}

// writeTemp writes data to a new file in tmp/, fsynced, and returns its name.
func (d *disk) writeTemp(data []byte) (string, error) {
	if err := d.step(opCreate, d.path("tmp")); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(d.path("tmp"), "*.tmp") // mode 0600
	if err != nil {
		return "", fmt.Errorf("store: %w", err)
	}
	if err := d.fill(f, data); err != nil {
		_ = f.Close()
		_ = os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// fill writes, fsyncs and closes f. An injected write fault writes half of
// data first, as a disk that fills up does.
func (d *disk) fill(f *os.File, data []byte) error {
	if err := d.step(opWrite, f.Name()); err != nil {
		_, _ = f.Write(data[:len(data)/2])
		return err
	}
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	if err := d.step(opSync, f.Name()); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}

func (d *disk) rename(from, to string) error {
	if err := d.step(opRename, to); err != nil {
		return err
	}
	if err := os.Rename(from, to); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}

// syncDir makes a rename or creation in dir durable.
func (d *disk) syncDir(dir string) error {
	if err := d.step(opSyncDir, dir); err != nil {
		return err
	}
	f, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("store: sync %s: %w", dir, err)
	}
	return nil
}

// emptyDir removes everything in dir: in tmp/, parts of writes a crash
// interrupted.
func emptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return fmt.Errorf("store: %w", err)
		}
	}
	return nil
}
