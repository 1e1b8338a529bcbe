package route

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// matchPrefixCases are worked out by hand from CivetWeb 1.15's match_prefix:
// the result is the length of the matched prefix of s, or -1.
var matchPrefixCases = []struct {
	name       string
	pattern, s string
	want       int
}{
	// Plain prefixes.
	{"empty pattern, empty string", "", "", 0},
	{"empty pattern matches nothing of a path", "", "/x", 0},
	{"slash", "/", "/", 1},
	{"slash is a prefix of everything", "/", "/anything/at/all", 1},
	{"prefix", "/a", "/abc", 2},
	{"exact", "/abc", "/abc", 4},
	{"pattern longer than string", "/abcdef", "/abc", -1},
	{"pattern against empty string", "/abc", "", -1},
	{"mismatch in the middle", "/abd", "/abc", -1},
	{"trailing slash in pattern", "/a/", "/a/b", 3},
	{"trailing slash in pattern, none in string", "/a/", "/a", -1},

	// ASCII case-insensitivity, both ways, and only ASCII.
	{"lower pattern, upper string", "/a", "/A", 2},
	{"upper pattern, lower string", "/API/v1", "/api/V1/users", 7},
	{"mixed case with star", "/Img/*.PNG", "/img/X.png", 10},
	{"non-ASCII is not folded", "/\u00c9", "/\u00e9", -1},
	{"non-ASCII exact bytes", "/\u00e9t\u00e9", "/\u00e9t\u00e9/x", 6},
	{"digits and punctuation are not folded", "/a@[", "/A`{", -1},

	// $ anchors the end.
	{"dollar alone, empty string", "$", "", 0},
	{"dollar alone, non-empty string", "$", "/", -1},
	{"dollar after literal", "/a$", "/a", 2},
	{"dollar after literal, longer string", "/a$", "/ab", -1},
	{"dollar ends the pattern early", "/a$b", "/a", 2},
	{"dollar in the middle cannot match more", "/a$b", "/ab", -1},

	// ? is any one character, including '/', but not the end.
	{"question mark alone, empty string", "?", "", -1},
	{"question mark alone", "?", "x", 1},
	{"question mark at end of string", "/a?", "/a", -1},
	{"question mark", "/a?", "/ab", 3},
	{"question mark matches slash", "/a?b", "/a/b", 4},
	{"two question marks", "/??", "/ab/", 3},
	{"two question marks and dollar", "/??$", "/ab", 3},
	{"two question marks and dollar, too long", "/??$", "/abc", -1},

	// * is the longest run without '/'.
	{"star alone, empty string", "*", "", 0},
	{"star alone", "*", "abc", 3},
	{"star stops at slash", "*", "/abc", 0},
	{"star at end stops at slash", "/a*", "/a/b", 2},
	{"star at end takes the segment", "/a*", "/abc/d", 4},
	{"star then dollar, slash follows", "/a*$", "/a/b", -1},
	{"star then dollar", "/a*$", "/abc", 4},
	{"star backtracks", "/*b", "/aab", 4},
	{"star is greedy", "/*a", "/aaa", 4},
	{"star then segment", "/*/x", "/ab/x", 5},
	{"star then segment with more after", "/*/x", "/ab/xyz", 5},
	{"star cannot cross a slash", "/*/x", "/ab/cd/x", -1},
	{"star then question mark", "/*?", "/ab", 3},
	{"question mark then star", "?*", "ab/c", 2},
	{"two stars separated", "/w*x*y$", "/wAxBy", 6},
	{"two stars, empty runs", "/w*x*y$", "/wxy", 4},
	{"two stars, no match", "/w*x*y$", "/wxyz", -1},
	{"star then dollar, nothing after slash", "*$", "/a", -1},
	{"star dot txt does not match a leading slash", "*.txt", "/a.txt", -1},

	// ** is the longest run of any characters.
	{"double star alone, empty string", "**", "", 0},
	{"double star alone", "**", "/a/b", 4},
	{"double star at end", "/a**", "/a/b/c", 6},
	{"double star then dollar", "**$", "/a", 2},
	{"double star extension", "**.png$", "/img/x.png", 10},
	{"double star extension, upper case", "**.png$", "/x.PNG", 6},
	{"double star extension not at end", "**.png$", "/img/x.png.txt", -1},
	{"double star extension without dollar", "**.png", "/a.png/b", 6},
	{"double star backtracks across slashes", "/**/x", "/ab/cd/x", 8},
	{"double star backtracks to the last match", "/**a", "/a/a/b", 4},
	{"double star then empty segment", "/a/**/c$", "/a/c", -1},
	{"double star then segment", "/a/**/c$", "/a/b/c", 6},
	{"triple star", "***", "/a/b", 4},
	{"double star then star", "/**/*.c", "/src/x/y.c", 10},

	// | separates alternatives: the first one > 0 wins, not the longest.
	{"first alternative", "/a|/b", "/a", 2},
	{"second alternative", "/a|/b", "/b", 2},
	{"no alternative", "/a|/b|/c", "/d", -1},
	{"third alternative", "/a|/b|/c", "/c", 2},
	{"first match wins, not the longest", "/a|/ab", "/ab", 2},
	{"extension alternatives, second", "*.txt|*.md", "readme.md", 9},
	{"extension alternatives, first", "*.txt|*.md", "a.txt", 5},
	{"extension alternatives, leading slash", "*.txt|*.md", "/a.txt", -1},
	{"double star alternatives", "**.txt|**.md", "/docs/a.md", 10},
	{"empty first alternative is 0, so the second is tried", "|/x", "/x", 2},
	{"empty second alternative", "/x|", "/y", 0},
	{"empty second alternative, first matches", "/x|", "/x", 2},
	{"bar alone", "|", "/", 0},
	{"zero from the first alternative is not a match", "$|/d", "", -1},
	{"dollar alternative", "x$|$", "", 0},
	{"star alternative falls through", "/x*|/y", "/yz", 2},
	{"alternative split comes first", "/a*|b", "/ab", 3},

	// Characters that are special in regular expressions are literals.
	{"dot is literal", "/a.b", "/axb", -1},
	{"dot literal", "/a.b", "/a.b", 4},
	{"plus is literal", "/a+b", "/a+b", 4},
	{"plus does not repeat", "/a+b", "/aab", -1},
	{"brackets are literal", "/a[b]", "/a[b]", 5},
	{"brackets are not a class", "/a[b]", "/ab", -1},
	{"parentheses are literal", "/(x)", "/(x)", 4},
	{"caret is literal", "^/a", "/a", -1},
	{"braces are literal", "/a{1}", "/aa", -1},
	{"backslash is literal", "/a\\", "/a\\", 3},
	{"backslash does not escape", "/a\\*", "/a*", -1},
}

func TestMatchPrefix(t *testing.T) {
	for _, c := range matchPrefixCases {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, MatchPrefix(c.pattern, c.s), "MatchPrefix(%q, %q)", c.pattern, c.s)
		})
	}
}

// TestMatchPrefixCaseInsensitive checks every table case again with the
// string and the pattern in upper case: ASCII case never changes a result.
func TestMatchPrefixCaseInsensitive(t *testing.T) {
	for _, c := range matchPrefixCases {
		require.Equal(t, c.want, MatchPrefix(c.pattern, asciiUpper(c.s)), "MatchPrefix(%q, upper %q)", c.pattern, c.s)
		require.Equal(t, c.want, MatchPrefix(asciiUpper(c.pattern), c.s), "MatchPrefix(upper %q, %q)", c.pattern, c.s)
	}
}

// FuzzMatchPrefix checks properties of MatchPrefix that hold for any input:
//
//   - it returns -1 or a prefix length in [0, len(s)];
//   - ASCII case in the pattern or the string does not change the result;
//   - a pattern without any of "|?*$" is a plain ASCII case-insensitive
//     prefix: the result is len(pattern) or -1. CivetWeb folds with tolower
//     in the C locale, so only ASCII letters fold; strings.EqualFold agrees
//     whenever both sides are ASCII and is checked then.
func FuzzMatchPrefix(f *testing.F) {
	for _, c := range matchPrefixCases {
		f.Add(c.pattern, c.s)
	}
	f.Fuzz(func(t *testing.T, pattern, s string) {
		// Each star multiplies the backtracking work by len(s), as in
		// CivetWeb; keep single inputs fast.
		if len(s) > 256 || len(pattern) > 64 || strings.Count(pattern, "*") > 6 {
			t.Skip()
		}
		got := MatchPrefix(pattern, s)
		if got != -1 && (got < 0 || got > len(s)) {
			t.Fatalf("MatchPrefix(%q, %q) = %d, want -1 or 0..%d", pattern, s, got, len(s))
		}
		if up := MatchPrefix(asciiUpper(pattern), asciiLower(s)); up != got {
			t.Fatalf("MatchPrefix(%q, %q) = %d but %d with the case changed", pattern, s, got, up)
		}
		if strings.ContainsAny(pattern, "|?*$") {
			return
		}
		want := -1
		if len(s) >= len(pattern) && asciiEqualFold(s[:len(pattern)], pattern) {
			want = len(pattern)
		}
		if got != want {
			t.Fatalf("MatchPrefix(%q, %q) = %d, want %d", pattern, s, got, want)
		}
		if len(s) >= len(pattern) && isASCII(pattern) && isASCII(s[:len(pattern)]) &&
			strings.EqualFold(s[:len(pattern)], pattern) != (want >= 0) {
			t.Fatalf("MatchPrefix(%q, %q) = %d disagrees with strings.EqualFold", pattern, s, got)
		}
	})
}

func asciiEqualFold(a, b string) bool {
	return len(a) == len(b) && asciiLower(a) == asciiLower(b)
}

// asciiUpper and asciiLower change the case of ASCII letters only and keep
// every other byte, valid UTF-8 or not.
func asciiUpper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c - 'A' + 'a'
		}
	}
	return string(b)
}

func isASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
