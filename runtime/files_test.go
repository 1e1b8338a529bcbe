package runtime_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/internal/enginetest"
	"github.com/civetbox/civetbox/runtime"
	"github.com/civetbox/civetbox/runtime/engine"
)

// The path-traversal corpus: hostile paths sent over real sockets to
// testdata/guests/files.c, whose handlers pass them on to mg_send_file and
// mg_send_file_body as careless CivetWeb handlers do. Nothing outside the
// document root may come back, and every answer must be a 4xx.

const secret = "TOP-SECRET-9f1c2e: outside the document root"

// traversalFixture is a document root next to a directory holding the
// secret, with symbolic links out of the root and one inside it.
type traversalFixture struct {
	root, outside string
}

func newTraversalFixture(t *testing.T) traversalFixture {
	t.Helper()
	base := t.TempDir()
	f := traversalFixture{root: filepath.Join(base, "root"), outside: filepath.Join(base, "outside")}
	for _, d := range []string{f.root, filepath.Join(f.root, "sub"), f.outside} {
		require.NoError(t, os.MkdirAll(d, 0o755))
	}
	write := func(path, content string) { require.NoError(t, os.WriteFile(path, []byte(content), 0o644)) }
	write(filepath.Join(f.outside, "secret.txt"), secret)
	write(filepath.Join(f.root, "index.html"), "public index\n")
	write(filepath.Join(f.root, "sub", "page.txt"), "public page\n")
	links := map[string]string{
		"escape":     "../outside/secret.txt",
		"escape_abs": filepath.Join(f.outside, "secret.txt"),
		"escdir":     "../outside",
		"inside":     "index.html",
		"sub/up":     "../../outside/secret.txt",
	}
	for name, target := range links {
		require.NoError(t, os.Symlink(target, filepath.Join(f.root, filepath.FromSlash(name))))
	}
	return f
}

// uriCorpus are request targets for the /uri handler (document root +
// local_uri), written raw so no client cleans them first.
func uriCorpus() []string {
	long := strings.Repeat("a", 4096)
	deep := strings.Repeat("sub/", 1100) + "x"
	return []string{
		"/uri/../outside/secret.txt",
		"/uri/../../outside/secret.txt",
		"/uri/%2e%2e/outside/secret.txt",
		"/uri/%2E%2E/%2e%2e/outside/secret.txt",
		"/uri/.%2e/outside/secret.txt",
		"/uri/%252e%252e/outside/secret.txt",
		"/uri/..%2foutside%2fsecret.txt",
		"/uri/%2e%2e%2f%2e%2e%2foutside%2fsecret.txt",
		"/uri/..%5coutside%5csecret.txt",
		`/uri/..\outside\secret.txt`,
		"/uri/sub/../../outside/secret.txt",
		"/uri/./../outside/secret.txt",
		"/uri/escape",
		"/uri/escape.",
		"/uri/escape_abs",
		"/uri/escdir/secret.txt",
		"/uri/escdir%2fsecret.txt",
		"/uri/sub/up",
		"/uri/sub/..%2f..%2f..%2foutside/secret.txt",
		"/uri/%c0%ae%c0%ae/outside/secret.txt",
		"/uri/..;/outside/secret.txt",
		"/uri/%00",
		"/uri/escape%00.html",
		"/uri//etc/passwd",
		"/uri/etc/passwd",
		"/uri/" + long,
		"/uri/" + deep,
		"/uri/...",
		"/uri/sub",
		"/uri/",
	}
}

// queryCorpus are paths the /file and /body handlers use verbatim, after
// mg_get_var decoded them; %s stands for the absolute path of the
// directory holding the secret.
func queryCorpus() []string {
	return []string{
		"../outside/secret.txt",
		"./../outside/secret.txt",
		"../../../../../../../../etc/passwd",
		"sub/../../outside/secret.txt",
		"sub/./../../outside/secret.txt",
		"./sub/../../outside/secret.txt",
		"%2e%2e/outside/secret.txt",
		"..%2foutside%2fsecret.txt",
		`..\outside\secret.txt`,
		`.\..\outside\secret.txt`,
		"/etc/passwd",
		"//etc/passwd",
		"%s/secret.txt",
		".//%s/secret.txt",
		"./%s/secret.txt",
		"escape",
		"./escape",
		"escape.",
		"escape_abs",
		"escdir/secret.txt",
		"./escdir/secret.txt",
		"sub/up",
		"escape\x00index.html",
		"..\x00/index.html",
		"/proc/self/environ",
		"./" + strings.Repeat("a", 4096),
		"./" + strings.Repeat("sub/", 1100) + "page.txt",
		strings.Repeat("x", 300),
		"..",
		"../",
		"...",
		"",
		"sub/..",
		"index.html/",
		"index.html/..",
		"C:/Windows/win.ini",
		"~/secret.txt",
	}
}

func TestFilesTraversalCorpus(t *testing.T) {
	f := newTraversalFixture(t)
	uris, queries := uriCorpus(), queryCorpus()
	require.GreaterOrEqual(t, len(uris)+len(queries), 60)
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		srv := serveGuest(t, eng, "files.wasm", runtime.Config{DocumentRoot: f.root, Mode: runtime.ModePooled})
		refuse := func(t *testing.T, target string) {
			status, body := rawGet(t, srv.Listener.Addr().String(), target)
			require.NotContains(t, body, "TOP-SECRET", "%q", target)
			require.NotContains(t, body, "root:x:0:0", "%q", target)
			require.True(t, status >= 400 && status < 500, "%q answered %d: %q", target, status, body)
		}
		for _, target := range uris {
			refuse(t, target)
		}
		for _, p := range queries {
			p = strings.ReplaceAll(p, "%s", f.outside)
			for _, handler := range []string{"/file", "/body"} {
				refuse(t, handler+"?path="+url.QueryEscape(p))
			}
		}
		// Directories: 403 from mg_send_file; mg_send_file_body sends
		// nothing, as CivetWeb's does.
		for _, p := range []string{".", "./", "./.", "sub", "./sub/", "escdir/.."} {
			status, _ := rawGet(t, srv.Listener.Addr().String(), "/file?path="+url.QueryEscape(p))
			if p == "escdir/.." {
				require.Equal(t, http.StatusNotFound, status, p) // ".." is refused
				continue
			}
			require.Equal(t, http.StatusForbidden, status, p)
			status, body := rawGet(t, srv.Listener.Addr().String(), "/body?path="+url.QueryEscape(p))
			require.Equal(t, http.StatusOK, status, p)
			require.Empty(t, body, p)
		}
		// Refusals are logged; the log names the problem.
		srv.logs.eventually(t, "file refused")
		srv.logs.eventually(t, "parent directory segment")
		srv.logs.eventually(t, "path escapes from parent")
	})
}

// TestFilesTraversalControls shows the corpus is not refused for a dull
// reason: the same handlers serve files inside the root, through a
// symbolic link inside it too.
func TestFilesTraversalControls(t *testing.T) {
	f := newTraversalFixture(t)
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		srv := serveGuest(t, eng, "files.wasm", runtime.Config{DocumentRoot: f.root})
		addr := srv.Listener.Addr().String()
		for target, want := range map[string]string{
			"/uri/index.html":            "public index\n",
			"/uri/inside":                "public index\n",
			"/uri/sub/page.txt":          "public page\n",
			"/uri/sub//page.txt":         "public page\n",
			"/file?path=./inside":        "public index\n",
			"/file?path=sub/page.txt":    "public page\n",
			"/file?path=.//sub/page.txt": "public page\n",
			"/body?path=./sub/page.txt":  "public page\n",
			"/body?path=index.html":      "public index\n",
			// The guest's C string ends at the NUL, as in CivetWeb.
			"/uri/index.html%00.txt": "public index\n",
			"/option":                "[.]",
		} {
			status, body := rawGet(t, addr, target)
			require.Equal(t, http.StatusOK, status, target)
			require.Equal(t, want, body, target)
		}
	})
}

// Files go out the same over HTTP/2, re-framed by the host.
func TestFilesOverHTTP2(t *testing.T) {
	f := newTraversalFixture(t)
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		srv := serveGuestProto(t, eng, "files.wasm", runtime.Config{DocumentRoot: f.root}, true)
		resp, body := srv.get(t, "/uri/index.html")
		require.Equal(t, 2, resp.ProtoMajor)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Equal(t, "public index\n", body)
		require.Equal(t, "text/html", resp.Header.Get("Content-Type"))
		require.Equal(t, "max-age=3600", resp.Header.Get("Cache-Control"))

		req, err := http.NewRequest(http.MethodGet, srv.URL+"/uri/index.html", nil)
		require.NoError(t, err)
		req.Header.Set("Range", "bytes=7-11")
		resp, err = srv.Client().Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.Equal(t, http.StatusPartialContent, resp.StatusCode)
		require.Equal(t, "bytes 7-11/13", resp.Header.Get("Content-Range"))
		require.Equal(t, "index", string(b))
	})
}

// TestFilesWithoutDocumentRoot: without a grant, files are missing (404,
// -1), the log says why, and mg_get_option gives "".
func TestFilesWithoutDocumentRoot(t *testing.T) {
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		srv := serveGuest(t, eng, "files.wasm", runtime.Config{})
		addr := srv.Listener.Addr().String()
		status, body := rawGet(t, addr, "/file?path=index.html")
		require.Equal(t, http.StatusNotFound, status)
		require.Equal(t, "Error 404: Not Found\nError: File not found", body)
		status, body = rawGet(t, addr, "/body?path=index.html")
		require.Equal(t, http.StatusNotFound, status)
		require.Contains(t, body, "mg_send_file_body failed")
		status, body = rawGet(t, addr, "/option")
		require.Equal(t, http.StatusOK, status)
		require.Equal(t, "[]", body)
		srv.logs.eventually(t, "no document root is granted")
	})
}

// rawGet sends one GET with target written as is and returns the status
// and body.
func rawGet(t *testing.T, addr, target string) (int, string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(10*time.Second)))
	_, err = fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n", target)
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err, "%q", target)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err, "%q", target)
	return resp.StatusCode, string(b)
}
