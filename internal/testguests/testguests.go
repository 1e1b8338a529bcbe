// Package testguests locates the test guests in testdata/guests: hostile and
// edge-case modules whose C sources sit next to their committed .wasm builds.
// Its go:generate lines rebuild them ("go generate ./..." rebuilds every
// committed guest in the repository).
package testguests

import (
	"os"
	"path/filepath"
	goruntime "runtime"
	"testing"
)

//go:generate go run ../cmd/buildguest -o ../../testdata/guests/hostile.wasm ../../testdata/guests/hostile.c
//go:generate go run ../cmd/buildguest -o ../../testdata/guests/responses.wasm ../../testdata/guests/responses.c
//go:generate go run ../cmd/buildguest -o ../../testdata/guests/routes.wasm ../../testdata/guests/routes.c
//go:generate go run ../cmd/buildguest -o ../../testdata/guests/bench.wasm ../../testdata/guests/bench.c
//go:generate go run ../cmd/buildguest -o ../../testdata/guests/wasienv.wasm ../../testdata/guests/wasienv.c
//go:generate go run ../cmd/buildguest -o ../../testdata/guests/files.wasm ../../testdata/guests/files.c
//go:generate go run ../cmd/buildguest -o ../../testdata/guests/tenancy.wasm ../../testdata/guests/tenancy.c
//go:generate go run ../cmd/buildguest -o ../../testdata/guests/deploy.wasm ../../testdata/guests/deploy.c
//go:generate go run ../cmd/buildguest -o ../../testdata/guests/deploy_v2.wasm ../../testdata/guests/deploy_v2.c
//go:generate go run ../cmd/buildguest -o ../../testdata/guests/state.wasm ../../testdata/guests/state.c
//go:generate go run ../cmd/buildguest -bare -o ../../testdata/guests/bad/abi_v2.wasm ../../testdata/guests/bad/abi_v2.c
//go:generate go run ../cmd/buildguest -bare -o ../../testdata/guests/bad/no_version.wasm ../../testdata/guests/bad/no_version.c
//go:generate go run ../cmd/buildguest -bare -o ../../testdata/guests/bad/no_dispatch.wasm ../../testdata/guests/bad/no_dispatch.c
//go:generate go run ../cmd/buildguest -bare -o ../../testdata/guests/bad/bad_signature.wasm ../../testdata/guests/bad/bad_signature.c
//go:generate go run ../cmd/buildguest -o ../../testdata/guests/bad/bad_import.wasm ../../testdata/guests/bad/bad_import.c
//go:generate go run ../cmd/buildguest -o ../../testdata/guests/bad/init_fails.wasm ../../testdata/guests/bad/init_fails.c
//go:generate go run ../cmd/buildguest -o ../../testdata/guests/bad/no_routes.wasm ../../testdata/guests/bad/no_routes.c

// Dir is the absolute path of testdata/guests.
func Dir() string {
	_, file, _, _ := goruntime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata", "guests")
}

// Path returns the path of a guest relative to testdata/guests, e.g.
// "hostile.wasm" or "bad/abi_v2.wasm".
func Path(name string) string { return filepath.Join(Dir(), filepath.FromSlash(name)) }

// Read returns a guest's bytes or fails t.
func Read(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(Path(name))
	if err != nil {
		t.Fatalf("testguests: %v (rebuild with: go generate ./...)", err)
	}
	return b
}
