package route

import "strings"

// MatchPrefix matches the start of s against a CivetWeb pattern and returns
// the length of the matched prefix, or -1. Characters compare ASCII
// case-insensitively, and:
//
//	|   separates alternatives; the first that matches wins
//	?   any one character
//	*   any run of characters without '/' (longest first)
//	**  any run of characters (longest first)
//	$   the end of s
//
// A route matches when the result is > 0, so "/api/**" matches "/api/x/y"
// and "/a" matches "/abc" (a prefix), while "/a$" matches only "/a".
func MatchPrefix(pattern, s string) int {
	if left, right, ok := strings.Cut(pattern, "|"); ok {
		if n := MatchPrefix(left, s); n > 0 {
			return n
		}
		return MatchPrefix(right, s)
	}
	return matchSeq(pattern, s)
}

// matchSeq matches a pattern without alternatives.
func matchSeq(pattern, s string) int {
	j := 0
	for i := 0; i < len(pattern); i, j = i+1, j+1 {
		switch c := pattern[i]; {
		case c == '?' && j < len(s):
			continue
		case c == '$':
			if j == len(s) {
				return j
			}
			return -1
		case c == '*':
			return matchStar(pattern[i:], s, j)
		case j >= len(s) || lower(c) != lower(s[j]):
			return -1
		}
	}
	return j
}

// matchStar matches pattern, which starts with '*' or '**', at s[j:]. It tries
// the longest run first and backs off until the rest of the pattern matches.
func matchStar(pattern string, s string, j int) int {
	run := strings.IndexByte(s[j:], '/')
	if run < 0 {
		run = len(s) - j
	}
	rest := pattern[1:]
	if strings.HasPrefix(rest, "*") {
		run, rest = len(s)-j, rest[1:]
	}
	if rest == "" {
		return j + run
	}
	for ; run >= 0; run-- {
		if n := MatchPrefix(rest, s[j+run:]); n != -1 {
			return j + run + n
		}
	}
	return -1
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
