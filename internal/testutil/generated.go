package testutil

import (
	"fmt"
	"os"
	"strings"

	"github.com/stretchr/testify/require"
)

// Generated is a part of a checked-in file that a test generates: the text
// between the lines Begin and End (each ending in "\n"). Regenerate is the
// command that rewrites it, named when the part is stale.
type Generated struct {
	Path, Begin, End, Regenerate string
}

// ReplaceBetween returns text with the part between the markers begin and
// end replaced by body, and the part it replaced. Each marker must occur
// exactly once, begin first, so a stray copy cannot leave two versions of
// the generated part.
func ReplaceBetween(text, begin, end, body string) (updated, old string, err error) {
	for _, m := range []string{begin, end} {
		if n := strings.Count(text, m); n != 1 {
			return "", "", fmt.Errorf("marker %q occurs %d times, want once", m, n)
		}
	}
	before, rest, _ := strings.Cut(text, begin)
	old, after, found := strings.Cut(rest, end)
	if !found {
		return "", "", fmt.Errorf("marker %q comes before %q", end, begin)
	}
	return before + begin + body + end + after, old, nil
}

// T is the part of testing.TB that CheckGenerated uses.
type T interface {
	require.TestingT
	Helper()
}

// CheckGenerated fails t unless g's part of its file equals want; with
// update it rewrites that part instead.
func CheckGenerated(t T, g Generated, want string, update bool) {
	t.Helper()
	data, err := os.ReadFile(g.Path)
	require.NoError(t, err)
	updated, old, err := ReplaceBetween(string(data), g.Begin, g.End, want)
	require.NoError(t, err, g.Path)
	if update {
		require.NoError(t, os.WriteFile(g.Path, []byte(updated), 0o644))
		return
	}
	require.Equal(t, want, old, "%s is stale; run %s", g.Path, g.Regenerate)
}
