package testutil

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

const (
	begin = "<!-- begin -->\n"
	end   = "<!-- end -->\n"
)

func TestReplaceBetween(t *testing.T) {
	updated, old, err := ReplaceBetween("a\n"+begin+"old\n"+end+"b\n", begin, end, "new\n")
	require.NoError(t, err)
	require.Equal(t, "old\n", old)
	require.Equal(t, "a\n"+begin+"new\n"+end+"b\n", updated)
}

func TestReplaceBetween_badMarkers(t *testing.T) {
	for name, text := range map[string]string{
		"no begin":       "x\n" + end,
		"no end":         begin + "x\n",
		"end first":      end + "x\n" + begin,
		"begin twice":    begin + begin + end,
		"end twice":      begin + end + end,
		"begin unclosed": "<!-- begin -->" + end,
	} {
		t.Run(name, func(t *testing.T) {
			_, _, err := ReplaceBetween(text, begin, end, "new\n")
			require.Error(t, err)
		})
	}
}

// TestCheckGenerated: a stale part fails, -update rewrites only that part,
// and the rewritten file passes.
func TestCheckGenerated(t *testing.T) {
	g := Generated{Path: filepath.Join(t.TempDir(), "README.md"), Begin: begin, End: end, Regenerate: "go test -update"}
	require.NoError(t, os.WriteFile(g.Path, []byte("intro\n"+begin+"stale\n"+end+"outro\n"), 0o644))

	var probe recorder
	CheckGenerated(&probe, g, "fresh\n", false)
	require.True(t, probe.failed, "a stale part must fail")
	require.Contains(t, probe.msg, "go test -update", "the failure names the command")

	CheckGenerated(t, g, "fresh\n", true)
	data, err := os.ReadFile(g.Path)
	require.NoError(t, err)
	require.Equal(t, "intro\n"+begin+"fresh\n"+end+"outro\n", string(data))
	CheckGenerated(t, g, "fresh\n", false)
}

// recorder is a T that records a failure instead of stopping the test.
type recorder struct {
	failed bool
	msg    string
}

func (r *recorder) Errorf(format string, args ...any) { r.msg += fmt.Sprintf(format, args...) }
func (r *recorder) FailNow()                          { r.failed = true }
func (r *recorder) Helper()                           {}
