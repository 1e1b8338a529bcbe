package csdk_test

import (
	"flag"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	csdk "github.com/civetbox/civetbox/guests/c"
	"github.com/civetbox/civetbox/internal/testutil"
	"github.com/civetbox/civetbox/internal/toolchain"
)

// These tests keep csdk.API, the compatibility table, equal to what the
// headers declare and consistent with the SDK's C sources, and keep the
// README's copy of it current. They need no toolchain: the headers are
// parsed as text.

var updateREADME = flag.Bool("update-readme", false, "rewrite the README's CivetWeb API table from csdk.API")

const regenerateAPI = "go test ./guests/c -run TestREADME_apiTable -update-readme"

var readmeAPITable = testutil.Generated{
	Path:       "../../README.md",
	Begin:      "<!-- generated from guests/c/apitable.go by: " + regenerateAPI + " -->\n",
	End:        "<!-- end of CivetWeb API table -->\n",
	Regenerate: regenerateAPI,
}

const ourHeader = "include/civetweb.h"

// pendingFunctions are implemented on branches not merged yet: the table
// already describes them, and the C sources may or may not define them.
// Empty this list once they are merged.
var pendingFunctions = []string{}

var structRE = regexp.MustCompile(`\bstruct\s+([A-Za-z_]\w*)\s*[{;]`)

// headerAPI is every CIVETWEB_API function (in all #if branches) and every
// struct a header defines or declares opaquely, structs as "struct name".
func headerAPI(src string) []string {
	var names []string
	for _, p := range rawPrototypes(src) {
		names = append(names, funcName(tokens(p)))
	}
	for _, m := range structRE.FindAllStringSubmatch(stripComments(src), -1) {
		names = append(names, "struct "+m[1])
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// tableEntries is csdk.API by name.
func tableEntries(t *testing.T) map[string]csdk.APIEntry {
	t.Helper()
	m := map[string]csdk.APIEntry{}
	for _, area := range csdk.API {
		for _, e := range area.Entries {
			_, dup := m[e.Name]
			require.False(t, dup, "%s is in the table twice", e.Name)
			m[e.Name] = e
		}
	}
	return m
}

// compareAPI lists what header declares and the table lacks, and what the
// table names beyond header and extra.
func compareAPI(header []string, table map[string]csdk.APIEntry, extra []string) []string {
	var diffs []string
	for _, name := range header {
		if _, ok := table[name]; !ok {
			diffs = append(diffs, name+": declared by the header, missing from the table")
		}
	}
	for _, name := range slices.Sorted(maps.Keys(table)) {
		if !slices.Contains(header, name) && !slices.Contains(extra, name) {
			diffs = append(diffs, name+": in the table, not declared by the header")
		}
	}
	return diffs
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(data)
}

// TestAPITable_coversOurHeader: the table has exactly the functions and
// structs our civetweb.h declares.
func TestAPITable_coversOurHeader(t *testing.T) {
	header := headerAPI(readFile(t, ourHeader))
	diffs := compareAPI(header, tableEntries(t), nil)
	require.Empty(t, diffs, "csdk.API (guests/c/apitable.go) disagrees with %s:\n%s", ourHeader, strings.Join(diffs, "\n"))
}

// TestAPITable_coversCivetWeb115: the table has exactly the functions and
// structs CivetWeb 1.15's header declares, plus our header's extras.
func TestAPITable_coversCivetWeb115(t *testing.T) {
	debian := toolchain.DebianHeader(t)
	header := headerAPI(readFile(t, debian))
	for _, name := range ourExtraAPIFunctions {
		require.NotContains(t, header, name, "CivetWeb 1.15 declares %s; it is no longer an extra", name)
	}
	diffs := compareAPI(header, tableEntries(t), ourExtraAPIFunctions)
	require.Empty(t, diffs, "csdk.API (guests/c/apitable.go) disagrees with %s:\n%s", debian, strings.Join(diffs, "\n"))
	functions := 0
	for _, name := range header {
		if !strings.HasPrefix(name, "struct ") {
			functions++
		}
	}
	t.Logf("%d functions and %d structs of CivetWeb 1.15 are in the table", functions, len(header)-functions)
}

// TestAPITable_detectsDifferences proves the comparison can fail: each
// mutation of our header must be reported, naming what changed.
func TestAPITable_detectsDifferences(t *testing.T) {
	src := readFile(t, ourHeader)
	table := tableEntries(t)
	require.Empty(t, compareAPI(headerAPI(src), table, nil))
	mutations := []struct{ name, old, new, want string }{
		{"function dropped", "CIVETWEB_API const char *mg_get_header(", "const char *mg_get_header(",
			"mg_get_header: in the table, not declared"},
		{"function added", "CIVETWEB_API const char *mg_version(void);", "CIVETWEB_API const char *mg_version(void);\nCIVETWEB_API int mg_new(void);",
			"mg_new: declared by the header, missing"},
		{"struct renamed", "struct mg_option {", "struct mg_option2 {", "struct mg_option2: declared by the header, missing"},
		{"opaque struct dropped", "struct mg_context;\n", "\n", "struct mg_context: in the table, not declared"},
	}
	for _, m := range mutations {
		t.Run(m.name, func(t *testing.T) {
			require.Equal(t, 1, strings.Count(src, m.old), "mutation anchor %q", m.old)
			diffs := compareAPI(headerAPI(strings.Replace(src, m.old, m.new, 1)), table, nil)
			require.Contains(t, strings.Join(diffs, "\n"), m.want)
		})
	}
}

// TestAPITable_wellFormed: every entry has a note that fits in a Markdown
// table cell.
func TestAPITable_wellFormed(t *testing.T) {
	for _, area := range csdk.API {
		require.NotEmpty(t, area.Entries, area.Name)
		for _, e := range area.Entries {
			require.NotEmpty(t, e.Note, e.Name)
			require.False(t, strings.ContainsAny(e.Note, "|\n"), "%s: a note must not contain | or a newline", e.Name)
			require.Contains(t, []csdk.APIStatus{csdk.Supported, csdk.Differs, csdk.Unavailable}, e.Status, e.Name)
		}
	}
}

var (
	definitionRE = regexp.MustCompile(`(?m)^(mg_\w+)\(`)
	// The stubs in civetbox_unavailable.c log their name, or refuse the start.
	stubRE = regexp.MustCompile(`\bunavailable\("(\w+)"\)|civetbox_refuse_start = "(\w+)"`)
)

// sdkSources returns the functions the SDK's C sources define, and those
// of them that are stubs.
func sdkSources(t *testing.T) (defined, stubs map[string]bool) {
	t.Helper()
	files, err := filepath.Glob("src/*.c")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	defined, stubs = map[string]bool{}, map[string]bool{}
	for _, f := range files {
		src := readFile(t, f)
		for _, m := range definitionRE.FindAllStringSubmatch(src, -1) {
			defined[m[1]] = true
		}
		for _, m := range stubRE.FindAllStringSubmatch(src, -1) {
			stubs[m[1]+m[2]] = true
		}
	}
	return defined, stubs
}

// TestAPITable_matchesSDKSources keeps the statuses honest: a stub is
// marked unavailable, a function the SDK does not define is unavailable and
// says linking fails, and one it defines does not say so.
func TestAPITable_matchesSDKSources(t *testing.T) {
	defined, stubs := sdkSources(t)
	require.NotEmpty(t, stubs)
	table := tableEntries(t)
	for name := range stubs {
		require.Contains(t, table, name)
		require.Equal(t, csdk.Unavailable, table[name].Status, "%s is a stub in the SDK", name)
	}
	for name, e := range table {
		switch {
		case strings.HasPrefix(name, "struct "):
		case slices.Contains(pendingFunctions, name):
			require.NotEqual(t, csdk.Unavailable, e.Status, "%s is being implemented", name)
		case !defined[name]:
			require.Equal(t, csdk.Unavailable, e.Status, "the SDK does not define %s", name)
			require.Contains(t, e.Note, "undefined symbol", "%s: the note must say that linking fails", name)
		default:
			require.NotContains(t, e.Note, "undefined symbol", "the SDK defines %s", name)
		}
	}
	for _, name := range pendingFunctions {
		if defined[name] {
			t.Logf("%s is now defined: remove it from pendingFunctions", name)
		}
	}
}

// TestREADME_apiTable keeps the README's CivetWeb API table equal to
// csdk.API.
func TestREADME_apiTable(t *testing.T) {
	testutil.CheckGenerated(t, readmeAPITable, csdk.APIMarkdown(), *updateREADME)
}
