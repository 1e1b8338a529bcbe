// Package toolchain gives tests the external tools they need (the wasm32 C
// toolchain, a native C compiler with libcivetweb) and skips tests with a
// clear message when a tool is missing — unless CIVETBOX_REQUIRE_TOOLCHAIN=1,
// where a missing tool fails the test, so CI cannot pass by skipping.
package toolchain

import (
	"os"
	"os/exec"
	"testing"

	csdk "github.com/civetbox/civetbox/guests/c"
)

// RequireEnv is the environment variable that turns skips into failures.
const RequireEnv = "CIVETBOX_REQUIRE_TOOLCHAIN"

// Wasm returns the wasm32-wasi C toolchain or skips t.
func Wasm(t testing.TB) csdk.Toolchain {
	t.Helper()
	tc, err := csdk.FindToolchain()
	if err != nil {
		skip(t, err.Error())
	}
	return tc
}

// CivetWebHeader is Debian libcivetweb-dev's header, the compatibility oracle.
const CivetWebHeader = "/usr/include/civetweb.h"

// NativeCivetWeb returns a native C compiler that can build and link
// programs against libcivetweb (Debian libcivetweb-dev), or skips t.
func NativeCivetWeb(t testing.TB) (cc string) {
	t.Helper()
	cc, err := exec.LookPath("cc")
	if err != nil {
		skip(t, "no native C compiler (cc) in PATH; install it with: apt-get install gcc")
	}
	DebianHeader(t)
	return cc
}

// DebianHeader returns CivetWebHeader, or skips t if it is not installed.
func DebianHeader(t testing.TB) string {
	t.Helper()
	if _, err := os.Stat(CivetWebHeader); err != nil {
		skip(t, "native CivetWeb is not installed ("+CivetWebHeader+" is missing); install it with: apt-get install libcivetweb-dev")
	}
	return CivetWebHeader
}

func skip(t testing.TB, msg string) {
	t.Helper()
	if os.Getenv(RequireEnv) == "1" {
		t.Fatalf("%s (%s=1, so missing tools are failures)", msg, RequireEnv)
	}
	t.Skip(msg)
}

// Curl returns the path of curl, a second, independent HTTP client for
// protocol tests, or skips t.
func Curl(t testing.TB) string {
	t.Helper()
	curl, err := exec.LookPath("curl")
	if err != nil {
		skip(t, "curl is not installed; install it with: apt-get install curl")
	}
	return curl
}

// Wrk returns the path of wrk, the load benchmark's load generator
// (Debian package wrk), or skips t.
func Wrk(t testing.TB) string {
	t.Helper()
	wrk, err := exec.LookPath("wrk")
	if err != nil {
		skip(t, "wrk is not installed; install it with: apt-get install wrk")
	}
	return wrk
}
