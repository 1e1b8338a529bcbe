package runtime_test

import (
	"context"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/hostfuncs"
	"github.com/civetbox/civetbox/internal/enginetest"
	"github.com/civetbox/civetbox/runtime"
	"github.com/civetbox/civetbox/runtime/engine"
)

// TestDigest serves the compat suite's digest handler (testdata/compat/
// digest.c, passwords in testdata/compat/authroot) and logs in with nonces
// made here with the module's key: the nonce format abi/doc.go and
// hostfuncs describe, the lifetime, and the challenge over both protocols.
func TestDigest(t *testing.T) {
	wasm, err := os.ReadFile("../testdata/compat/digest.wasm")
	require.NoError(t, err, "rebuild with: go generate ./internal/compat/")
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		modes(t, func(t *testing.T, mode runtime.Mode) {
			protocols(t, func(t *testing.T, h2 bool) {
				srv, key := serveDigest(t, eng, wasm, mode, h2)

				resp, body := srv.get(t, "/digest/check")
				require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
				require.Empty(t, body)
				require.Regexp(t, `^Digest qop="auth", realm="mydomain.com", nonce="[0-9]{39}"$`, resp.Header.Get("WWW-Authenticate"))
				require.Equal(t, !h2, resp.Header.Get("Pragma") == "no-cache", "Pragma on HTTP/1 only, as CivetWeb")

				now := time.Now()
				for _, tc := range []struct {
					name   string
					issued time.Time
					status int
				}{
					{"fresh", now, http.StatusOK},
					{"almost expired", now.Add(-hostfuncs.NonceLifetime + time.Minute), http.StatusOK},
					{"expired", now.Add(-hostfuncs.NonceLifetime - time.Second), http.StatusUnauthorized},
					{"from the future", now.Add(time.Hour), http.StatusUnauthorized},
				} {
					req, err := http.NewRequest(http.MethodGet, srv.URL+"/digest/check", nil)
					require.NoError(t, err)
					req.Header.Set("Authorization", digestAuthorization("alice", "secret", nonceAt(key, tc.issued)))
					resp, err := srv.Client().Do(req)
					require.NoError(t, err)
					_ = resp.Body.Close()
					require.Equal(t, tc.status, resp.StatusCode, tc.name)
				}
			})
		})
	})
}

func serveDigest(t *testing.T, eng engine.Engine, wasm []byte, mode runtime.Mode, h2 bool) (*guestServer, [32]byte) {
	t.Helper()
	logs := &syncBuffer{}
	h, err := runtime.Load(context.Background(), eng, wasm, runtime.Config{
		Name: "digest", Mode: mode, DocumentRoot: "../testdata/compat/authroot",
		Logger: slog.New(slog.NewTextHandler(logs, nil)),
	})
	require.NoError(t, err)
	srv := httptest.NewUnstartedServer(h)
	if h2 {
		srv.EnableHTTP2 = true
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(func() {
		srv.Close()
		require.NoError(t, h.Close(context.Background()))
	})
	return &guestServer{Server: srv, handler: h, logs: logs}, runtime.DigestNonceKey(h)
}

// nonceAt makes the nonce the host would have issued at t: the time in
// Unix nanoseconds, then the first 8 bytes of its HMAC-SHA256 as 20
// decimal digits.
func nonceAt(key [32]byte, t time.Time) string {
	issued := strconv.FormatInt(t.UnixNano(), 10)
	m := hmac.New(sha256.New, key[:])
	m.Write([]byte("civetbox digest nonce:" + issued))
	return issued + fmt.Sprintf("%020d", binary.BigEndian.Uint64(m.Sum(nil)))
}

func digestAuthorization(user, password, nonce string) string {
	h := func(s string) string { sum := md5.Sum([]byte(s)); return hex.EncodeToString(sum[:]) }
	ha1 := h(user + ":mydomain.com:" + password)
	response := h(ha1 + ":" + nonce + ":00000001:abc:auth:" + h("GET:/digest/check"))
	return `Digest username="` + user + `", realm="mydomain.com", nonce="` + nonce +
		`", uri="/digest/check", qop=auth, nc=00000001, cnonce="abc", response="` + response + `"`
}
