// Package token makes and checks admin API bearer tokens. A token is 32
// random bytes, written "cbx_" + base64url; the server keeps only its
// SHA-256, so a leaked configuration file grants nothing.
package token

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
)

// Prefix starts every token, so one is recognisable in a secret scanner.
const Prefix = "cbx_"

// New returns a fresh token and its hash.
func New() (token, hash string) {
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go ≥ 1.24)
	token = Prefix + base64.RawURLEncoding.EncodeToString(b[:])
	return token, Hash(token)
}

// Hash is the hex SHA-256 of token, as configured.
func Hash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CheckHash reports whether h looks like a configured hash (64 hex digits).
func CheckHash(h string) error {
	if len(h) != 64 || strings.ToLower(h) != h {
		return fmt.Errorf("token hash %q is not 64 lower-case hex digits (make one with `civetbox token`)", h)
	}
	if _, err := hex.DecodeString(h); err != nil {
		return fmt.Errorf("token hash %q is not 64 lower-case hex digits (make one with `civetbox token`)", h)
	}
	return nil
}

// Matches reports in constant time whether token hashes to one of hashes.
// Every hash is compared, so the time does not tell which one matched.
func Matches(token string, hashes []string) bool { return HashIn(Hash(token), hashes) }

// HashIn is Matches for a token already hashed, to check one token against
// many lists without hashing it for each.
func HashIn(sum string, hashes []string) bool {
	found := 0
	for _, h := range hashes {
		found |= subtle.ConstantTimeCompare([]byte(sum), []byte(h))
	}
	return found == 1
}
