package compat

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/internal/enginetest"
	"github.com/civetbox/civetbox/internal/nativecivet"
	"github.com/civetbox/civetbox/internal/toolchain"
	"github.com/civetbox/civetbox/runtime"
	"github.com/civetbox/civetbox/runtime/engine"
)

// suite is one handler file, testdata/compat/<name>.c, and the cases sent
// to it. Adding a handler means adding its file, its go:generate line in
// compat.go and an entry here.
type suite struct {
	name  string
	cases func() []testCase
	// nativeOptions are extra CivetWeb options for the native server (name,
	// value, ...), for handlers that need them (a document_root, say).
	nativeOptions []string
	// requestTimeout is civetbox's request deadline; 0 means its default,
	// 30s. A suite with a case that runs into it keeps it short.
	requestTimeout time.Duration
	// configure adjusts civetbox's module configuration (a document root,
	// an upload directory, a body limit) for handlers that need it.
	configure func(t *testing.T, cfg *runtime.Config)
	// nativeWorkDir runs the native server in a fresh directory, recorded
	// for the cases' checks (see caseDirs), where handlers store files.
	nativeWorkDir bool
}

// suites lists every handler file. TestCompat_files keeps it in step with
// testdata/compat and compat.go.
func suites() []suite {
	return []suite{
		{name: "read", cases: readCases},
		{name: "raw", cases: rawCases},
		{name: "chunks", cases: chunksCases},
		{name: "ok", cases: okCases},
		{name: "errors", cases: errorsCases},
		{name: "redirect", cases: redirectCases},
		{name: "headers", cases: headersCases},
		{name: "info", cases: infoCases},
		// "Expect, body sent after the answer" runs into the deadline.
		{name: "header", cases: headerCases, requestTimeout: 2 * time.Second},
		{name: "vars", cases: varsCases},
		{name: "cookies", cases: cookiesCases},
		{name: "urlcode", cases: urlcodeCases},
		{name: "split", cases: splitCases},
		{name: "strings", cases: stringsCases},
		{name: "link", cases: linkCases},
		{name: "routes", cases: routesCases},
		{name: "retval", cases: retvalCases},
		{name: "conndata", cases: conndataCases},
		{name: "cry", cases: cryCases},
		{name: "methods", cases: methodsCases},
		{name: "misc", cases: miscCases},
		{name: "digest", cases: digestCases, nativeOptions: digestNativeOptions(), configure: digestConfigure},
		{name: "forms", cases: formsCases, configure: configureUploads, nativeWorkDir: true},
		{name: "store", cases: storeCases, configure: configureUploads, nativeWorkDir: true},
		{name: "files", cases: filesCases, nativeOptions: filesNativeOptions(), configure: configureFiles},
	}
}

// testCase is one connection: steps of raw requests and the differences
// expected between the two servers' answers.
type testCase struct {
	name string
	// steps are written one after the other; the responses to a step's
	// requests are read before the next step is written. A step with
	// several requests sends them pipelined, in one write.
	steps []step
	// devs are exactly the differences compare must report, each with the
	// deviation kind that explains it.
	devs []dev
	// check makes extra assertions on both results, typically on civetbox's
	// documented behaviour where it deviates.
	check func(t *testing.T, native, box *result)
}

// step is raw requests written together.
type step []string

// dev is one expected difference: its exact description (as compare
// words it) and the Name of its Deviation.
type dev struct {
	kind string
	diff string
}

func (c testCase) requests() int {
	n := 0
	for _, s := range c.steps {
		n += len(s)
	}
	return n
}

// single is the common case: one request on its own connection.
func single(name, raw string, devs ...dev) testCase {
	return testCase{name: name, steps: []step{{raw}}, devs: devs}
}

var modes = []runtime.Mode{runtime.ModeFresh, runtime.ModePooled}

// compared counts request/response exchanges compared in this run.
var compared atomic.Int64

func TestCompat(t *testing.T) {
	cc := toolchain.NativeCivetWeb(t)
	for _, s := range suites() {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			cases := s.cases()
			bin := nativecivet.Build(t, cc, filepath.Join(dir(), s.name+".c"), "-Werror")
			native := nativecivet.StartIn(t, workDir(t, s), bin, s.nativeOptions...)
			wasm, err := os.ReadFile(filepath.Join(dir(), s.name+".wasm"))
			require.NoError(t, err, "rebuild with: go generate ./internal/compat/")
			// Native answers are deterministic: each case runs once
			// against CivetWeb and is compared with every civetbox
			// configuration.
			nativeResults := make([]*result, len(cases))
			enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
				for _, mode := range modes {
					t.Run(string(mode), func(t *testing.T) {
						srv := serveSandboxed(t, eng, s, wasm, mode)
						for i, c := range cases {
							t.Run(c.name, func(t *testing.T) {
								if nativeResults[i] == nil {
									res, err := roundTrip(native.Addr, c, nativeProbeAnswer)
									require.NoError(t, err, "native CivetWeb")
									res.observed = observations(native.NewLog(t))
									nativeResults[i] = res
								}
								logged := len(srv.logs.String())
								box, err := roundTrip(srv.addr, c, boxProbeAnswer)
								require.NoError(t, err, "civetbox")
								box.log = srv.logs.String()[logged:]
								box.observed = srv.cry.observed()
								compared.Add(int64(c.requests()))
								runCase(t, c, nativeResults[i], box)
							})
						}
					})
				}
			})
		})
	}
	t.Cleanup(func() {
		t.Logf("compat: compared %d request/response exchanges with native CivetWeb", compared.Load())
	})
}

// runCase checks one case's results.
func runCase(t *testing.T, c testCase, native, box *result) {
	t.Helper()
	if err := verify(c, native, box); err != nil {
		t.Logf("native CivetWeb: %s", native)
		t.Logf("civetbox:        %s", box)
		t.Error(err)
	}
	require.NoError(t, closeConsistent(box), "civetbox announces a close it does not do")
	// A panic in http.Server is never intended.
	require.NotContains(t, box.log, httpPanic, "civetbox's log")
	if c.check != nil {
		c.check(t, native, box)
	}
}

// verify reports whether the differences between the results are exactly
// those the case declares.
func verify(c testCase, native, box *result) error {
	diffs := compare(native, box)
	want := make([]string, len(c.devs))
	for i, d := range c.devs {
		want[i] = d.diff
	}
	if slices.Equal(sortedCopy(want), sortedCopy(diffs)) {
		return nil
	}
	return fmt.Errorf("differences between native CivetWeb and civetbox\nwant (declared):\n%sgot:\n%s",
		quoteLines(want), quoteLines(diffs))
}

func sortedCopy(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func quoteLines(s []string) string {
	var b strings.Builder
	for _, l := range s {
		fmt.Fprintf(&b, "\t%s\n", strconv.Quote(l))
	}
	if b.Len() == 0 {
		return "\t(none)\n"
	}
	return b.String()
}

// TestCompat_summary prints the size of the suite in one line.
func TestCompat_summary(t *testing.T) {
	handlers, requests := 0, 0
	for _, s := range suites() {
		handlers++
		for _, c := range s.cases() {
			requests += c.requests()
		}
	}
	bugs := 0
	for _, d := range Deviations {
		if d.Bug {
			bugs++
		}
	}
	engines := len(enginetest.Factories())
	t.Logf("compat: %d handlers, %d requests compared, %d intended deviations",
		handlers, requests, len(Deviations)-bugs)
	t.Logf("compat: and %d suspected bugs; every request runs against native CivetWeb and %d civetbox configurations (%d engines × %d instance modes)",
		bugs, engines*len(modes), engines, len(modes))
	if testing.Verbose() {
		t.Logf("deviations:\n%s", Markdown())
	}
}

// TestCompat_deviations checks the deviation table and the cases' use of
// it: unique, explained kinds; every declared difference names one; every
// kind is used.
func TestCompat_deviations(t *testing.T) {
	kinds := map[string]bool{}
	for _, d := range Deviations {
		require.NotEmpty(t, d.Name)
		require.False(t, kinds[d.Name], "deviation %q listed twice", d.Name)
		require.NotEmpty(t, d.Explanation, d.Name)
		kinds[d.Name] = true
	}
	used := map[string]bool{}
	for _, s := range suites() {
		names := map[string]bool{}
		for _, c := range s.cases() {
			require.False(t, names[c.name], "%s: case %q twice", s.name, c.name)
			names[c.name] = true
			require.NotEmpty(t, c.steps, "%s/%s", s.name, c.name)
			for _, d := range c.devs {
				require.True(t, kinds[d.kind], "%s/%s: unknown deviation kind %q", s.name, c.name, d.kind)
				used[d.kind] = true
			}
		}
	}
	for _, d := range Deviations {
		require.True(t, used[d.Name], "deviation %q is used by no case", d.Name)
	}
}

// TestCompat_files keeps the handler files, their go:generate lines, their
// builds and the suites in step.
func TestCompat_files(t *testing.T) {
	sources, err := filepath.Glob(filepath.Join(dir(), "*.c"))
	require.NoError(t, err)
	var files []string
	for _, src := range sources {
		files = append(files, strings.TrimSuffix(filepath.Base(src), ".c"))
	}
	var names []string
	for _, s := range suites() {
		names = append(names, s.name)
	}
	require.ElementsMatch(t, files, names, "every testdata/compat/<name>.c needs a suite, and every suite its file")
	require.GreaterOrEqual(t, len(files), 18)

	gen, err := os.ReadFile("compat.go")
	require.NoError(t, err)
	re := regexp.MustCompile(`(?m)^//go:generate go run \.\./cmd/buildguest -o \.\./\.\./testdata/compat/(\w+)\.wasm \.\./\.\./testdata/compat/(\w+)\.c$`)
	var generated []string
	for _, m := range re.FindAllStringSubmatch(string(gen), -1) {
		require.Equal(t, m[1], m[2])
		generated = append(generated, m[1])
	}
	require.ElementsMatch(t, files, generated, "compat.go needs one go:generate line per handler file")
	for _, name := range files {
		_, err := os.Stat(filepath.Join(dir(), name+".wasm"))
		require.NoError(t, err, "rebuild with: go generate ./internal/compat/")
	}
}
