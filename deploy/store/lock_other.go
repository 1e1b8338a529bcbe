//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package store

import (
	"fmt"
	"os"
	"runtime"
)

// lock refuses: without flock a second server could corrupt the store.
func lock(f *os.File) error {
	return fmt.Errorf("store: locking %s is not supported on %s", f.Name(), runtime.GOOS)
}

func unlock(*os.File) error { return nil }
