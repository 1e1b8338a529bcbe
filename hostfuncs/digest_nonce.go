package hostfuncs

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"fmt"
	"strconv"
	"time"
)

// Digest nonces. CivetWeb's nonce is a decimal number derived from the
// server's start time and a counter, valid until the server restarts. A
// module here runs as many instances (one per request in fresh mode), so
// the nonce must be verifiable without shared state: it is the issue time
// in Unix nanoseconds followed by a 20-digit MAC of it (HMAC-SHA256 with the
// module's Grants.NonceKey, first 8 bytes). Digits only, like CivetWeb's;
// longer (up to 39 digits), which clients do not interpret. It is accepted
// for NonceLifetime in every instance of the module, and no longer once the
// module is loaded again (a new key), as CivetWeb's after a restart. As in
// CivetWeb, nc is not tracked: a nonce may be reused while it is valid.

// NonceLifetime is how long a digest nonce stays valid.
const NonceLifetime = time.Hour

// nonceClockSkew tolerates a wall clock stepped back after a nonce was
// issued.
const nonceClockSkew = time.Minute

const nonceMACDigits = 20

func newNonce(key [32]byte, now time.Time) string {
	issued := strconv.FormatInt(now.UnixNano(), 10)
	return issued + nonceMAC(key, issued)
}

// nonceMAC is the decimal, zero-padded MAC of the issue time's digits.
func nonceMAC(key [32]byte, issued string) string {
	m := hmac.New(sha256.New, key[:])
	m.Write([]byte("civetbox digest nonce:" + issued))
	return fmt.Sprintf("%0*d", nonceMACDigits, binary.BigEndian.Uint64(m.Sum(nil)))
}

// validNonce reports whether nonce was made by newNonce with key, less than
// NonceLifetime before now.
func validNonce(key [32]byte, nonce *string, now time.Time) bool {
	if nonce == nil || len(*nonce) <= nonceMACDigits {
		return false
	}
	issued, mac := (*nonce)[:len(*nonce)-nonceMACDigits], (*nonce)[len(*nonce)-nonceMACDigits:]
	ns, err := strconv.ParseInt(issued, 10, 64)
	if err != nil || ns <= 0 || strconv.FormatInt(ns, 10) != issued {
		return false
	}
	if subtle.ConstantTimeCompare([]byte(mac), []byte(nonceMAC(key, issued))) != 1 {
		return false
	}
	age := now.Sub(time.Unix(0, ns))
	return age > -nonceClockSkew && age < NonceLifetime
}
