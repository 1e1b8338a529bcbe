package hostfuncs_test

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/abi"
	"github.com/civetbox/civetbox/hostfuncs"
)

// The digest host functions as a guest calls them.

func md5hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// digestScope is a request (its module's nonce key made of key) with a document root holding "passwords" (alice
// with password "pw" in the default realm) and a log.
func digestScope(t *testing.T, conn *fakeConn, key byte) (context.Context, *logRecorder) {
	t.Helper()
	dir := t.TempDir()
	line := "alice:mydomain.com:" + md5hex("alice:mydomain.com:pw") + "\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "passwords"), []byte(line), 0o644))
	root, err := os.OpenRoot(dir)
	require.NoError(t, err)
	t.Cleanup(func() { _ = root.Close() })
	logs := &logRecorder{}
	return hostfuncs.WithScope(context.Background(), &hostfuncs.Scope{
		Conn: conn, Log: slog.New(logs), RequestID: 42, Grants: &hostfuncs.Grants{DocRoot: root, NonceKey: [32]byte{key}},
	}), logs
}

var challengeRE = regexp.MustCompile(`^WWW-Authenticate: Digest qop="auth", realm="([^"]*)", nonce="([0-9]+)"$`)

// challenge sends the 401 and returns the header events and the nonce.
func challenge(t *testing.T, ctx context.Context, conn *fakeConn, realm string) ([]string, string) {
	t.Helper()
	mem := newMem()
	p, n := mem.put(0x100, realm)
	require.Equal(t, int32(0), call(t, ctx, mem, abi.FuncMgSendDigestAuth, p, n))
	headers := conn.headers()
	m := challengeRE.FindStringSubmatch(headers[len(headers)-2])
	require.NotNil(t, m, "%q", headers)
	return headers, m[2]
}

func TestSendDigestAuth(t *testing.T) {
	conn := newConn()
	ctx, _ := digestScope(t, conn, 1)
	headers, nonce := challenge(t, ctx, conn, "")
	require.Equal(t, "start 401", conn.events[0])
	require.Equal(t, "send", conn.events[len(conn.events)-1])
	require.Equal(t, []string{
		"Cache-Control: no-cache, no-store, must-revalidate, private, max-age=0",
		"Expires: 0",
		"Pragma: no-cache",
		"Content-Length: 0",
		`WWW-Authenticate: Digest qop="auth", realm="mydomain.com", nonce="` + nonce + `"`,
		"Connection: close",
	}, headers)

	conn = newConn()
	conn.info.HTTPVersion = "2.0"
	ctx, _ = digestScope(t, conn, 1)
	headers, _ = challenge(t, ctx, conn, "Some Realm")
	require.NotContains(t, headers, "Pragma: no-cache", "HTTP/1 only, as CivetWeb")
	require.Contains(t, headers[len(headers)-2], `realm="Some Realm"`)
}

func TestSendDigestAuth_refusedHeader(t *testing.T) {
	conn := newConn()
	conn.addErr = func(name, value string) error {
		if strings.ContainsAny(value, "\r\n") {
			return hostfuncs.ErrBadHeader
		}
		return nil
	}
	ctx, logs := digestScope(t, conn, 1)
	mem := newMem()
	p, n := mem.put(0x100, "bad\r\nrealm")
	require.Equal(t, int32(0), call(t, ctx, mem, abi.FuncMgSendDigestAuth, p, n))
	require.Equal(t, "send", conn.events[len(conn.events)-1], "the other headers are sent")
	require.Len(t, logs.records, 1)
	id, _ := logs.attr(0, "request_id")
	require.Equal(t, uint64(42), id.Uint64())
}

func TestCheckDigest(t *testing.T) {
	conn := newConn()
	ctx, logs := digestScope(t, conn, 1)
	_, nonce := challenge(t, ctx, conn, "")
	ha2 := md5hex("GET:/private")
	authorization := func(password string) string {
		resp := md5hex(md5hex("alice:mydomain.com:"+password) + ":" + nonce + ":00000001:abc:auth:" + ha2)
		return `Digest username="alice", realm="mydomain.com", nonce="` + nonce +
			`", uri="/private", qop=auth, nc=00000001, cnonce="abc", response="` + resp + `"`
	}
	mem := newMem()
	check := func(realm, file, authz string) int32 {
		conn.info.Headers = []hostfuncs.Header{{Name: "Authorization", Value: authz}}
		r, rn := mem.put(0x100, realm)
		f, fn := mem.put(0x200, file)
		return call(t, ctx, mem, abi.FuncMgCheckDigest, r, rn, f, fn)
	}
	require.Equal(t, int32(1), check("", "passwords", authorization("pw")))
	require.Equal(t, int32(1), check("mydomain.com", "./passwords", authorization("pw")))
	require.Equal(t, int32(0), check("", "passwords", authorization("wrong")))
	require.Equal(t, int32(0), check("other", "passwords", authorization("pw")))
	require.Equal(t, int32(0), check("", "passwords", ""))
	require.Empty(t, logs.records)

	for _, file := range []string{"missing", "../passwords", "/passwords", "a\\b", "a\x00b", ""} {
		require.Equal(t, int32(-2), check("", file, authorization("pw")), "%q", file)
	}
	require.Len(t, logs.records, 6, "each refusal is logged")

	// Without a document root.
	noRoot := hostfuncs.WithScope(context.Background(), &hostfuncs.Scope{Conn: conn, Log: slog.New(logs)})
	f, fn := mem.put(0x200, "passwords")
	require.Equal(t, int32(-2), call(t, noRoot, mem, abi.FuncMgCheckDigest, 0, 0, f, fn))
	require.Len(t, logs.records, 7)
	require.Contains(t, logs.records[6].Message, "mg_check_digest_access_authentication")
}

func TestCheckDigest_nonceOfAnotherLoad(t *testing.T) {
	conn := newConn()
	first, _ := digestScope(t, conn, 1)
	_, nonce := challenge(t, first, conn, "")
	resp := md5hex(md5hex("alice:mydomain.com:pw") + ":" + nonce + ":1:c:auth:" + md5hex("GET:/"))
	conn.info.Headers = []hostfuncs.Header{{Name: "Authorization",
		Value: `Digest username=alice, nonce=` + nonce + `, uri=/, qop=auth, nc=1, cnonce=c, response=` + resp}}
	mem := newMem()
	f, fn := mem.put(0x200, "passwords")
	require.Equal(t, int32(1), call(t, first, mem, abi.FuncMgCheckDigest, 0, 0, f, fn))
	reloaded, _ := digestScope(t, conn, 2) // a module loaded again has a new key
	require.Equal(t, int32(0), call(t, reloaded, mem, abi.FuncMgCheckDigest, 0, 0, f, fn))
}
