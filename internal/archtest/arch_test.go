// Package archtest keeps the package dependency rules of DESIGN.md true:
// abi imports nothing from this module, runtime/engine only the standard
// library, hostfuncs neither net/http nor runtime, and only engine adapters
// import an engine.
package archtest

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const module = "github.com/civetbox/civetbox"

// imports maps each package of the module (without tests) to its direct
// imports.
func imports(t *testing.T) map[string][]string {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, module+"/...").Output()
	require.NoError(t, err)
	pkgs := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkgs[fields[0]] = fields[1:]
	}
	return pkgs
}

func isStd(path string) bool { return !strings.Contains(strings.SplitN(path, "/", 2)[0], ".") }

func TestDependencyDirection(t *testing.T) {
	pkgs := imports(t)
	require.Contains(t, pkgs, module+"/abi")
	for pkg, deps := range pkgs {
		for _, dep := range deps {
			rel := strings.TrimPrefix(pkg, module+"/")
			switch {
			case rel == "abi":
				require.True(t, isStd(dep), "abi imports %s; it must import nothing from this module", dep)
			case rel == "runtime/engine":
				require.True(t, isStd(dep), "runtime/engine imports %s; it holds interfaces only", dep)
			case rel == "hostfuncs":
				require.NotEqual(t, "net/http", dep, "hostfuncs talks to HTTP through its Conn interface")
				require.False(t, strings.HasPrefix(dep, module+"/runtime") && dep != module+"/runtime/engine",
					"hostfuncs imports %s", dep)
			case rel == "runtime":
				require.False(t, strings.HasPrefix(dep, module+"/runtime/engine/"), "runtime imports the adapter %s; cmd injects it", dep)
			}
			if strings.HasPrefix(dep, "github.com/tetratelabs/wazero") {
				require.Equal(t, module+"/runtime/engine/wazero", pkg, "only the wazero adapter imports wazero")
			}
		}
	}
}
