package compat

import (
	"crypto/md5"
	"encoding/hex"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/internal/enginetest"
	"github.com/civetbox/civetbox/internal/nativecivet"
	"github.com/civetbox/civetbox/internal/toolchain"
	"github.com/civetbox/civetbox/runtime"
	"github.com/civetbox/civetbox/runtime/engine"
)

// Cases for testdata/compat/digest.c: digest authentication against the
// passwords file in testdata/compat/authroot. Requests here are fixed
// bytes, so no nonce in them is one a server issued; TestDigestLogin
// (below) logs in with the nonce each server hands out.

// authRoot is the fixture document root with the passwords file.
func authRoot() string { return filepath.Join(dir(), "authroot") }

func digestNativeOptions() []string { return []string{"document_root", authRoot()} }

func digestConfigure(_ *testing.T, cfg *runtime.Config) { cfg.DocumentRoot = authRoot() }

// A Digest Authorization header with a nonce neither server issued.
const staleDigest = `Authorization: Digest username="alice", realm="mydomain.com", ` +
	`nonce="1234567890", uri="/digest/check", qop=auth, nc=00000001, cnonce="0a4f113b", ` +
	`response="6629fae49393a05397450978507c4ef1"`

// longRealm makes CivetWeb's challenge header longer than its 128-byte
// buffer.
var longRealm = strings.Repeat("r", 100)

// Go spells the challenge header "Www-Authenticate".
var wwwAuthSpelling = dev{devResponseCanonical,
	`response 1 header name spelling: native ["WWW-Authenticate"], civetbox ["Www-Authenticate"]`}

// challenged is a case answered with the challenge on both servers.
func challenged(name, raw string, devs ...dev) testCase {
	return withCheck(single(name, raw, append(devs, wwwAuthSpelling)...), boxNonceForm)
}

func digestCases() []testCase {
	return []testCase{
		challenged("no Authorization", get("/digest/check")),
		challenged("no Authorization, other realm", get("/digest/check?realm=other.realm")),
		challenged("challenge, default realm", get("/digest/challenge")),
		challenged("challenge, HTTP/1.0", http10("GET", "/digest/challenge")),
		challenged("challenge, keep-alive asked", get("/digest/challenge", connKeepAlive)),
		challenged("challenge, HEAD", req("HEAD", "/digest/challenge")),
		challenged("challenge, realm with spaces", get("/digest/challenge?realm=My+Protected+Area")),
		challenged("challenge, empty realm", get("/digest/challenge?realm="),
			dev{devDigestEmptyRealm, `response 1 header Www-Authenticate: native ["Digest qop=\"auth\", realm=\"\", nonce=\"(masked)\""], ` +
				`civetbox ["Digest qop=\"auth\", realm=\"mydomain.com\", nonce=\"(masked)\""]`}),
		withCheck(single("challenge, realm of 100 bytes", get("/digest/challenge?realm="+longRealm),
			dev{devDigestLongRealm, `response 1 header Www-Authenticate: native [], ` +
				`civetbox ["Digest qop=\"auth\", realm=\"` + longRealm + `\", nonce=\"(masked)\""]`}), boxNonceForm),
		challenged("nonce not issued", get("/digest/check", staleDigest)),
		challenged("Basic instead of Digest", get("/digest/check", "Authorization: Basic YWxpY2U6c2VjcmV0")),
		challenged("scheme only", get("/digest/check", "Authorization: Digest ")),
		challenged("scheme in lower case", get("/digest/check", "Authorization: digest username=alice, nonce=1")),
		challenged("malformed fields", get("/digest/check", `Authorization: Digest username="alice, nonce=, =x, "`)),
		challenged("no username", get("/digest/check", `Authorization: Digest nonce="1", response="x"`)),
		single("passwords file missing", get("/digest/check?file=missing")),
		single("passwords file missing, with credentials", get("/digest/check?file=missing", staleDigest)),
		challenged("passwords file is a directory", get("/digest/check?file=.")),
		{name: "challenge, then another request", steps: []step{{get("/digest/challenge")}, {get("/digest/challenge")}},
			devs: []dev{wwwAuthSpelling}},
	}
}

// boxNonceForm checks civetbox's nonce: decimal digits, as CivetWeb's.
func boxNonceForm(t *testing.T, _, box *result) {
	require.NotEmpty(t, box.responses)
	v, ok := box.responses[0].rawHeader("Www-Authenticate")
	require.True(t, ok, "civetbox sends a challenge")
	require.Regexp(t, `^Digest qop="auth", realm="[^"]*", nonce="[0-9]{21,39}"$`, v)
}

// digestNonce matches the nonce in a WWW-Authenticate challenge.
var digestNonce = regexp.MustCompile(`nonce="[^"]*"`)

// maskDigestNonce replaces the nonce of digest challenges with a fixed
// text before comparison: every server makes its own, so no two agree on
// it. TestDigestLogin checks that the nonces work.
func maskDigestNonce(values []string) {
	for i, v := range values {
		values[i] = digestNonce.ReplaceAllString(v, `nonce="(masked)"`)
	}
}

// TestDigestLogin logs in as a browser does: it fetches each server's
// challenge, answers it with credentials computed here for the nonce that
// server issued, and compares the final answers (status and body) of
// native CivetWeb and of civetbox on every engine and instance mode. In
// fresh mode every request runs in a new instance, so a nonce one instance
// issued is checked by another. It also sends a nonce from another start
// of the server, which neither accepts. (An expired nonce is tested in
// hostfuncs, where the clock can be moved.)
func TestDigestLogin(t *testing.T) {
	cc := toolchain.NativeCivetWeb(t)
	s := digestSuite()
	bin := nativecivet.Build(t, cc, filepath.Join(dir(), "digest.c"), "-Werror")
	native := nativecivet.Start(t, bin, s.nativeOptions...)
	nativeRestarted := nativecivet.Start(t, bin, s.nativeOptions...)
	want := runLogins(t, "http://"+native.Addr, "http://"+nativeRestarted.Addr)
	for i, l := range logins() {
		status := http.StatusUnauthorized
		if l.accepted {
			status = http.StatusOK
		}
		require.Equal(t, status, want[i].status, "%s: native CivetWeb's answer", l.name)
	}

	wasm, err := os.ReadFile(filepath.Join(dir(), "digest.wasm"))
	require.NoError(t, err, "rebuild with: go generate ./internal/compat/")
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		for _, mode := range modes {
			t.Run(string(mode), func(t *testing.T) {
				box := serveSandboxed(t, eng, s, wasm, mode)
				restarted := serveSandboxed(t, eng, s, wasm, mode)
				got := runLogins(t, "http://"+box.addr, "http://"+restarted.addr)
				for i, l := range logins() {
					assert.Equal(t, want[i], got[i], "%s: civetbox answers as native CivetWeb", l.name)
				}
			})
		}
	})
}

func digestSuite() suite {
	for _, s := range suites() {
		if s.name == "digest" {
			return s
		}
	}
	panic("no digest suite")
}

// login is one attempt: credentials for a target, and how the Authorization
// header is made from them.
type login struct {
	name           string
	accepted       bool   // what CivetWeb decides
	target         string // "/digest/check" and a query
	user, password string
	realm          string // the realm hashed into HA1; "" means the challenge's
	// other: take the nonce from the other (restarted) server's challenge.
	other bool
	// edit changes the header fields before they are sent; nil sends
	// them as computed.
	edit func(f *digestFields)
}

// loginAnswer is what matters of a final answer.
type loginAnswer struct {
	status int
	body   string
}

func logins() []login {
	const check, other = "/digest/check", "/digest/check?realm=other.realm"
	return []login{
		{name: "correct password", accepted: true, target: check, user: "alice", password: "secret"},
		{name: "second user", accepted: true, target: check, user: "bob", password: "hunter2"},
		{name: "other realm", accepted: true, target: other, user: "alice", password: "other-secret"},
		{name: "response in upper case", accepted: true, target: check, user: "alice", password: "secret",
			edit: func(f *digestFields) { f.response = strings.ToUpper(f.response) }},
		{name: "unquoted values", accepted: true, target: check, user: "alice", password: "secret",
			edit: func(f *digestFields) { f.unquoted = true }},
		{name: "no uri field, hashed as empty", accepted: true, target: check, user: "alice", password: "secret",
			edit: func(f *digestFields) { f.omit("uri") }},
		{name: "uri of another resource", accepted: true, target: check, user: "alice", password: "secret",
			edit: func(f *digestFields) { f.uri, f.response = "/elsewhere", f.rehash("/elsewhere") }},
		{name: "wrong password", target: check, user: "alice", password: "wrong"},
		{name: "unknown user", target: check, user: "mallory", password: "secret"},
		{name: "password of the realm's second line", target: check, user: "alice", password: "second-line-never-used"},
		{name: "credentials of another realm", target: other, user: "alice", password: "secret", realm: "mydomain.com"},
		{name: "no qop", target: check, user: "alice", password: "secret",
			edit: func(f *digestFields) { f.omit("qop") }},
		{name: "no cnonce", target: check, user: "alice", password: "secret",
			edit: func(f *digestFields) { f.omit("cnonce") }},
		{name: "no nc", target: check, user: "alice", password: "secret",
			edit: func(f *digestFields) { f.omit("nc") }},
		{name: "short response", target: check, user: "alice", password: "secret",
			edit: func(f *digestFields) { f.response = f.response[:31] }},
		{name: "forged nonce", target: check, user: "alice", password: "secret",
			edit: func(f *digestFields) { f.nonce = forge(f.nonce); f.response = f.rehash(f.uri) }},
		{name: "nonce from another start of the server", target: check, user: "alice", password: "secret", other: true},
	}
}

// forge changes the first digit of a nonce. (CivetWeb accepts a nonce a
// little off the one it issued, such as one with another last digit: it
// only checks that the number lies in the range it has issued.)
func forge(nonce string) string {
	return string('1'+(nonce[0]-'0')%9) + nonce[1:]
}

// runLogins runs every login against server (and, for "other", fetches
// the nonce from restarted) and returns the final answers.
func runLogins(t *testing.T, server, restarted string) []loginAnswer {
	t.Helper()
	var answers []loginAnswer
	for _, l := range logins() {
		from := server
		if l.other {
			from = restarted
		}
		realm, nonce := fetchChallenge(t, from+l.target)
		if l.realm != "" {
			realm = l.realm
		}
		f := newDigestFields(l.user, realm, l.password, "GET", l.target, nonce)
		if l.edit != nil {
			l.edit(f)
		}
		answers = append(answers, fetch(t, server+l.target, f.header()))
	}
	return answers
}

var challengeField = regexp.MustCompile(`^Digest qop="auth", realm="([^"]*)", nonce="([0-9]+)"$`)

// fetchChallenge asks url without credentials and returns the realm and
// nonce of the challenge it gets.
func fetchChallenge(t *testing.T, url string) (realm, nonce string) {
	t.Helper()
	resp := get1(t, url, "")
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode, url)
	m := challengeField.FindStringSubmatch(resp.Header.Get("WWW-Authenticate"))
	require.NotNil(t, m, "challenge from %s: %q", url, resp.Header.Get("WWW-Authenticate"))
	return m[1], m[2]
}

func fetch(t *testing.T, url, authorization string) loginAnswer {
	t.Helper()
	resp := get1(t, url, authorization)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return loginAnswer{resp.StatusCode, string(body)}
}

// get1 sends one GET on its own connection.
func get1(t *testing.T, url, authorization string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}
	resp, err := client.Do(req)
	require.NoError(t, err)
	t.Cleanup(func() { _ = resp.Body.Close() })
	return resp
}

// digestFields are the fields of a Digest Authorization header (RFC 7616,
// qop=auth, MD5), computed here independently of both servers.
type digestFields struct {
	user, realm, nonce, uri, nc, cnonce, qop, response string
	method, ha1                                        string
	omitted                                            map[string]bool
	unquoted                                           bool
}

func newDigestFields(user, realm, password, method, uri, nonce string) *digestFields {
	f := &digestFields{user: user, realm: realm, nonce: nonce, uri: uri, nc: "00000001",
		cnonce: "0a4f113b", qop: "auth", method: method, ha1: md5hex(user + ":" + realm + ":" + password),
		omitted: map[string]bool{}}
	f.response = f.rehash(uri)
	return f
}

// rehash is the response for uri and the other fields as they are.
func (f *digestFields) rehash(uri string) string {
	ha2 := md5hex(f.method + ":" + uri)
	return md5hex(f.ha1 + ":" + f.nonce + ":" + f.nc + ":" + f.cnonce + ":" + f.qop + ":" + ha2)
}

// omit leaves a field out of the header; the response stays the one
// computed with it, except for uri, which CivetWeb hashes as empty then.
func (f *digestFields) omit(name string) {
	f.omitted[name] = true
	if name == "uri" {
		f.response = f.rehash("")
	}
}

func (f *digestFields) header() string {
	fields := []struct {
		name, value string
		quoted      bool
	}{
		{"username", f.user, true}, {"realm", f.realm, true}, {"nonce", f.nonce, true},
		{"uri", f.uri, true}, {"qop", f.qop, false}, {"nc", f.nc, false},
		{"cnonce", f.cnonce, true}, {"response", f.response, true},
	}
	var parts []string
	for _, fl := range fields {
		if f.omitted[fl.name] {
			continue
		}
		if fl.quoted && !f.unquoted {
			parts = append(parts, fl.name+`="`+fl.value+`"`)
		} else {
			parts = append(parts, fl.name+"="+fl.value)
		}
	}
	return "Digest " + strings.Join(parts, ", ")
}

func md5hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}
