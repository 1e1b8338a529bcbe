// Package csdk is the C guest SDK: the civetweb.h header and the small C
// library every guest links, embedded so the civetbox binary can build guests
// anywhere, and the clang invocation that builds them.
//
// Build needs clang, wasm-ld and wasi-libc. On Debian:
//
//	apt-get install clang lld wasi-libc libclang-rt-dev-wasm32
package csdk

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

//go:embed include/*.h src/*.c src/*.h
var files embed.FS

// DebianPackages are the packages that provide the toolchain on Debian.
const DebianPackages = "clang lld wasi-libc libclang-rt-dev-wasm32"

// ErrNoToolchain means clang, wasm-ld or wasi-libc is missing.
var ErrNoToolchain = errors.New("csdk: the wasm32-wasi C toolchain is not installed")

// Toolchain is a clang able to build wasm32-wasi reactors.
type Toolchain struct {
	Clang   string // path to clang
	Sysroot string // wasi-libc sysroot
}

// sysroots are where distributions install wasi-libc, most likely first.
var sysroots = []string{"/usr", "/usr/share/wasi-sysroot", "/opt/wasi-sdk/share/wasi-sysroot"}

// FindToolchain locates clang, wasm-ld and a wasi-libc sysroot. The error
// names the packages to install.
func FindToolchain() (Toolchain, error) {
	clang, err := exec.LookPath("clang")
	if err != nil {
		return Toolchain{}, fmt.Errorf("%w: clang not found in PATH; install it with: apt-get install %s", ErrNoToolchain, DebianPackages)
	}
	if _, err := exec.LookPath("wasm-ld"); err != nil {
		return Toolchain{}, fmt.Errorf("%w: wasm-ld not found in PATH (package lld); install it with: apt-get install %s", ErrNoToolchain, DebianPackages)
	}
	for _, root := range sysroots {
		if _, err := os.Stat(filepath.Join(root, "lib", "wasm32-wasi", "libc.a")); err == nil {
			return Toolchain{Clang: clang, Sysroot: root}, nil
		}
	}
	return Toolchain{}, fmt.Errorf("%w: wasi-libc not found (looked for lib/wasm32-wasi/libc.a in %s); install it with: apt-get install %s",
		ErrNoToolchain, strings.Join(sysroots, ", "), DebianPackages)
}

// Flags are the compile and link flags every guest is built with: a wasm32
// WASI reactor, optimized, without debug sections (so builds are
// reproducible), with a 64 KiB stack.
var Flags = []string{
	"--target=wasm32-wasi", "-mexec-model=reactor", "-O2", "-Wall",
	"-Wl,--strip-debug", "-Wl,-z,stack-size=65536",
}

// sdkStartFlags leave out wasi-libc's reactor start file, whose only work
// is an exported _initialize that runs the constructors: the SDK's
// civetbox_abi_init runs them instead, so an instance has one export fewer
// for the host to call (each costs wazero a 10 KB call stack per instance).
var sdkStartFlags = []string{"-nostartfiles", "-Wl,--no-entry"}

// Build compiles the C sources with the SDK into a guest module at out.
func (tc Toolchain) Build(ctx context.Context, out string, sources []string, extraFlags ...string) error {
	return tc.build(ctx, out, sources, true, extraFlags)
}

// BuildBare compiles the C sources with the SDK header but without its
// library, for test guests that must provide (or omit) the ABI themselves.
func (tc Toolchain) BuildBare(ctx context.Context, out string, sources []string, extraFlags ...string) error {
	return tc.build(ctx, out, sources, false, extraFlags)
}

func (tc Toolchain) build(ctx context.Context, out string, sources []string, withSDK bool, extraFlags []string) error {
	if len(sources) == 0 {
		return errors.New("csdk: no C sources to build")
	}
	dir, err := os.MkdirTemp("", "civetbox-sdk-")
	if err != nil {
		return fmt.Errorf("csdk: %w", err)
	}
	defer os.RemoveAll(dir)
	sdkSources, err := unpack(dir)
	if err != nil {
		return err
	}
	if !withSDK {
		sdkSources = nil
	}
	var startFlags []string
	if withSDK {
		startFlags = sdkStartFlags
	}
	// The SDK is unpacked to a random directory; map it to a fixed name so
	// __FILE__ strings cannot make two builds differ.
	args := append([]string{"--sysroot=" + tc.Sysroot, "-ffile-prefix-map=" + dir + "=civetbox-sdk"}, Flags...)
	args = append(args, startFlags...)
	args = append(args, "-I", filepath.Join(dir, "include"), "-o", out)
	args = append(append(append(args, extraFlags...), sources...), sdkSources...)
	cmd := exec.CommandContext(ctx, tc.Clang, args...)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("csdk: clang failed: %w\n%s", err, msg)
	}
	return os.Chmod(out, 0o644) // a module is data, not an executable
}

// IncludeDir writes the SDK headers under dir/include and returns that
// directory, for tools that compile against civetweb.h themselves.
func IncludeDir(dir string) (string, error) {
	if _, err := unpack(dir); err != nil {
		return "", err
	}
	return filepath.Join(dir, "include"), nil
}

// unpack writes the embedded SDK into dir and returns the C sources to link.
func unpack(dir string) ([]string, error) {
	var sources []string
	err := fs.WalkDir(files, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := files.ReadFile(path)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(path))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if strings.HasSuffix(path, ".c") {
			sources = append(sources, dst)
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		return nil, fmt.Errorf("csdk: unpack SDK: %w", err)
	}
	return sources, nil
}
