package route_test

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/internal/reqinfo"
	"github.com/civetbox/civetbox/internal/route"
	"github.com/civetbox/civetbox/internal/toolchain"
)

// oracleSet is one CivetWeb configuration: the arguments of match_oracle (in
// mg_set_request_handler order; "!uri" removes uri) and raw request targets,
// sent byte for byte on the request line.
type oracleSet struct {
	name    string
	reg     []string
	targets []string
}

var oracleSets = []oracleSet{
	{
		name: "three passes beat registration order",
		reg:  []string{"/a**", "/a/b", "/a"},
		targets: []string{
			"/a", "/a/b", "/a/b/c", "/a/x", "/abc", "/A/b", "/b", "/a/b/", "/",
		},
	},
	{
		name: "prefix pass is case-sensitive and first-registered",
		reg:  []string{"/A", "/a/b", "/a"},
		targets: []string{
			"/a/b/c", "/a/c", "/A/c", "/a", "/ab", "/A", "/Ab", "/x",
		},
	},
	{
		name: "stars and suffixes",
		reg:  []string{"/x*", "/x**", "**.png$", "*.txt|*.md", "/s/*$", "/t/*/u", "/w*x*y$"},
		targets: []string{
			"/x", "/xy/z.png", "/img/a.png", "/img/a.PNG", "/img/a.png/b", "/readme.md",
			"/s/abc", "/s/a/b", "/t/zz/u/more", "/t/u", "/wAxBy", "/wxy", "/wxyz",
		},
	},
	{
		name: "backtracking and question marks",
		reg:  []string{"/*/x$", "/**/y$", "/a?c", "/??$", "/q/**/c$"},
		targets: []string{
			"/ab/x", "/ab/cd/x", "/a/b/c/y", "/abc", "/a/c", "/ab", "/a", "/abcd",
			"/q/c", "/q/b/c", "/q/b/d/c", "/Q/B/C",
		},
	},
	{
		name:    "empty pattern catches everything in the prefix pass",
		reg:     []string{"$", "/never", "", "/later**"},
		targets: []string{"/never", "/never/x", "/", "/later/x", "/anything"},
	},
	{
		name:    "dollar alone and slash",
		reg:     []string{"$", "/dir/", "/"},
		targets: []string{"/dir/", "/dir/x", "/dir", "/dir/.", "/other", "/"},
	},
	{
		name: "case and regex-ish literals",
		reg:  []string{"/API/v1", "/a.b", "/c+d", "/e[f]", "/(g)", "/h^i", "/j\\k"},
		targets: []string{
			"/api/v1", "/API/v1/users", "/axb", "/a.b", "/A.B", "/c+d", "/c%2bd", "/cd",
			"/e[f]", "/(g)", "/h^i", "/h%5ei", "/j/k", "/j%5ck",
		},
	},
	{
		name: "decoding and dot segments",
		reg:  []string{"/files/**", "/secret$", "/a b", "/nul$"},
		targets: []string{
			"/files/../secret", "/files/./x", "/files/%2e%2e/secret", "/x/..%5csecret",
			"/a%20b", "/secret.", "/secret./", "//secret", "/../secret", "/files/../../secret",
			"/secret?x=1", "/files%2fx", "/a+b", "/x/y/..../secret", "/nul%00tail",
		},
	},
	{
		name: "alternatives",
		reg:  []string{"/a|/b", "$|/c", "|/d", "/e|", "**.txt|**.md$"},
		targets: []string{
			"/a", "/b", "/c", "/d", "/e", "/x.md", "/x.txt.bak", "/x.mdx", "/f",
		},
	},
	{
		name:    "replacement keeps position, removal and re-adding move it",
		reg:     []string{"/p**", "/p/q**", "/p**", "!/nothere", "/r$", "!/r$", "/r**"},
		targets: []string{"/p/q/r", "/p", "/r", "/rs"},
	},
	{
		name:    "removal then re-registration goes last",
		reg:     []string{"/p**", "/p/q**", "!/p**", "/p**"},
		targets: []string{"/p/q/r", "/pz"},
	},
}

// TestMatchAgainstCivetWeb starts native CivetWeb 1.15 (libcivetweb) with the
// same registrations as a Table and checks, over real HTTP, that both pick the
// same handler (or none) for every request target, and that reqinfo derives
// the same local_uri CivetWeb matched against.
func TestMatchAgainstCivetWeb(t *testing.T) {
	cc := toolchain.NativeCivetWeb(t)
	bin := filepath.Join(t.TempDir(), "match_oracle")
	out, err := exec.Command(cc, "-std=c99", "-O1", "-Wall", "-Wextra", "-Werror",
		filepath.Join("testdata", "match_oracle.c"), "-lcivetweb", "-o", bin).CombinedOutput()
	require.NoError(t, err, "building match_oracle.c against libcivetweb:\n%s", out)

	compared := 0
	for _, set := range oracleSets {
		compared += len(set.targets)
	}
	require.GreaterOrEqual(t, compared, 40)
	t.Logf("comparing %d (registration set, request target) pairs with libcivetweb", compared)

	for _, set := range oracleSets {
		t.Run(set.name, func(t *testing.T) {
			t.Parallel() // each set runs its own CivetWeb on its own port
			addr := startOracle(t, bin, set.reg)
			var table route.Table
			for i, uri := range set.reg {
				if rest, ok := strings.CutPrefix(uri, "!"); ok {
					table.SetHandler(rest, 0, 0)
				} else {
					table.SetHandler(uri, uint32(i+1), uint32(i))
				}
			}
			for _, target := range set.targets {
				cw := oracleRequest(t, addr, target)
				ours := ourLocalURI(t, target)
				if !cw.matched {
					r, ok := table.Match(ours)
					require.False(t, ok, "target %q (local_uri %q): CivetWeb chose none, Table chose %q (#%d)",
						target, ours, r.URI, r.CBData)
					continue
				}
				require.Equal(t, cw.localURI, ours,
					"target %q: reqinfo's local_uri differs from CivetWeb's", target)
				r, ok := table.Match(cw.localURI)
				require.True(t, ok, "target %q (local_uri %q): CivetWeb chose %q (#%d), Table chose none",
					target, cw.localURI, set.reg[cw.index], cw.index)
				require.Equal(t, cw.index, int(r.CBData),
					"target %q (local_uri %q): CivetWeb chose %q (#%d), Table chose %q (#%d)",
					target, cw.localURI, set.reg[cw.index], cw.index, r.URI, r.CBData)
			}
		})
	}
}

// ourLocalURI is the local_uri the runtime routes on for a request target.
func ourLocalURI(t *testing.T, target string) string {
	t.Helper()
	info, err := reqinfo.New(&http.Request{
		Method: "GET", RequestURI: target, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{}, Host: "127.0.0.1", RemoteAddr: "127.0.0.1:1",
	})
	require.NoError(t, err)
	require.True(t, info.HasLocalURI, "target %q", target)
	return info.LocalURI
}

// startOracle runs match_oracle with reg and returns its address. The
// process exits when the test closes its standard input.
func startOracle(t *testing.T, bin string, reg []string) string {
	t.Helper()
	cmd := exec.Command(bin, reg...)
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = stdin.Close()
		if err := cmd.Wait(); err != nil {
			t.Errorf("match_oracle: %v\n%s", err, stderr.String())
		}
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err, "match_oracle printed no port; stderr:\n%s", &stderr)
	port, err := strconv.Atoi(strings.TrimSpace(line))
	require.NoError(t, err, "match_oracle printed %q", line)
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
}

type oracleAnswer struct {
	matched  bool
	index    int
	localURI string
}

// oracleRequest sends "GET target HTTP/1.1" over a plain socket, so no
// client library rewrites the target, and decodes match_oracle's answer.
func oracleRequest(t *testing.T, addr, target string) oracleAnswer {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer conn.Close()
	// A guard against a hung oracle, not a timing assertion.
	require.NoError(t, conn.SetDeadline(time.Now().Add(30*time.Second)))
	_, err = fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", target)
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err, "target %q", target)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	if resp.StatusCode == http.StatusNotFound {
		return oracleAnswer{}
	}
	require.Equal(t, http.StatusOK, resp.StatusCode, "target %q: %s", target, body)
	lines := strings.Split(string(body), "\n")
	require.Len(t, lines, 4, "target %q: answer %q", target, body)
	index, err := strconv.Atoi(lines[0])
	require.NoError(t, err)
	localURI, err := hex.DecodeString(lines[1])
	require.NoError(t, err, "target %q: local_uri %q", target, lines[1])
	return oracleAnswer{matched: true, index: index, localURI: string(localURI)}
}
