package compat

import (
	"flag"
	"testing"

	"github.com/civetbox/civetbox/internal/testutil"
)

var updateREADME = flag.Bool("update-readme", false, "rewrite the README's table of differences from Deviations")

// readmeTable is the README's table of differences from CivetWeb, generated
// from Deviations.
var readmeTable = testutil.Generated{
	Path:       "../../README.md",
	Begin:      "<!-- generated from internal/compat/deviations.go by: " + regenerate + " -->\n",
	End:        "<!-- end of compat deviations -->\n",
	Regenerate: regenerate,
}

const regenerate = "go test ./internal/compat -run TestREADME_deviations -update-readme"

// TestREADME_deviations keeps the README's table of differences equal to
// Deviations, so every difference the suite observes is documented.
func TestREADME_deviations(t *testing.T) {
	testutil.CheckGenerated(t, readmeTable, Markdown(), *updateREADME)
}
