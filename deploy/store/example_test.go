package store_test

import (
	"fmt"
	"os"

	"github.com/civetbox/civetbox/deploy/store"
)

func Example() {
	dir, _ := os.MkdirTemp("", "store")
	defer os.RemoveAll(dir)

	s, err := store.Open(dir)
	if err != nil {
		panic(err)
	}
	v1, _ := s.Put("acme", "hello", []byte("\x00asm version 1"), store.VersionInfo{UploadedBy: "operator"})
	v2, _ := s.Put("acme", "hello", []byte("\x00asm version 2"), store.VersionInfo{UploadedBy: "operator"})
	_ = s.Activate("acme", "hello", v1.Version)
	_ = s.Activate("acme", "hello", v2.Version)
	back, _ := s.Rollback("acme", "hello")
	fmt.Println("rolled back to version", back.Version)
	_ = s.Close()

	// After a restart, or a crash, the same version serves.
	s, _ = store.Open(dir)
	defer s.Close()
	for _, a := range s.Active("acme") {
		wasm, _ := s.Read(a.Version.SHA256)
		fmt.Printf("serve %s version %d: %q\n", a.Name, a.Version.Version, wasm)
	}
	// Output:
	// rolled back to version 1
	// serve hello version 1: "\x00asm version 1"
}
