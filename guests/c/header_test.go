package csdk_test

import (
	"context"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	csdk "github.com/civetbox/civetbox/guests/c"
	"github.com/civetbox/civetbox/internal/toolchain"
)

// These tests prove that the SDK's civetweb.h is source-compatible with
// CivetWeb 1.15 as Debian ships it (libcivetweb-dev, /usr/include/civetweb.h):
// the same functions with compatible types, the same structs, enums,
// typedefs and macros.

// configs are the preprocessor configurations both headers are compared in.
var configs = []struct {
	name  string
	flags []string
}{
	{"default", nil},
	{"experimental", []string{"-DMG_EXPERIMENTAL_INTERFACES"}},
	{"legacy", []string{"-DMG_LEGACY_INTERFACE"}},
	{"experimental+legacy", []string{"-DMG_EXPERIMENTAL_INTERFACES", "-DMG_LEGACY_INTERFACE"}},
}

// apiMark replaces CIVETWEB_API when preprocessing, so the exported
// prototypes can be found in the output. Both headers define CIVETWEB_API
// only #ifndef.
const apiMark = "__CIVETBOX_API_MARK__"

// ourExtraFunctions are declared by our header and not by CivetWeb's:
// civetbox_init is the guest's entry point that replaces main().
var ourExtraFunctions = []string{"civetbox_init"}

// ourExtraAPIFunctions are CIVETWEB_API functions our header declares and
// CivetWeb 1.15's does not: the base64 helpers CivetWeb 1.16 added.
var ourExtraAPIFunctions = []string{"mg_base64_encode", "mg_base64_decode"}

// ourExtraMacros are defined by our header and not by CivetWeb's.
var ourExtraMacros = []string{"CIVETBOX_ABI_VERSION"}

// headers locates both headers and the tools, or skips.
type headers struct {
	tc      csdk.Toolchain
	cc      string // native C compiler
	ours    string // our civetweb.h (the copy the SDK embeds)
	ourDir  string // its include directory
	debian  string // /usr/include/civetweb.h
	scratch string
}

func setup(t *testing.T) headers {
	t.Helper()
	cc := toolchain.NativeCivetWeb(t)
	tc := toolchain.Wasm(t)
	dir := t.TempDir()
	inc, err := csdk.IncludeDir(dir)
	require.NoError(t, err)
	return headers{tc: tc, cc: cc, ours: filepath.Join(inc, "civetweb.h"), ourDir: inc,
		debian: toolchain.CivetWebHeader, scratch: dir}
}

// run runs a compiler and returns its stdout, or an error with its output.
func run(name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return string(out), nil
}

// wasmArgs are the clang arguments for wasm32-wasi.
func (h headers) wasmArgs(extra ...string) []string {
	return append([]string{"--target=wasm32-wasi", "--sysroot=" + h.tc.Sysroot}, extra...)
}

// writeC writes src to a new file in the scratch directory.
func (h headers) writeC(t *testing.T, name, src string) string {
	t.Helper()
	p := filepath.Join(h.scratch, name)
	require.NoError(t, os.WriteFile(p, []byte(src), 0o644))
	return p
}

// preprocess runs clang -E -P for wasm32 on a file that includes header.
func (h headers) preprocess(t *testing.T, header string, flags []string, extra ...string) string {
	t.Helper()
	src := ""
	if header != "" {
		src = fmt.Sprintf("#include %q\n", header)
	} else {
		src = "#include <stddef.h>\n#include <stdio.h>\n"
	}
	file := h.writeC(t, "pp.c", src)
	args := h.wasmArgs(append(append([]string{"-E", "-P"}, flags...), extra...)...)
	out, err := run(h.tc.Clang, append(args, file)...)
	require.NoError(t, err)
	return out
}

// ---- lexing ------------------------------------------------------------------

// stripComments removes C comments, keeping string and character literals
// and line structure (a comment becomes a space, its newlines stay).
func stripComments(src string) string {
	var b strings.Builder
	for i := 0; i < len(src); {
		switch {
		case strings.HasPrefix(src[i:], "/*"):
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				end = len(src) - i - 2
			}
			comment := src[i : i+2+end]
			b.WriteByte(' ')
			b.WriteString(strings.Repeat("\n", strings.Count(comment, "\n")))
			i += 2 + end + 2
		case strings.HasPrefix(src[i:], "//"):
			end := strings.IndexByte(src[i:], '\n')
			if end < 0 {
				end = len(src) - i
			}
			i += end
		case src[i] == '"' || src[i] == '\'':
			q := src[i]
			j := i + 1
			for j < len(src) && src[j] != q && src[j] != '\n' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			j = min(j+1, len(src))
			b.WriteString(src[i:j])
			i = j
		default:
			b.WriteByte(src[i])
			i++
		}
	}
	return b.String()
}

var tokenRE = regexp.MustCompile(`[A-Za-z_]\w*|\.\.\.|->|[0-9][\w.]*|"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|\S`)

// tokens splits preprocessed C (no comments) into tokens, skipping
// preprocessor lines.
func tokens(src string) []string {
	var toks []string
	for line := range strings.Lines(src) {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		toks = append(toks, tokenRE.FindAllString(line, -1)...)
	}
	return toks
}

// norm is a whitespace-normalized form of C text: its tokens joined by
// single spaces.
func norm(src string) string { return strings.Join(tokens(stripComments(src)), " ") }

func isIdent(tok string) bool {
	return tok != "" && (tok[0] == '_' || tok[0] >= 'A' && tok[0] <= 'Z' || tok[0] >= 'a' && tok[0] <= 'z')
}

// declarations splits a token stream into top-level declarations, each
// ending with its ';'.
func declarations(toks []string) [][]string {
	var decls [][]string
	depth, start := 0, 0
	for i, tok := range toks {
		switch tok {
		case "(", "{", "[":
			depth++
		case ")", "}", "]":
			depth--
		case ";":
			if depth == 0 {
				decls = append(decls, toks[start:i+1])
				start = i + 1
			}
		}
	}
	return decls
}

// balanced returns the tokens from toks[open] (an opening bracket) to its
// matching close, inclusive.
func balanced(toks []string, open int) []string {
	depth := 0
	for i := open; i < len(toks); i++ {
		switch toks[i] {
		case "(", "{", "[":
			depth++
		case ")", "}", "]":
			depth--
			if depth == 0 {
				return toks[open : i+1]
			}
		}
	}
	return toks[open:]
}

// ---- what a header declares ------------------------------------------------

// surface is what a preprocessed header declares beyond the system headers
// it includes.
type surface struct {
	api      map[string]string // CIVETWEB_API functions: name -> normalized prototype
	funcs    []string          // other function declarations
	structs  map[string]string // struct name -> normalized body
	enums    map[string]string // first enumerator -> normalized enumerator list
	typedefs map[string]string // name -> normalized typedef
	other    []string          // any other declaration, normalized
}

func newSurface() surface {
	return surface{api: map[string]string{}, structs: map[string]string{}, enums: map[string]string{}, typedefs: map[string]string{}}
}

// funcName is the identifier before the first '(' of a declaration.
func funcName(decl []string) string {
	for i := 1; i < len(decl); i++ {
		if decl[i] == "(" && isIdent(decl[i-1]) && decl[i-1] != "__attribute__" {
			return decl[i-1]
		}
	}
	return ""
}

// typedefName is the name a typedef declares: the identifier in "(*name)"
// for a function pointer, else the last identifier.
func typedefName(decl []string) string {
	for i := 0; i+2 < len(decl); i++ {
		if decl[i] == "(" && decl[i+1] == "*" && isIdent(decl[i+2]) {
			return decl[i+2]
		}
	}
	for i := len(decl) - 1; i >= 0; i-- {
		if isIdent(decl[i]) {
			return decl[i]
		}
	}
	return ""
}

// parseSurface collects the declarations of pp (preprocessed with
// CIVETWEB_API=apiMark) that are not in base (the system headers alone).
func parseSurface(pp, base string) surface {
	known := map[string]bool{}
	for _, d := range declarations(tokens(base)) {
		known[strings.Join(d, " ")] = true
	}
	s := newSurface()
	for _, d := range declarations(tokens(pp)) {
		text := strings.Join(d, " ")
		if known[text] {
			continue
		}
		// Struct and enum definitions, wherever they appear in d.
		defined := false
		for i := 0; i+1 < len(d); i++ {
			switch {
			case d[i] == "struct" && isIdent(d[i+1]) && i+2 < len(d) && d[i+2] == "{":
				body := balanced(d, i+2)
				s.structs[d[i+1]] = strings.Join(body, " ")
				defined = true
			case d[i] == "enum" && (d[i+1] == "{" || isIdent(d[i+1]) && i+2 < len(d) && d[i+2] == "{"):
				open := i + 1
				if d[open] != "{" {
					open++
				}
				body := balanced(d, open)
				key := ""
				if len(body) > 1 {
					key = body[1]
				}
				s.enums[key] = strings.Join(body, " ")
				defined = true
			}
		}
		switch {
		case d[0] == "typedef":
			s.typedefs[typedefName(d)] = text
		case d[0] == apiMark:
			s.api[funcName(d)] = strings.Join(d[1:], " ")
		case defined:
		case len(d) == 3 && d[0] == "struct": // forward declaration
			s.other = append(s.other, text)
		case funcName(d) != "":
			s.funcs = append(s.funcs, funcName(d))
		default:
			s.other = append(s.other, text)
		}
	}
	return s
}

// rawPrototypes extracts every CIVETWEB_API prototype from a header's text
// (all configurations: #if blocks are not evaluated), verbatim, comments
// removed.
func rawPrototypes(src string) []string {
	re := regexp.MustCompile(`(?m)^[ \t]*CIVETWEB_API\b[^;#{}]*;`)
	return re.FindAllString(stripComments(src), -1)
}

// macros returns the macros a header defines beyond the system headers
// (clang -dM), name -> normalized definition.
func (h headers) macros(t *testing.T, header string, flags []string) map[string]string {
	t.Helper()
	parse := func(out string) map[string]string {
		m := map[string]string{}
		for line := range strings.Lines(out) {
			f := strings.Fields(line)
			if len(f) < 2 || f[0] != "#define" {
				continue
			}
			name, _, _ := strings.Cut(f[1], "(")
			m[name] = strings.Join(tokenRE.FindAllString(line, -1), " ")
		}
		return m
	}
	all := parse(h.preprocess(t, header, flags, "-dM"))
	base := parse(h.preprocess(t, "", flags, "-dM"))
	for name, def := range base {
		if all[name] == def {
			delete(all, name)
		}
	}
	return all
}

// ---- comparison ---------------------------------------------------------------

// diffMaps lists the keys whose values differ between want (CivetWeb) and
// got (ours), as "kind name: CivetWeb <v> / ours <v>" lines.
func diffMaps(kind string, want, got map[string]string, extraOK []string) []string {
	var diffs []string
	for _, k := range slices.Sorted(maps.Keys(want)) {
		g, ok := got[k]
		switch {
		case !ok:
			diffs = append(diffs, fmt.Sprintf("%s %s: missing from ours (CivetWeb: %s)", kind, k, want[k]))
		case g != want[k]:
			diffs = append(diffs, fmt.Sprintf("%s %s differs:\n  CivetWeb: %s\n  ours:     %s", kind, k, want[k], g))
		}
	}
	for _, k := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[k]; !ok && !slices.Contains(extraOK, k) {
			diffs = append(diffs, fmt.Sprintf("%s %s: only in ours: %s", kind, k, got[k]))
		}
	}
	return diffs
}

func nameSet(m map[string]string) map[string]string {
	s := map[string]string{}
	for k := range m {
		s[k] = "declared"
	}
	return s
}

func listSet(l []string) map[string]string {
	s := map[string]string{}
	for _, k := range l {
		s[k] = "declared"
	}
	return s
}

// compareSurfaces returns every difference between CivetWeb's surface and
// ours: (a) exported function names, (c) struct bodies, enumerators,
// typedefs and other declarations.
func compareSurfaces(deb, ours surface) []string {
	var diffs []string
	diffs = append(diffs, diffMaps("function", nameSet(deb.api), nameSet(ours.api), ourExtraAPIFunctions)...)
	diffs = append(diffs, diffMaps("non-API function", listSet(deb.funcs), listSet(ours.funcs), ourExtraFunctions)...)
	diffs = append(diffs, diffMaps("struct", deb.structs, ours.structs, nil)...)
	diffs = append(diffs, diffMaps("enum", deb.enums, ours.enums, nil)...)
	diffs = append(diffs, diffMaps("typedef", deb.typedefs, ours.typedefs, nil)...)
	diffs = append(diffs, diffMaps("declaration", listSet(deb.other), listSet(ours.other), nil)...)
	return diffs
}

// surfaceOf preprocesses header in a configuration and parses it.
func (h headers) surfaceOf(t *testing.T, header string, flags []string) surface {
	t.Helper()
	mark := "-DCIVETWEB_API=" + apiMark
	return parseSurface(h.preprocess(t, header, flags, mark), h.preprocess(t, "", flags, mark))
}

// ---- tests ---------------------------------------------------------------------

// TestHeader_declaresSameAPI: (a) every function CivetWeb's header declares
// is declared by ours and vice versa, in each configuration; (c) every
// struct, enum, typedef and macro agrees after preprocessing. Our header's
// comments differ; preprocessing removes them.
func TestHeader_declaresSameAPI(t *testing.T) {
	h := setup(t)
	debSrc, err := os.ReadFile(h.debian)
	require.NoError(t, err)
	ourSrc, err := os.ReadFile(h.ours)
	require.NoError(t, err)

	// The raw extraction (all #if branches) and the preprocessed one
	// (configurations) must agree on Debian's header, so neither can miss a
	// prototype silently.
	rawNames := map[string]bool{}
	for _, p := range rawPrototypes(string(debSrc)) {
		name := funcName(tokens(p))
		require.NotEmpty(t, name, "no function name in %q", p)
		require.False(t, rawNames[name], "CivetWeb declares %s twice", name)
		rawNames[name] = true
	}
	ourRaw := map[string]bool{}
	for _, p := range rawPrototypes(string(ourSrc)) {
		ourRaw[funcName(tokens(p))] = true
	}
	for _, name := range ourExtraAPIFunctions {
		require.False(t, rawNames[name], "CivetWeb 1.15 declares %s; it is no longer an extra", name)
		require.True(t, ourRaw[name], "our header does not declare the extra %s", name)
		delete(ourRaw, name)
	}
	require.Equal(t, slices.Sorted(maps.Keys(rawNames)), slices.Sorted(maps.Keys(ourRaw)),
		"function names over all #if branches")

	seen := map[string]bool{}
	counts := map[string]int{}
	for _, cfg := range configs {
		t.Run(cfg.name, func(t *testing.T) {
			deb := h.surfaceOf(t, h.debian, cfg.flags)
			ours := h.surfaceOf(t, h.ours, cfg.flags)
			for name := range deb.api {
				require.True(t, rawNames[name], "preprocessing found %s, the raw parser did not", name)
				seen[name] = true
			}
			counts[cfg.name] = len(deb.api)
			require.NotEmpty(t, deb.structs)
			require.NotEmpty(t, deb.enums)
			require.NotEmpty(t, deb.typedefs)

			diffs := compareSurfaces(deb, ours)
			diffs = append(diffs, diffMaps("macro", h.macros(t, h.debian, cfg.flags), h.macros(t, h.ours, cfg.flags), ourExtraMacros)...)
			require.Empty(t, diffs, "our civetweb.h differs from CivetWeb 1.15's:\n%s", strings.Join(diffs, "\n"))
			t.Logf("%d functions, %d structs, %d enums, %d typedefs agree", len(deb.api), len(deb.structs), len(deb.enums), len(deb.typedefs))
		})
	}
	require.Equal(t, len(rawNames), len(seen), "every raw prototype is declared in some configuration")
	require.Greater(t, counts["experimental"], counts["default"], "MG_EXPERIMENTAL_INTERFACES adds prototypes")

	// The version macros, MG_MAX_HEADERS and the handler typedef, spelled out.
	m := h.macros(t, h.ours, nil)
	require.Equal(t, `# define CIVETWEB_VERSION "1.15"`, m["CIVETWEB_VERSION"])
	require.Equal(t, "# define CIVETWEB_VERSION_MAJOR ( 1 )", m["CIVETWEB_VERSION_MAJOR"])
	require.Equal(t, "# define CIVETWEB_VERSION_MINOR ( 15 )", m["CIVETWEB_VERSION_MINOR"])
	require.Equal(t, "# define CIVETWEB_VERSION_PATCH ( 0 )", m["CIVETWEB_VERSION_PATCH"])
	require.Equal(t, "# define MG_MAX_HEADERS ( 64 )", m["MG_MAX_HEADERS"])
	require.Equal(t, "typedef int ( * mg_request_handler ) ( struct mg_connection * conn , void * cbdata ) ;",
		h.surfaceOf(t, h.ours, nil).typedefs["mg_request_handler"])
}

// TestHeader_prototypesAreCompatible: (b) a file that includes our header
// and then repeats every prototype of CivetWeb's header verbatim compiles
// for wasm32 and natively (a conflicting redeclaration is an error), and
// the same the other way round.
func TestHeader_prototypesAreCompatible(t *testing.T) {
	h := setup(t)
	debSrc, err := os.ReadFile(h.debian)
	require.NoError(t, err)
	ourSrc, err := os.ReadFile(h.ours)
	require.NoError(t, err)
	debProtos := rawPrototypes(string(debSrc))
	ourProtos := rawPrototypes(string(ourSrc))
	require.NotEmpty(t, debProtos)

	for _, cfg := range configs {
		t.Run(cfg.name, func(t *testing.T) {
			// CivetWeb's prototypes after our header...
			src := redeclare(h.ours, debProtos)
			require.NoError(t, h.compileEverywhere(t, src, cfg.flags), "CivetWeb's prototypes conflict with ours")
			// ...and ours after CivetWeb's header.
			src = redeclare(h.debian, ourProtos)
			require.NoError(t, h.compileEverywhere(t, src, cfg.flags), "our prototypes conflict with CivetWeb's")
		})
	}
	t.Logf("%d CivetWeb prototypes and %d of ours redeclared without conflict", len(debProtos), len(ourProtos))
}

// redeclare is a C file that includes header and repeats protos with
// CIVETWEB_API defined away.
func redeclare(header string, protos []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "#include %q\n#undef CIVETWEB_API\n#define CIVETWEB_API\n\n", header)
	for _, p := range protos {
		b.WriteString(strings.TrimSpace(p))
		b.WriteString("\n")
	}
	return b.String()
}

// compileEverywhere runs -fsyntax-only with clang for wasm32, clang for the
// host and the native cc; the first failure is returned.
func (h headers) compileEverywhere(t *testing.T, src string, flags []string) error {
	t.Helper()
	file := h.writeC(t, "redeclare.c", src)
	common := append([]string{"-std=c11", "-fsyntax-only", "-Wall", "-Werror"}, flags...)
	builds := []struct {
		name string
		args []string
	}{
		{h.tc.Clang, h.wasmArgs(common...)},
		{h.tc.Clang, common},
		{h.cc, common},
	}
	for _, b := range builds {
		if _, err := run(b.name, append(b.args, file)...); err != nil {
			return err
		}
	}
	return nil
}

// TestHeader_detectsDifferences proves the comparisons can fail: a mutated
// copy of CivetWeb's header must differ from the original in the expected
// place, and a conflicting prototype must not compile.
func TestHeader_detectsDifferences(t *testing.T) {
	h := setup(t)
	debSrc, err := os.ReadFile(h.debian)
	require.NoError(t, err)
	orig := h.surfaceOf(t, h.debian, nil)
	origMacros := h.macros(t, h.debian, nil)

	mutations := []struct {
		name, old, new, want string
	}{
		{"struct field type", "\tint remote_port;", "\tlong remote_port;", "struct mg_request_info differs"},
		{"enum value", "MG_FEATURES_CGI = 0x4u", "MG_FEATURES_CGI = 0x5u", "enum MG_FEATURES_DEFAULT differs"},
		{"missing prototype", "CIVETWEB_API const char *mg_get_header(", "const char *mg_get_header(", "function mg_get_header: missing"},
		{"typedef", "typedef int (*mg_request_handler)(struct mg_connection *conn, void *cbdata);",
			"typedef long (*mg_request_handler)(struct mg_connection *conn, void *cbdata);", "typedef mg_request_handler differs"},
		{"macro", "#define MG_MAX_HEADERS (64)", "#define MG_MAX_HEADERS (65)", "macro MG_MAX_HEADERS differs"},
	}
	for i, m := range mutations {
		t.Run(m.name, func(t *testing.T) {
			require.Equal(t, 1, strings.Count(string(debSrc), m.old), "mutation anchor %q", m.old)
			mutated := filepath.Join(h.scratch, fmt.Sprintf("mutated%d.h", i))
			require.NoError(t, os.WriteFile(mutated, []byte(strings.Replace(string(debSrc), m.old, m.new, 1)), 0o644))
			diffs := compareSurfaces(orig, h.surfaceOf(t, mutated, nil))
			diffs = append(diffs, diffMaps("macro", origMacros, h.macros(t, mutated, nil), ourExtraMacros)...)
			require.NotEmpty(t, diffs, "the mutation went unnoticed")
			require.Contains(t, strings.Join(diffs, "\n"), m.want)
		})
	}
	t.Run("conflicting prototype", func(t *testing.T) {
		src := redeclare(h.ours, []string{"CIVETWEB_API long long mg_read(struct mg_connection *, void *buf, size_t len);"})
		err := h.compileEverywhere(t, src, nil)
		require.ErrorContains(t, err, "mg_read")
		// Each compiler on its own must reject it too.
		file := h.writeC(t, "conflict.c", src)
		for _, args := range [][]string{h.wasmArgs("-fsyntax-only", file), {"-fsyntax-only", file}} {
			_, err := run(h.tc.Clang, args...)
			require.Error(t, err)
		}
		_, err = run(h.cc, "-fsyntax-only", "-I", h.ourDir, file)
		require.Error(t, err)
	})
}
