package csdk_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/md5"
	"debug/elf"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	goruntime "runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/abi"
	"github.com/civetbox/civetbox/internal/enginetest"
	"github.com/civetbox/civetbox/internal/testutil"
	"github.com/civetbox/civetbox/internal/toolchain"
	"github.com/civetbox/civetbox/runtime"
	"github.com/civetbox/civetbox/runtime/engine"
)

// miscFunctions are the CivetWeb functions civetbox_misc.c defines; the
// differential test renames each to cb_<name> as util_test.go does.
var miscFunctions = []string{
	"mg_md5", "mg_get_builtin_mime_type", "mg_check_feature",
	"mg_get_system_info", "mg_get_context_info",
	"mg_lock_connection", "mg_unlock_connection", "mg_lock_context", "mg_unlock_context",
	"mg_init_library", "mg_exit_library",
	"mg_base64_encode", "mg_base64_decode",
	"mg_download", "mg_connect_client", "mg_connect_client_secure",
	"mg_connect_websocket_client", "mg_connect_websocket_client_secure",
	"mg_connect_websocket_client_extensions", "mg_connect_websocket_client_secure_extensions",
	"mg_get_response", "mg_close_connection", "mg_get_response_info",
	"mg_set_websocket_handler", "mg_set_websocket_handler_with_subprotocols",
	"mg_websocket_write", "mg_websocket_client_write",
	"mg_start_thread", "mg_start", "mg_start2", "mg_stop", "mg_start_domain", "mg_start_domain2",
	"mg_set_auth_handler", "mg_get_server_ports", "mg_get_valid_options", "mg_get_option",
	"mg_get_user_context_data", "mg_get_thread_pointer",
	"mg_modify_passwords_file", "mg_modify_passwords_file_ha1",
	"mg_disable_connection_keep_alive", "mg_disable_keep_alive",
}

// miscSources define miscFunctions.
var miscSources = []string{"src/civetbox_codec.c", "src/civetbox_info.c", "src/civetbox_unavailable.c"}

// TestMiscMatchesLibCivetWeb runs testdata/misc_diff.c, which compares
// civetbox_misc.c with libcivetweb 1.15 natively (MD5, MIME types, the
// option table, mg_get_option, the system information contract) and prints
// MD5 and base64 results, checked here against crypto/md5,
// encoding/base64 and a model of CivetWeb 1.16's base64 functions.
func TestMiscMatchesLibCivetWeb(t *testing.T) {
	cc := toolchain.NativeCivetWeb(t)
	dir := t.TempDir()
	flags := append(append([]string{}, nativeFlags...), sanitizerFlags(t, cc, dir)...)

	var objs []string
	for i, src := range miscSources {
		obj := filepath.Join(dir, fmt.Sprintf("misc%d.o", i))
		args := append(append([]string{}, flags...), "-I", "include", "-c", src, "-o", obj)
		for _, name := range miscFunctions {
			args = append(args, "-D"+name+"=cb_"+name)
		}
		runCC(t, cc, args...)
		objs = append(objs, obj)
	}
	requireDefines(t, objs, miscFunctions)

	bin := filepath.Join(dir, "misc_diff")
	runCC(t, cc, append(append(append(flags, "testdata/misc_diff.c"), objs...), "-lcivetweb", "-o", bin)...)

	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "ASAN_OPTIONS=detect_leaks=0")
	out, err := cmd.CombinedOutput()
	var report []string
	for line := range strings.Lines(string(out)) {
		if len(line) < 2 || line[1] != ' ' || !strings.ContainsRune("MEDSC", rune(line[0])) {
			report = append(report, strings.TrimRight(line, "\n"))
		}
	}
	require.NoError(t, err, "the misc sources differ from libcivetweb:\n%s", strings.Join(report, "\n"))

	counts := checkPrinted(t, out)
	t.Log(strings.Join(report, "\n"))
	t.Logf("Go side: %d MD5 digests match crypto/md5, %d base64 encodings match encoding/base64, "+
		"%d base64 decodings match the CivetWeb 1.16 model (%d of them also encoding/base64)",
		counts['M'], counts['E'], counts['D'], counts['d'])
}

// checkPrinted verifies every line misc_diff printed for the Go side and
// counts them by kind ('d' counts decodings also checked against
// encoding/base64).
func checkPrinted(t *testing.T, out []byte) map[byte]int {
	t.Helper()
	counts := map[byte]int{}
	failures := 0
	fail := func(format string, args ...any) {
		failures++
		if failures <= 30 {
			t.Errorf(format, args...)
		}
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if len(line) < 2 || line[1] != ' ' {
			continue
		}
		f := strings.Fields(line)
		switch line[0] {
		case 'M':
			require.Len(t, f, 3, line)
			in := unhex(t, f[1])
			if want := fmt.Sprintf("%x", md5.Sum(in)); f[2] != want {
				fail("mg_md5(%q) = %s, crypto/md5 %s", in, f[2], want)
			}
			counts['M']++
		case 'E', 'D':
			c := parseB64Case(t, f)
			var want b64Result
			if c.op == 'E' {
				want = modelEncode(c)
			} else {
				want = modelDecode(c)
				if checkDecodeWithGo(t, c) {
					counts['d']++
				}
			}
			if want != c.got {
				fail("%s:\n  got  %+v\n  want %+v", c, c.got, want)
			}
			counts[c.op]++
		case 'S', 'C':
			require.Len(t, f, 2, line)
			checkInfoJSON(t, unhex(t, f[1]), line[0] == 'S')
			counts[line[0]]++
		}
	}
	require.NoError(t, sc.Err())
	require.Zero(t, failures, "printed results differ")
	require.Greater(t, counts['M'], 2000)
	require.Greater(t, counts['E'], 5000)
	require.Greater(t, counts['D'], 20000)
	require.Greater(t, counts['d'], 500)
	require.Equal(t, 1, counts['S'])
	require.Equal(t, 1, counts['C'])
	return counts
}

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	if s == "-" {
		return nil
	}
	b, err := hex.DecodeString(s)
	require.NoError(t, err)
	return b
}

// ---- base64 -------------------------------------------------------------------

// b64Fill is what misc_diff fills destination buffers with.
const b64Fill = 0xa5

// b64Case is one printed call: op 'E' (encode) or 'D' (decode), src,
// the dst_len passed (-1 for a NULL dst_len), whether dst was NULL, and
// what came back, the destination buffer included.
type b64Case struct {
	op      byte
	src     []byte
	dstLen  int
	dstNull bool
	got     b64Result
}

type b64Result struct {
	ret    int
	dstLen int    // -1 for a NULL dst_len
	dst    string // the printed buffer, as hex
}

func (c b64Case) String() string {
	name := map[byte]string{'E': "mg_base64_encode", 'D': "mg_base64_decode"}[c.op]
	dst := "buf"
	if c.dstNull {
		dst = "NULL"
	}
	return fmt.Sprintf("%s(%q, %d, %s, dst_len %d)", name, c.src, len(c.src), dst, c.dstLen)
}

func parseB64Case(t *testing.T, f []string) b64Case {
	t.Helper()
	require.Len(t, f, 7, strings.Join(f, " "))
	num := func(s string) int {
		n, err := strconv.Atoi(s)
		require.NoError(t, err)
		return n
	}
	return b64Case{
		op: f[0][0], src: unhex(t, f[1]), dstLen: num(f[2]), dstNull: f[3] == "1",
		got: b64Result{ret: num(f[4]), dstLen: num(f[5]), dst: f[6]},
	}
}

// buffer is the printed destination before the call.
func (c b64Case) buffer() []byte {
	return bytes.Repeat([]byte{b64Fill}, len(c.got.dst)/2)
}

// modelEncode: the output is encoding/base64's with a NUL; -1 when it
// fits, else 0, with an empty string if there is room for one. dst_len
// (when given) becomes the size needed, NUL included. A NULL dst is a
// buffer of size 0 (civetbox's choice: CivetWeb would crash).
func modelEncode(c b64Case) b64Result {
	enc := base64.StdEncoding.EncodeToString(c.src) + "\x00"
	buf := c.buffer()
	res := b64Result{dstLen: c.dstLen}
	if c.dstLen >= 0 {
		res.dstLen = len(enc)
	}
	if c.dstNull || c.dstLen >= 0 && c.dstLen < len(enc) {
		if !c.dstNull && c.dstLen > 0 {
			buf[0] = 0
		}
		res.ret = 0
	} else {
		copy(buf, enc)
		res.ret = -1
	}
	res.dst = hex.EncodeToString(buf)
	if len(buf) == 0 {
		res.dst = "-"
	}
	return res
}

// modelDecode states CivetWeb 1.16's mg_base64_decode (read from its
// source): groups of four characters, each a base64 digit, except that
// the third and fourth may be '='; a missing character is invalid. An
// invalid character returns its index with *dst_len 0 and the groups
// before it decoded. A '=' third character yields one byte whatever the
// fourth is (decoding goes on with the next group), a '=' fourth two.
// Bytes are stored while they fit and counted anyway; a NUL follows. The
// result is -1, or 0 if the count (NUL included) exceeds dst_len.
func modelDecode(c b64Case) b64Result {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	const pad, bad = 64, 65
	buf := c.buffer()
	limit := len(buf) // a NULL dst_len: the whole buffer is there
	res := b64Result{dstLen: -1}
	if c.dstLen >= 0 {
		limit = c.dstLen
		res.dstLen = 0
	}
	if c.dstNull {
		limit = 0
	}
	value := func(i int) int {
		if i >= len(c.src) {
			return bad
		}
		if c.src[i] == '=' {
			return pad
		}
		if v := strings.IndexByte(alphabet, c.src[i]); v >= 0 {
			return v
		}
		return bad
	}
	used := 0
	put := func(b int) {
		if used < limit {
			buf[used] = byte(b)
		}
		used++
	}
	finish := func(ret int) b64Result {
		res.ret = ret
		res.dst = hex.EncodeToString(buf)
		if len(buf) == 0 {
			res.dst = "-"
		}
		return res
	}
	for i := 0; i < len(c.src); i += 4 {
		a, b, cc, d := value(i), value(i+1), value(i+2), value(i+3)
		switch {
		case a >= pad:
			return finish(i)
		case b >= pad:
			return finish(i + 1)
		case cc == bad:
			return finish(i + 2)
		case d == bad:
			return finish(i + 3)
		}
		put(a<<2 | b>>4)
		if cc != pad {
			put((b<<4 | cc>>2) & 0xff)
			if d != pad {
				put((cc<<6 | d) & 0xff)
			}
		}
	}
	put(0)
	if c.dstLen >= 0 {
		res.dstLen = used
	}
	if used > limit {
		return finish(0)
	}
	return finish(-1)
}

// checkDecodeWithGo compares a decoding with encoding/base64 where both
// must agree: input in standard padded form (Go's decoder also skips CR
// and LF, CivetWeb's does not) and a buffer with room. It reports whether
// the case was such a one.
func checkDecodeWithGo(t *testing.T, c b64Case) bool {
	t.Helper()
	if c.dstNull || c.dstLen >= 0 && c.dstLen < len(c.src)/4*3+1 || bytes.ContainsAny(c.src, "\r\n") {
		return false
	}
	want, err := base64.StdEncoding.DecodeString(string(c.src))
	if err != nil || len(c.src)%4 != 0 {
		return false
	}
	require.Equal(t, -1, c.got.ret, "%s: encoding/base64 accepts it", c)
	got := unhex(t, c.got.dst)
	require.Equal(t, append(want, 0), got[:len(want)+1], "%s against encoding/base64", c)
	if c.dstLen >= 0 {
		require.Equal(t, len(want)+1, c.got.dstLen, "%s: dst_len", c)
	}
	return true
}

// ---- system information -------------------------------------------------------

// hostSecrets are facts about the machine running the test that must not
// reach a guest.
func hostSecrets(t *testing.T) []string {
	t.Helper()
	var secrets []string
	if h, err := os.Hostname(); err == nil && len(h) > 2 {
		secrets = append(secrets, h)
	}
	if wd, err := os.Getwd(); err == nil {
		secrets = append(secrets, wd, filepath.Base(filepath.Dir(wd)))
	}
	for _, f := range []string{"/proc/sys/kernel/osrelease", "/proc/sys/kernel/version", "/etc/machine-id"} {
		if b, err := os.ReadFile(f); err == nil && len(bytes.TrimSpace(b)) > 2 {
			secrets = append(secrets, string(bytes.TrimSpace(b)))
		}
	}
	if u := os.Getenv("USER"); len(u) > 2 {
		secrets = append(secrets, u)
	}
	return append(secrets, goruntime.GOOS, goruntime.GOARCH, "Linux", "gcc", "clang", "x86_64")
}

// checkInfoJSON parses mg_get_system_info's (system) or
// mg_get_context_info's JSON and checks it says nothing but the expected.
func checkInfoJSON(t *testing.T, text []byte, system bool) {
	t.Helper()
	require.True(t, bytes.HasPrefix(text, []byte("{\n")) && bytes.HasSuffix(text, []byte("\n}\n")),
		"CivetWeb's layout: %q", text)
	var got map[string]any
	require.NoError(t, json.Unmarshal(text, &got), "%s", text)
	want := map[string]any{"sandbox": "civetbox", "abi": float64(abi.Version)}
	if system {
		want["version"] = "1.15"
		want["os"] = "wasm32-wasi"
		want["features"] = float64(0x81) // MG_FEATURES_FILES | MG_FEATURES_CACHE
		want["feature_list"] = "Server: Files Cache"
	} else {
		want["stats"] = false
	}
	require.Equal(t, want, got)
	for _, s := range hostSecrets(t) {
		require.NotContains(t, strings.ToLower(string(text)), strings.ToLower(s), "the JSON leaks a host fact")
	}
}

// ---- symbols ----------------------------------------------------------------------

// requireDefines checks that obj defines exactly cb_<name> for each of
// names as global symbols (see requireOnlyRenamedSymbols).
func requireDefines(t *testing.T, objs []string, names []string) {
	t.Helper()
	var defined, want []string
	for _, obj := range objs {
		syms, ok := globalSymbols(t, obj)
		if !ok {
			return
		}
		defined = append(defined, syms...)
	}
	for _, name := range names {
		want = append(want, "cb_"+name)
	}
	sort.Strings(defined)
	sort.Strings(want)
	require.Equal(t, want, defined, "global symbols defined by %v", miscSources)
}

// globalSymbols lists the CivetWeb symbols an object defines, leaving out
// compiler internals (__*) and the SDK's own (civetbox_*).
func globalSymbols(t *testing.T, obj string) ([]string, bool) {
	f, err := elf.Open(obj)
	if err != nil {
		t.Logf("not checking the defined symbols: %v", err)
		return nil, false
	}
	defer f.Close()
	syms, err := f.Symbols()
	require.NoError(t, err)
	var defined []string
	for _, s := range syms {
		global := elf.ST_BIND(s.Info) == elf.STB_GLOBAL || elf.ST_BIND(s.Info) == elf.STB_WEAK
		internal := strings.HasPrefix(s.Name, "__") || strings.HasPrefix(s.Name, "civetbox_")
		if global && s.Section != elf.SHN_UNDEF && !internal {
			defined = append(defined, s.Name)
		}
	}
	return defined, true
}

// ---- wasm ---------------------------------------------------------------------------

// TestMiscCompilesForWasm32 builds civetbox_misc.c and the test guest for
// the guest target with -Wall -Wextra as errors.
func TestMiscCompilesForWasm32(t *testing.T) {
	tc := toolchain.Wasm(t)
	for _, src := range append(miscSources, "testdata/misc_guest.c") {
		obj := filepath.Join(t.TempDir(), "out.o")
		cmd := exec.Command(tc.Clang, "--target=wasm32-wasi", "--sysroot="+tc.Sysroot,
			"-O2", "-Wall", "-Wextra", "-Werror", "-I", "include", "-c", src, "-o", obj)
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s: %s", src, out)
		require.Empty(t, strings.TrimSpace(string(out)), "clang printed diagnostics for %s", src)
	}
}

// TestMiscInWasm serves testdata/misc_guest.c with the real runtime and
// checks what each function returned inside the sandbox and what it logged.
func TestMiscInWasm(t *testing.T) {
	tc := toolchain.Wasm(t)
	wasm := filepath.Join(t.TempDir(), "misc.wasm")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(t, tc.Build(ctx, wasm, []string{"testdata/misc_guest.c"}, "-Wextra", "-Werror"))
	module, err := os.ReadFile(wasm)
	require.NoError(t, err)

	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		logs := &testutil.SyncBuffer{}
		h, err := runtime.Load(context.Background(), eng, module, runtime.Config{
			Name: "misc", Mode: runtime.ModePooled, PoolSize: 1,
			Logger: slog.New(slog.NewTextHandler(logs, nil)),
		})
		require.NoError(t, err)
		srv := httptest.NewServer(h)
		t.Cleanup(func() {
			srv.Close()
			require.NoError(t, h.Close(context.Background()))
		})
		// civetbox_init ran once, for the one pooled instance.
		for _, fn := range []string{"mg_set_websocket_handler", "mg_set_websocket_handler_with_subprotocols"} {
			require.Equal(t, 1, strings.Count(logs.String(), fn+": not available in the civetbox sandbox\""), fn)
		}
		initLogs := len(logs.String())

		status, body := get(t, srv.URL+"/misc")
		require.Equal(t, http.StatusOK, status, body)
		got := map[string]string{}
		for line := range strings.Lines(body) {
			k, v, ok := strings.Cut(strings.TrimSuffix(line, "\n"), "=")
			require.True(t, ok, line)
			got[k] = v
		}
		msg := func(fn string) string { return fn + " is not available in the civetbox sandbox" }
		want := map[string]string{
			"mg_download":                                   "NULL|" + msg("mg_download"),
			"mg_connect_client":                             "NULL|" + msg("mg_connect_client"),
			"mg_connect_client_secure":                      "NULL|" + msg("mg_connect_client_secure"),
			"mg_connect_websocket_client":                   "NULL|" + msg("mg_connect_websocket_client"),
			"mg_connect_websocket_client_extensions":        "NULL|" + msg("mg_connect_websocket_client_extensions"),
			"mg_connect_websocket_client_secure":            "NULL|" + msg("mg_connect_websocket_client_secure"),
			"mg_connect_websocket_client_secure_extensions": "NULL|" + msg("mg_connect_websocket_client_secure_extensions"),
			"mg_connect_client_short":                       "NULL|" + msg("mg_connect_client")[:11],
			"mg_get_response":                               "-1|" + msg("mg_get_response"),
			"mg_get_response_info":                          "NULL",
			"mg_close_connection":                           "returned",
			"mg_websocket_write":                            "-1",
			"mg_websocket_client_write":                     "-1",
			"mg_start_thread":                               "-1",
			"mg_start":                                      "NULL",
			"mg_start2":                                     "NULL|" + msg("mg_start2") + "|code_ptr_kept=1|code=7",
			"mg_start_domain":                               "-1",
			"mg_start_domain2":                              "-1|" + msg("mg_start_domain2"),
			"mg_stop":                                       "returned",
			"mg_get_server_ports":                           "-1|zeroed=1",
			"mg_get_valid_options":                          "61|listening_ports|allow_index_script_resource",
			"mg_get_option_document_root":                   "value|",
			"mg_get_option_invalid":                         "NULL",
			"mg_get_user_context_data":                      "NULL",
			"mg_get_thread_pointer":                         "NULL",
			"mg_modify_passwords_file":                      "0",
			"mg_modify_passwords_file_ha1":                  "0",
			"quiet":                                         "returned",
			"mg_md5":                                        fmt.Sprintf("%x", md5.Sum([]byte("civetbox"))),
			"mg_md5_empty":                                  fmt.Sprintf("%x", md5.Sum(nil)),
			"mime":                                          "text/html|text/plain|application/font-woff2",
			"mg_check_feature":                              "129|0",
			"mg_init_library":                               "129|0",
			"mg_exit_library":                               "1",
			"mg_base64_encode":                              "-1|13|" + base64.StdEncoding.EncodeToString([]byte("civetbox")),
			"mg_base64_decode":                              "-1|9|civetbox",
			"mg_base64_decode_bad":                          "4|0",
		}
		sysInfo := got["mg_get_system_info_size"]
		delete(got, "mg_get_system_info_size")
		require.Equal(t, want, got)

		// Each stub logged once for its call; the quiet ones not at all.
		reqLogs := logs.String()[initLogs:]
		logged := []string{
			"mg_download", "mg_connect_client", "mg_connect_client_secure",
			"mg_connect_websocket_client", "mg_connect_websocket_client_extensions",
			"mg_connect_websocket_client_secure", "mg_connect_websocket_client_secure_extensions",
			"mg_get_response", "mg_close_connection", "mg_websocket_write", "mg_websocket_client_write",
			"mg_start_thread", "mg_start", "mg_start2", "mg_start_domain", "mg_start_domain2", "mg_stop",
			"mg_get_server_ports", "mg_modify_passwords_file", "mg_modify_passwords_file_ha1",
		}
		wantCount := map[string]int{"mg_connect_client": 2} // once more with the short buffer
		for _, fn := range logged {
			require.Equal(t, max(1, wantCount[fn]), strings.Count(reqLogs, fn+": not available in the civetbox sandbox\""),
				"log lines for %s in:\n%s", fn, reqLogs)
		}
		require.Equal(t, len(logged)+1, strings.Count(reqLogs, "not available in the civetbox sandbox"),
			"only those functions logged:\n%s", reqLogs)

		// mg_stop did not stop anything.
		status, body = get(t, srv.URL+"/after_stop")
		require.Equal(t, http.StatusOK, status)
		require.Equal(t, "still serving\n", body)

		// The system information: its size, and JSON that tells nothing
		// about the host.
		status, sys := get(t, srv.URL+"/system_info")
		require.Equal(t, http.StatusOK, status)
		checkInfoJSON(t, []byte(sys), true)
		require.Equal(t, fmt.Sprintf("%d|%d", len(sys), len(sys)), sysInfo)
		status, ctxInfo := get(t, srv.URL+"/context_info")
		require.Equal(t, http.StatusOK, status)
		checkInfoJSON(t, []byte(ctxInfo), false)
	})
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

// TestAuthHandlerRefusesToStart: authorization handlers do not run in the
// sandbox, so a module registering one must not start (serving its URIs
// unchecked would be worse).
func TestAuthHandlerRefusesToStart(t *testing.T) {
	tc := toolchain.Wasm(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "auth.c")
	require.NoError(t, os.WriteFile(src, []byte(`#include "civetweb.h"
static int deny(struct mg_connection *c, void *d) { (void)c; (void)d; return 0; }
static int ok(struct mg_connection *c, void *d) { (void)d; return mg_printf(c, "ok"); }
int civetbox_init(struct mg_context *ctx) {
	mg_set_request_handler(ctx, "/secret", ok, NULL);
	mg_set_auth_handler(ctx, "/secret", deny, NULL);
	return 0;
}
`), 0o644))
	wasm := filepath.Join(dir, "auth.wasm")
	require.NoError(t, tc.Build(context.Background(), wasm, []string{src}))
	module, err := os.ReadFile(wasm)
	require.NoError(t, err)
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		logs := &testutil.SyncBuffer{}
		_, err := runtime.Load(context.Background(), eng, module, runtime.Config{
			Logger: slog.New(slog.NewTextHandler(logs, nil)),
		})
		require.ErrorIs(t, err, runtime.ErrInit)
		require.ErrorContains(t, err, "civetbox_init returned -1")
		require.Contains(t, logs.String(), "refusing to start rather than serve /secret without its check")
	})
}
