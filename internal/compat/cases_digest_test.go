package compat

import (
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/runtime"
)

// Cases for testdata/compat/digest.c: digest authentication against the
// passwords file in testdata/compat/authroot. Requests here are fixed
// bytes, so no nonce in them is one a server issued; TestDigestLogin
// (digest_login_test.go) logs in with the nonce each server hands out.

// authRoot is the fixture document root with the passwords file.
func authRoot() string { return filepath.Join(dir(), "authroot") }

func digestNativeOptions() []string { return []string{"document_root", authRoot()} }

func digestConfigure(_ *testing.T, cfg *runtime.Config) { cfg.DocumentRoot = authRoot() }

// A Digest Authorization header with a nonce neither server issued.
const staleDigest = `Authorization: Digest username="alice", realm="mydomain.com", ` +
	`nonce="1234567890", uri="/digest/check", qop=auth, nc=00000001, cnonce="0a4f113b", ` +
	`response="6629fae49393a05397450978507c4ef1"`

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
