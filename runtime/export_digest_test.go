package runtime

// DigestNonceKey is the key h's digest nonces are made with, for tests
// that make nonces of any age.
func DigestNonceKey(h *Handler) [32]byte { return h.grants.NonceKey }
