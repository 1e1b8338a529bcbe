package token_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/deploy/token"
)

func TestNew_hashesAndMatches(t *testing.T) {
	tok, hash := token.New()
	other, otherHash := token.New()
	require.True(t, strings.HasPrefix(tok, token.Prefix))
	require.NotEqual(t, tok, other)
	require.NoError(t, token.CheckHash(hash))
	require.Equal(t, hash, token.Hash(tok))
	require.True(t, token.Matches(tok, []string{otherHash, hash}))
	require.False(t, token.Matches(tok, []string{otherHash}))
	require.False(t, token.Matches(tok, nil))
	require.False(t, token.Matches(hash, []string{hash}), "the hash itself is not a token")
}

func TestCheckHash_refusesWhatIsNotAHash(t *testing.T) {
	for _, h := range []string{"", "abc", strings.Repeat("g", 64), strings.Repeat("A", 64), strings.Repeat("a", 65)} {
		require.Error(t, token.CheckHash(h), h)
	}
}
