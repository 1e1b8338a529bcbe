package compat

import (
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var updateREADME = flag.Bool("update-readme", false, "rewrite the README's table of differences from Deviations")

// The README's table of differences from CivetWeb sits between these
// markers and is generated from Deviations.
const (
	readmePath = "../../README.md"
	tableBegin = "<!-- generated from internal/compat/deviations.go by: " + regenerate + " -->\n"
	tableEnd   = "<!-- end of compat deviations -->\n"
	regenerate = "go test ./internal/compat -run TestREADME_deviations -update-readme"
)

// TestREADME_deviations keeps the README's table of differences equal to
// Deviations, so every difference the suite observes is documented.
func TestREADME_deviations(t *testing.T) {
	data, err := os.ReadFile(readmePath)
	require.NoError(t, err)
	readme := string(data)
	before, rest, found := strings.Cut(readme, tableBegin)
	require.True(t, found, "README lacks the marker %q", tableBegin)
	table, after, found := strings.Cut(rest, tableEnd)
	require.True(t, found, "README lacks the marker %q", tableEnd)
	want := Markdown()
	if *updateREADME {
		require.NoError(t, os.WriteFile(readmePath, []byte(before+tableBegin+want+tableEnd+after), 0o644))
		return
	}
	require.Equal(t, want, table, "the README's table of differences is stale; run %s", regenerate)
}
