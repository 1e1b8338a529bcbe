package config_test

import (
	"flag"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/internal/testutil"
)

var updateREADME = flag.Bool("update-readme", false, "rewrite the README's copy of examples/civetbox.toml")

const regenerateExample = "go test ./config -run TestREADME_exampleConfig -update-readme"

// TestREADME_exampleConfig keeps the example configuration the README
// shows equal to examples/civetbox.toml, which TestLoad_example loads.
func TestREADME_exampleConfig(t *testing.T) {
	example, err := os.ReadFile("../examples/civetbox.toml")
	require.NoError(t, err)
	testutil.CheckGenerated(t, testutil.Generated{
		Path:       "../README.md",
		Begin:      "<!-- examples/civetbox.toml, copied by: " + regenerateExample + " -->\n```toml\n",
		End:        "```\n<!-- end of examples/civetbox.toml -->\n",
		Regenerate: regenerateExample,
	}, string(example), *updateREADME)
}
