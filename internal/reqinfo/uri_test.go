package reqinfo

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestURLDecode(t *testing.T) {
	cases := []struct {
		name       string
		in         string
		path, form string // results with form false and true
	}{
		{"empty", "", "", ""},
		{"nothing to decode", "/a/b.c", "/a/b.c", "/a/b.c"},
		{"escape", "%41", "A", "A"},
		{"lower-case hex", "%4a%2f", "J/", "J/"},
		{"upper-case hex", "%4A%2F", "J/", "J/"},
		{"high byte", "%e9%FF", "\xe9\xff", "\xe9\xff"},
		{"space", "/a%20b", "/a b", "/a b"},
		{"NUL", "a%00b", "a\x00b", "a\x00b"},
		{"dot escapes", "/%2e%2E/", "/../", "/../"},
		{"backslash escape", "%5c", "\\", "\\"},
		{"percent alone", "%", "%", "%"},
		{"percent at end", "a%", "a%", "a%"},
		{"one hex digit", "%4", "%4", "%4"},
		{"one hex digit at end", "ab%4", "ab%4", "ab%4"},
		{"not hex", "%zz", "%zz", "%zz"},
		{"second digit not hex", "%4z", "%4z", "%4z"},
		{"first digit not hex", "%z4", "%z4", "%z4"},
		{"non-ASCII after percent", "%\u00e9", "%\u00e9", "%\u00e9"},
		{"percent then escape", "%%41", "%A", "%A"},
		{"decoded once only", "%2541", "%41", "%41"},
		{"escaped percent then digits", "%25%34%31", "%41", "%41"},
		{"plus", "+", "+", " "},
		{"plus and escaped plus", "a+b%2Bc", "a+b+c", "a b+c"},
		{"escaped space and plus", "%20+", " +", "  "},
		{"many", "/x%3Fy%23z?%3D", "/x?y#z?=", "/x?y#z?="},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.path, URLDecode(c.in, false), "URLDecode(%q, false)", c.in)
			require.Equal(t, c.form, URLDecode(c.in, true), "URLDecode(%q, true)", c.in)
		})
	}
}

// removeDotSegmentsCases follow CivetWeb 1.15's remove_dot_segments: '\'
// becomes '/', then RFC 3986 section 5.2.4, then runs of dots that end a
// segment are dropped and "//" collapses.
var removeDotSegmentsCases = []struct {
	name, in, want string
}{
	// RFC 3986 section 5.2.4's examples.
	{"RFC example 1", "/a/b/c/./../../g", "/a/g"},
	{"RFC example 2", "mid/content=5/../6", "mid/6"},

	{"empty", "", ""},
	{"root", "/", "/"},
	{"plain", "/a/b", "/a/b"},
	{"trailing slash kept", "/a/b/", "/a/b/"},
	{"dot", "/a/./b", "/a/b"},
	{"dot dot", "/a/../b", "/b"},
	{"trailing dot dot", "/a/b/..", "/a/"},
	{"trailing dot", "/a/b/.", "/a/b/"},
	{"dot then dot dot", "/x/./../y", "/y"},
	{"dot slash dot", "/a/./.", "/a/"},
	{"two levels up", "/a/b/c/../../..", "/"},
	{"climb above root", "/..", "/"},
	{"climb above root twice", "/../..", "/"},
	{"climb above root to a file", "/../../etc/passwd", "/etc/passwd"},
	{"climb above root from a directory", "/a/../../b", "/b"},
	{"climb far above root", "/a/b/../../../../c", "/c"},
	{"relative dot dot", "..", ""},
	{"relative dot", ".", ""},
	{"relative dot dot slash", "../a", "a"},
	{"relative dot slash", "./a", "a"},
	{"relative segment then dot dot", "a/..", "/"},
	{"relative", "a/b", "a/b"},
	{"slash dot", "/.", "/"},
	{"slash dot slash", "/./", "/"},

	// Backslashes are slashes.
	{"backslash dot dot", "\\a\\..\\b", "/b"},
	{"backslash separator", "/a\\b", "/a/b"},
	{"backslash climb", "/a/..\\..\\..\\b", "/b"},
	{"backslash after dot", "/a/.\\", "/a/"},
	{"double backslash", "\\\\x", "/x"},

	// Repeated slashes collapse.
	{"leading double slash", "//x", "/x"},
	{"inner double slash", "/a//b", "/a/b"},
	{"slashes only", "///", "/"},
	{"dot then double slash", "/.//a", "/a"},
	{"double slash then dot dot", "/a//../b", "/a/b"}, // ".." removes the empty segment

	// Dots that end a segment are dropped ("x." names "x" on Windows).
	{"trailing dot in a segment", "/a/b./c", "/a/b/c"},
	{"trailing dot at the end", "/a.", "/a"},
	{"trailing dots at the end", "/a/b..", "/a/b"},
	{"three dots at the end", "/a/...", "/a/"},
	{"three dots as a segment", "/a/.../b", "/a/b"},
	{"four dots as a segment", "/a/..../b", "/a/b"},
	{"dots only", "/..../", "/"},
	{"dots after a name", "/a.../b", "/a/b"},
	{"dots inside a name", "/a..b", "/a..b"},
	{"leading dot", "/.a", "/.a"},
	{"leading dots", "/..a", "/..a"},
	{"dot file then dot", "/.hidden/.", "/.hidden/"},
	{"dots around a name", "/a/.b./c", "/a/.b/c"},
	{"extension kept", "/a.b", "/a.b"},
	{"dots then slashes", "/a.//b", "/a/b"},

	// Escapes are not decoded here.
	{"escaped dots are not segments", "/a/%2e%2e/b", "/a/%2e%2e/b"},
}

func TestRemoveDotSegments(t *testing.T) {
	for _, c := range removeDotSegmentsCases {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, RemoveDotSegments(c.in), "RemoveDotSegments(%q)", c.in)
		})
	}
}

// TestDecodeThenRemoveDotSegments is how local_uri is derived: CivetWeb
// decodes first, so escaped dots and slashes are segments by then.
func TestDecodeThenRemoveDotSegments(t *testing.T) {
	cases := []struct{ in, want string }{
		{"/a/%2e%2e/b", "/b"},
		{"/%2e%2e/%2e%2e/etc", "/etc"},
		{"/a/%2E/b", "/a/b"},
		{"/a%2f..%2fb", "/b"},
		{"/a%5c..%5cb", "/b"},
		{"/a/%2e%2e%5c%2e%2e%5cb", "/b"},
		{"/%252e%252e/x", "/%2e%2e/x"}, // decoded once: not a dot segment
		{"/a%20b/.", "/a b/"},
		{"/x%2e/y", "/x/y"},
		{"/%2f%2fx", "/x"},
		{"/a+b/..", "/"},
	}
	for _, c := range cases {
		require.Equal(t, c.want, RemoveDotSegments(URLDecode(c.in, false)), "local_uri of %q", c.in)
	}
}

// FuzzRemoveDotSegments checks, for any input, properties that follow from
// CivetWeb's algorithm (and so hold for it too):
//
//   - no '\' and no "//" remain;
//   - no '.' ends a segment (the final pass drops every run of dots before
//     '/' or the end), so in particular no "." or ".." segment remains: no
//     "/../", no "/./", no trailing "/.." or "/.";
//   - the result is never longer than the input;
//   - a path that starts with '/' (or '\') keeps its leading '/';
//   - the result is a fixed point: cleaning it again changes nothing.
func FuzzRemoveDotSegments(f *testing.F) {
	for _, c := range removeDotSegmentsCases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := RemoveDotSegments(in)
		if strings.Contains(out, "\\") || strings.Contains(out, "//") {
			t.Fatalf("RemoveDotSegments(%q) = %q keeps a backslash or a double slash", in, out)
		}
		if strings.Contains(out, "./") || strings.HasSuffix(out, ".") {
			t.Fatalf("RemoveDotSegments(%q) = %q keeps a segment that ends in a dot", in, out)
		}
		if strings.Contains(out, "/../") || strings.HasSuffix(out, "/..") || out == ".." {
			t.Fatalf("RemoveDotSegments(%q) = %q keeps a dot-dot segment", in, out)
		}
		if len(out) > len(in) {
			t.Fatalf("RemoveDotSegments(%q) = %q is longer than its input", in, out)
		}
		if (strings.HasPrefix(in, "/") || strings.HasPrefix(in, "\\")) && !strings.HasPrefix(out, "/") {
			t.Fatalf("RemoveDotSegments(%q) = %q lost the leading slash", in, out)
		}
		if again := RemoveDotSegments(out); again != out {
			t.Fatalf("RemoveDotSegments(%q) = %q, but RemoveDotSegments(%q) = %q", in, out, out, again)
		}
	})
}

// The fast path of RemoveDotSegments must agree with the full algorithm on
// every path it takes.
func TestRemoveDotSegmentsFastPathAgrees(t *testing.T) {
	const alphabet = "/.\\a"
	var paths []string
	var gen func(prefix string, n int)
	gen = func(prefix string, n int) {
		paths = append(paths, prefix)
		if n == 0 {
			return
		}
		for _, c := range alphabet {
			gen(prefix+string(c), n-1)
		}
	}
	gen("", 7)
	for _, p := range paths {
		require.Equal(t, removeDotSegments(p), RemoveDotSegments(p), "path %q", p)
	}
}

// isClean takes the fast path exactly for the paths its definition names:
// no backslash, no "//", no dot ending a segment.
func TestIsCleanMatchesItsDefinition(t *testing.T) {
	const alphabet = "/.\\a"
	var check func(p string, n int)
	check = func(p string, n int) {
		want := !strings.Contains(p, "\\") && !strings.Contains(p, "//") &&
			!strings.Contains(p, "./") && !strings.HasSuffix(p, ".")
		require.Equal(t, want, isClean(p), "path %q", p)
		if n > 0 {
			for _, c := range alphabet {
				check(p+string(c), n-1)
			}
		}
	}
	check("", 7)
}
