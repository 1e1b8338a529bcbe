package hostfuncs

import (
	"bufio"
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// White-box tests of digest authentication: header parsing, passwords
// files, nonces and paths. digest_test.go tests the host functions.

func fields(ah authHeader) map[string]string {
	m := map[string]string{}
	for name, p := range map[string]*string{"username": ah.user, "uri": ah.uri, "cnonce": ah.cnonce,
		"response": ah.response, "qop": ah.qop, "nc": ah.nc, "nonce": ah.nonce} {
		if p != nil {
			m[name] = *p
		}
	}
	return m
}

func TestParseAuthHeader(t *testing.T) {
	for _, tc := range []struct {
		name, value string
		ok          bool
		want        map[string]string
	}{
		{"quoted", `Digest username="alice", nonce="123", uri="/a?b=c", qop="auth", nc="00000001", cnonce="x y", response="r"`, true,
			map[string]string{"username": "alice", "nonce": "123", "uri": "/a?b=c", "qop": "auth", "nc": "00000001", "cnonce": "x y", "response": "r"}},
		{"unquoted, commas", `Digest username=alice,nonce=123,qop=auth`, true,
			map[string]string{"username": "alice", "nonce": "123", "qop": "auth"}},
		{"unquoted, spaces only (Firefox once)", `Digest username=alice nonce=123`, true,
			map[string]string{"username": "alice", "nonce": "123"}},
		{"scheme case-insensitive", `dIGEST username=alice, nonce=1`, true,
			map[string]string{"username": "alice", "nonce": "1"}},
		{"escaped quote and comma in a quoted value", `Digest username="a\"b,c", nonce="1"`, true,
			map[string]string{"username": `a"b,c`, "nonce": "1"}},
		{"backslash elsewhere kept", `Digest username="a\b", nonce="1"`, true,
			map[string]string{"username": `a\b`, "nonce": "1"}},
		{"unterminated quote runs to the end", `Digest nonce="1", username="alice`, true,
			map[string]string{"username": "alice", "nonce": "1"}},
		{"repeated field: the last wins", `Digest username=a, username=b, nonce=1`, true,
			map[string]string{"username": "b", "nonce": "1"}},
		{"names are case-sensitive", `Digest Username=alice, nonce=1`, false,
			map[string]string{"nonce": "1"}},
		{"space before a comma hides the next field", `Digest nonce=1 , username=alice`, false,
			map[string]string{"nonce": "1"}},
		{"empty value", `Digest username=, nonce=1`, true,
			map[string]string{"username": "", "nonce": "1"}},
		{"name without value", `Digest nonce=1, username`, true,
			map[string]string{"username": "", "nonce": "1"}},
		{"no nonce", `Digest username=alice`, false, map[string]string{"username": "alice"}},
		{"no username", `Digest nonce=1`, false, map[string]string{"nonce": "1"}},
		{"Basic", `Basic YWxpY2U6c2VjcmV0`, false, map[string]string{}},
		{"scheme without space", `Digest`, false, map[string]string{}},
		{"leading empty name ends parsing", `Digest =x, username=alice, nonce=1`, false, map[string]string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ah, ok := parseAuthHeader([]Header{{"Authorization", tc.value}})
			require.Equal(t, tc.ok, ok)
			require.Equal(t, tc.want, fields(ah))
		})
	}
}

func TestParseAuthHeader_firstHeaderOnly(t *testing.T) {
	_, ok := parseAuthHeader([]Header{{"authorization", "Basic x"}, {"Authorization", "Digest username=a, nonce=1"}})
	require.False(t, ok, "CivetWeb reads the first Authorization header")
	_, ok = parseAuthHeader(nil)
	require.False(t, ok)
}

func TestParseAuthHeader_longValueCut(t *testing.T) {
	// CivetWeb parses at most 8191 bytes after "Digest ".
	pad := strings.Repeat("x", authHeaderMax-len("nonce=1, username=")-3)
	ah, ok := parseAuthHeader([]Header{{"Authorization", "Digest nonce=1, username=" + pad + "abcdef"}})
	require.True(t, ok)
	require.Equal(t, pad+"abc", *ah.user)
}

func TestSkipQuoted(t *testing.T) {
	for _, tc := range []struct{ s, word, rest string }{
		{`abc"  def`, "abc", "def"},
		{`abc`, "abc", ""},
		{`a\"b"c`, `a"b`, "c"},
		{`a\"b\"c" d`, `a"b"c`, "d"},
		{`ab\`, "ab", ""},
		{`a\"`, `a"`, ""},
		{`"x`, "", "x"},
	} {
		word, rest := skipQuoted(tc.s, `"`, " ", '\\')
		require.Equal(t, tc.word, word, tc.s)
		require.Equal(t, tc.rest, rest, tc.s)
	}
}

func TestNonce(t *testing.T) {
	key := [32]byte{1, 2, 3}
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	n := newNonce(key, now)
	require.Regexp(t, `^[0-9]{39}$`, n, "digits only, like CivetWeb's")
	valid := func(nonce string, at time.Time) bool { return validNonce(key, &nonce, at) }

	require.True(t, valid(n, now))
	require.True(t, valid(n, now.Add(NonceLifetime-time.Second)))
	require.False(t, valid(n, now.Add(NonceLifetime)), "expired")
	require.True(t, valid(n, now.Add(-30*time.Second)), "a clock stepped back a little")
	require.False(t, valid(n, now.Add(-2*nonceClockSkew)), "issued in the future")
	require.NotEqual(t, n, newNonce(key, now.Add(time.Nanosecond)), "nonces differ")

	other := [32]byte{9}
	require.False(t, validNonce(other, &n, now), "another key (module loaded again)")
	for i := range n {
		for _, d := range "0123456789" {
			if byte(d) != n[i] {
				require.False(t, valid(n[:i]+string(d)+n[i+1:], now), "digit %d changed to %c", i, d)
			}
		}
	}
	for _, bad := range []string{"", "1", strings.Repeat("1", nonceMACDigits), "0" + n, "+" + n, " " + n, n + " ", n[:10] + "x" + n[11:], n + "0"} {
		require.False(t, valid(bad, now), "%q", bad)
	}
	require.False(t, validNonce(key, nil, now))
}

// docRoot makes a document root with files and returns its Grants.
func docRoot(t *testing.T, files map[string]string) *Grants {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	root, err := os.OpenRoot(dir)
	require.NoError(t, err)
	t.Cleanup(func() { _ = root.Close() })
	return &Grants{DocRoot: root, NonceKey: [32]byte{7}}
}

func TestOpenPasswordsFile(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "secret")
	require.NoError(t, os.WriteFile(outside, []byte("x"), 0o644))
	g := docRoot(t, map[string]string{"passwords": "a:b:c\n", "sub/p": "x"})
	require.NoError(t, os.Symlink(outside, filepath.Join(g.DocRoot.Name(), "escape")))
	require.NoError(t, os.Symlink("passwords", filepath.Join(g.DocRoot.Name(), "inside")))

	for _, name := range []string{"passwords", "./passwords", "sub/p", "inside"} {
		f, err := openPasswordsFile(g, name)
		require.NoError(t, err, name)
		require.NoError(t, f.Close())
	}
	for _, name := range []string{"escape", "missing", "../" + filepath.Base(g.DocRoot.Name()) + "/passwords", outside} {
		_, err := openPasswordsFile(g, name)
		require.Error(t, err, name)
	}
	_, err := openPasswordsFile(nil, "passwords")
	require.ErrorIs(t, err, errNoDocRoot)
	_, err = openPasswordsFile(&Grants{}, "passwords")
	require.ErrorIs(t, err, errNoDocRoot)
}

func TestReadPasswordsLine(t *testing.T) {
	long := strings.Repeat("a", passwordsLineMax+10)
	br := bufioReader("one\r\n  two \t\x01\nthree\x00ignored\n\n" + long + "\nlast")
	var lines []string
	for {
		l, ok := readPasswordsLine(br)
		if !ok {
			break
		}
		lines = append(lines, l)
	}
	require.Equal(t, []string{"one", "  two", "three", "", long[:passwordsLineMax], long[passwordsLineMax:], "last"}, lines)
}

// credentials returns the header fields of a correct login for user and
// password in realm, with nonce.
func credentials(user, realm, password, nonce string) authHeader {
	s := func(v string) *string { return &v }
	ha1 := md5Hex(user + ":" + realm + ":" + password)
	resp := md5Hex(ha1 + ":" + nonce + ":00000001:c:auth:" + md5Hex("GET:/p"))
	return authHeader{user: s(user), nonce: s(nonce), uri: s("/p"), nc: s("00000001"), cnonce: s("c"), qop: s("auth"), response: s(resp)}
}

func TestReadFile(t *testing.T) {
	ha1 := func(user, realm, pw string) string { return md5Hex(user + ":" + realm + ":" + pw) }
	file := strings.Join([]string{
		":# a comment",
		"",
		"syntax error without colons",
		"user-only:",
		":unknown special line",
		"alice:realm:" + ha1("alice", "realm", "pw"),
		"alice:realm:" + ha1("alice", "realm", "second"),
		"bob:other:" + ha1("bob", "other", "pw"),
		":include=inc/more",
		":include=../escape",
		":include=missing",
		"carol:realm:" + ha1("carol", "realm", "pw"),
	}, "\n") + "\n"
	g := docRoot(t, map[string]string{
		"inc/more": "dave:realm:" + ha1("dave", "realm", "pw") + "\ncarol:realm:" + ha1("carol", "realm", "wrong") + "\n",
		"loop":     ":include=loop\n",
	})
	var logs bytes.Buffer
	s := &Scope{Grants: g, Log: slog.New(slog.NewTextHandler(&logs, nil))}
	check := func(content, user, realm, pw string) bool {
		c := passwordCheck{scope: s, ah: credentials(user, realm, pw, "n"), method: "GET", realm: realm}
		return c.readFile(strings.NewReader(content), includeDepth)
	}
	require.True(t, check(file, "alice", "realm", "pw"))
	require.False(t, check(file, "alice", "realm", "second"), "the first line for a user and realm decides")
	require.True(t, check(file, "bob", "other", "pw"))
	require.False(t, check(file, "bob", "realm", "pw"), "no line for bob in realm")
	require.True(t, check(file, "dave", "realm", "pw"), "from the included file")
	require.True(t, check(file, "carol", "realm", "pw"), "a failed check in an included file does not end the search")
	require.False(t, check(file, "nobody", "realm", "pw"))
	require.False(t, check(":include=loop\n", "x", "realm", "pw"), "self-inclusion ends")
	require.Contains(t, logs.String(), "syntax error")
	require.Contains(t, logs.String(), "cannot open an included passwords file")
}

func TestMatches(t *testing.T) {
	ha1 := md5Hex("alice:realm:pw")
	ah := credentials("alice", "realm", "pw", "n")
	require.True(t, ah.matches("GET", ha1))
	require.False(t, ah.matches("POST", ha1), "the method is hashed")
	upper := strings.ToUpper(*ah.response)
	ah.response = &upper
	require.True(t, ah.matches("GET", ha1), "hex of either case")
	short := upper[:31]
	ah.response = &short
	require.False(t, ah.matches("GET", ha1))
	for _, clear := range []func(*authHeader){
		func(a *authHeader) { a.nonce = nil }, func(a *authHeader) { a.nc = nil },
		func(a *authHeader) { a.cnonce = nil }, func(a *authHeader) { a.qop = nil },
		func(a *authHeader) { a.response = nil },
	} {
		a := credentials("alice", "realm", "pw", "n")
		clear(&a)
		require.False(t, a.matches("GET", ha1))
	}
}

// infoConn is a Conn that only describes a request.
type infoConn struct {
	Conn
	info RequestInfo
}

func (c *infoConn) Info() *RequestInfo { return &c.info }

func TestCheckDigest_nonceAge(t *testing.T) {
	g := docRoot(t, map[string]string{"passwords": "alice:mydomain.com:" + md5Hex("alice:mydomain.com:pw") + "\n"})
	s := &Scope{Grants: g}
	attempt := func(nonce string) int32 {
		ah := credentials("alice", "mydomain.com", "pw", nonce)
		h := `Digest username="alice", nonce="` + nonce + `", uri="/p", qop=auth, nc=00000001, cnonce="c", response="` + *ah.response + `"`
		conn := &infoConn{info: RequestInfo{Method: "GET", Headers: []Header{{"Authorization", h}}}}
		return checkDigest(s, conn, "", "./passwords")
	}
	require.Equal(t, int32(1), attempt(newNonce(g.NonceKey, time.Now())))
	require.Equal(t, int32(1), attempt(newNonce(g.NonceKey, time.Now().Add(-NonceLifetime+time.Minute))))
	require.Equal(t, int32(0), attempt(newNonce(g.NonceKey, time.Now().Add(-NonceLifetime-time.Second))), "expired")
	require.Equal(t, int32(0), attempt(newNonce([32]byte{8}, time.Now())), "made with another key")
}

func bufioReader(s string) *bufio.Reader { return bufio.NewReader(strings.NewReader(s)) }
