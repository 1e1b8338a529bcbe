package csdk_test

import (
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/internal/toolchain"
)

// utilFunctions are the CivetWeb functions civetbox_util.c implements. The
// differential test compiles it natively with each renamed to cb_<name>, so
// both versions can be linked into one program next to libcivetweb.
var utilFunctions = []string{
	"mg_get_var",
	"mg_get_var2",
	"mg_split_form_urlencoded",
	"mg_get_cookie",
	"mg_url_decode",
	"mg_url_encode",
	"mg_strcasecmp",
	"mg_strncasecmp",
	"mg_get_response_code_text",
}

const utilSource = "src/civetbox_util.c"

var nativeFlags = []string{"-std=c99", "-O1", "-g", "-Wall", "-Wextra", "-Werror"}

// TestUtilMatchesLibCivetWeb runs testdata/util_diff.c, which feeds a corpus
// and a fixed-seed fuzzer to both libcivetweb and civetbox_util.c and
// compares return values and every byte they write.
func TestUtilMatchesLibCivetWeb(t *testing.T) {
	cc := toolchain.NativeCivetWeb(t)
	dir := t.TempDir()
	flags := append(append([]string{}, nativeFlags...), sanitizerFlags(t, cc, dir)...)

	obj := filepath.Join(dir, "civetbox_util.o")
	args := append(append([]string{}, flags...), "-I", "include", "-c", utilSource, "-o", obj)
	for _, name := range utilFunctions {
		args = append(args, "-D"+name+"=cb_"+name)
	}
	runCC(t, cc, args...)
	requireOnlyRenamedSymbols(t, obj)

	bin := filepath.Join(dir, "util_diff")
	runCC(t, cc, append(flags, "testdata/util_diff.c", obj, "-lcivetweb", "-o", bin)...)

	cmd := exec.Command(bin)
	// Leak checking needs ptrace, which containers often forbid; leaks are
	// not what this test is about.
	cmd.Env = append(os.Environ(), "ASAN_OPTIONS=detect_leaks=0")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "civetbox_util.c differs from libcivetweb:\n%s", out)
	t.Log(strings.TrimSpace(string(out)))
}

// TestUtilCompilesForWasm32 builds civetbox_util.c for the guest target
// with warnings as errors.
func TestUtilCompilesForWasm32(t *testing.T) {
	tc := toolchain.Wasm(t)
	obj := filepath.Join(t.TempDir(), "civetbox_util.o")
	cmd := exec.Command(tc.Clang, "--target=wasm32-wasi", "--sysroot="+tc.Sysroot,
		"-O2", "-Wall", "-Wextra", "-Werror", "-I", "include", "-c", utilSource, "-o", obj)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	require.Empty(t, strings.TrimSpace(string(out)), "clang printed diagnostics")
}

// sanitizerFlags returns AddressSanitizer and UBSan flags when cc can build
// and run a program with them, so out-of-bounds reads fail the test.
func sanitizerFlags(t *testing.T, cc, dir string) []string {
	t.Helper()
	flags := []string{"-fsanitize=address,undefined", "-fno-sanitize-recover=all"}
	src := filepath.Join(dir, "probe.c")
	bin := filepath.Join(dir, "probe")
	require.NoError(t, os.WriteFile(src, []byte("int main(void) { return 0; }\n"), 0o644))
	if err := exec.Command(cc, append(flags, src, "-o", bin)...).Run(); err != nil {
		t.Logf("running without sanitizers: %s cannot build with %v: %v", cc, flags, err)
		return nil
	}
	probe := exec.Command(bin)
	probe.Env = append(os.Environ(), "ASAN_OPTIONS=detect_leaks=0")
	if err := probe.Run(); err != nil {
		t.Logf("running without sanitizers: a sanitized program fails here: %v", err)
		return nil
	}
	return flags
}

func runCC(t *testing.T, cc string, args ...string) {
	t.Helper()
	out, err := exec.Command(cc, args...).CombinedOutput()
	require.NoError(t, err, "%s %s\n%s", cc, strings.Join(args, " "), out)
	require.Empty(t, strings.TrimSpace(string(out)), "%s printed diagnostics", cc)
}

// requireOnlyRenamedSymbols checks that civetbox_util.c defines exactly the
// functions in utilFunctions: any other mg_* definition would clash with
// civetbox_abi.c in a guest, and would silently replace libcivetweb's here.
func requireOnlyRenamedSymbols(t *testing.T, obj string) {
	t.Helper()
	f, err := elf.Open(obj)
	if err != nil {
		t.Logf("not checking the defined symbols: %v", err)
		return
	}
	defer f.Close()
	syms, err := f.Symbols()
	require.NoError(t, err)
	var defined []string
	for _, s := range syms {
		global := elf.ST_BIND(s.Info) == elf.STB_GLOBAL || elf.ST_BIND(s.Info) == elf.STB_WEAK
		// Sanitizer runtimes add their own "__"-prefixed globals.
		if global && s.Section != elf.SHN_UNDEF && !strings.HasPrefix(s.Name, "__") {
			defined = append(defined, s.Name)
		}
	}
	var want []string
	for _, name := range utilFunctions {
		want = append(want, "cb_"+name)
	}
	sort.Strings(defined)
	sort.Strings(want)
	require.Equal(t, want, defined, "global symbols defined by %s", utilSource)
}
