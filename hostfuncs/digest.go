package hostfuncs

import (
	"context"
	"time"

	"github.com/civetbox/civetbox/abi"
	"github.com/civetbox/civetbox/internal/guestmem"
	"github.com/civetbox/civetbox/runtime/engine"
)

// DefaultRealm is CivetWeb's authentication_domain default, the realm of
// a guest that passes none.
const DefaultRealm = "mydomain.com"

// Results of mg_check_digest_access_authentication, as CivetWeb's.
const (
	digestAuthorized   int32 = 1
	digestUnauthorized int32 = 0
	// digestNoFile is CivetWeb's "the passwords file cannot be opened",
	// which here also covers a refused path and a missing document root.
	digestNoFile int32 = -2
)

// mgCheckDigest implements abi.FuncMgCheckDigest: 1 if the request's
// Authorization header holds valid digest credentials for realm according
// to the passwords file, 0 if not, -2 if the file cannot be read.
func mgCheckDigest(ctx context.Context, mem engine.Memory, stack []uint64) {
	s := scopeOf(ctx, abi.FuncMgCheckDigest)
	conn := connOf(ctx, abi.FuncMgCheckDigest)
	realm := str(mem, guestmem.Region{Func: abi.FuncMgCheckDigest, Param: "realm", Ptr: u32(stack[0]), Len: u32(stack[1])})
	filename := str(mem, guestmem.Region{Func: abi.FuncMgCheckDigest, Param: "filename", Ptr: u32(stack[2]), Len: u32(stack[3])})
	stack[0] = i32(checkDigest(s, conn, realm, filename))
}

// checkDigest is mg_check_digest_access_authentication: it opens filename
// in the document root (the file is needed before the header is looked at,
// as in CivetWeb), parses the Authorization header and checks it against
// the first line of the file for its user and the realm ("" means
// DefaultRealm).
func checkDigest(s *Scope, conn Conn, realm, filename string) int32 {
	if realm == "" {
		realm = DefaultRealm
	}
	f, err := openPasswordsFile(s.Grants, filename)
	if err != nil {
		digestLog(s, "mg_check_digest_access_authentication: cannot open the passwords file", "file", filename, "error", err)
		return digestNoFile
	}
	defer f.Close()
	info := conn.Info()
	ah, ok := parseAuthHeader(info.Headers)
	if !ok || !validNonce(s.Grants.NonceKey, ah.nonce, time.Now()) {
		return digestUnauthorized
	}
	pw := passwordCheck{scope: s, ah: ah, method: info.Method, realm: realm}
	if pw.readFile(f, includeDepth) {
		return digestAuthorized
	}
	return digestUnauthorized
}

// mgSendDigestAuth implements abi.FuncMgSendDigestAuth. Like CivetWeb it
// returns 0 whether or not the response could be sent.
func mgSendDigestAuth(ctx context.Context, mem engine.Memory, stack []uint64) {
	s := scopeOf(ctx, abi.FuncMgSendDigestAuth)
	conn := connOf(ctx, abi.FuncMgSendDigestAuth)
	realm := str(mem, guestmem.Region{Func: abi.FuncMgSendDigestAuth, Param: "realm", Ptr: u32(stack[0]), Len: u32(stack[1])})
	if err := sendDigestChallenge(s, conn, realm); err != nil {
		digestLog(s, "mg_send_digest_access_authentication_request: response not sent", "error", err)
	}
	stack[0] = i32(abi.CodeOK)
}

// sendDigestChallenge sends CivetWeb's 401: its no-cache headers, an empty
// body and a "WWW-Authenticate: Digest" challenge with a fresh nonce, and
// it ends the connection afterwards, as CivetWeb does. A module without
// Grants gets nonces that no checkDigest accepts (it could not read a
// passwords file anyway).
func sendDigestChallenge(s *Scope, conn Conn, realm string) error {
	if realm == "" {
		realm = DefaultRealm
	}
	var key [32]byte
	if s.Grants != nil {
		key = s.Grants.NonceKey
	}
	challenge := `Digest qop="auth", realm="` + realm + `", nonce="` + newNonce(key, time.Now()) + `"`
	headers := append(noCacheHeaders(conn),
		Header{"Content-Length", "0"},
		Header{"WWW-Authenticate", challenge},
		Header{"Connection", "close"})
	if err := conn.StartResponse(401); err != nil {
		return err
	}
	// CivetWeb ignores a header it cannot add and sends the others.
	for _, h := range headers {
		if err := conn.AddHeader(h.Name, h.Value); err != nil {
			digestLog(s, "mg_send_digest_access_authentication_request: header left out", "header", h.Name, "error", err)
		}
	}
	return conn.SendHeaders()
}

// digestLog logs a problem the guest only sees as a return code, tagged
// with the request.
func digestLog(s *Scope, msg string, args ...any) {
	if s.Log != nil {
		s.Log.Warn(msg, append([]any{"request_id", s.RequestID}, args...)...)
	}
}
