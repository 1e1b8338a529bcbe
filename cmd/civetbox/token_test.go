package main

import (
	"encoding/json"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/deploy/token"
)

func TestToken(t *testing.T) {
	code, stdout, _ := runCmd(t, "token")
	require.Equal(t, exitOK, code)
	m := regexp.MustCompile(`^token:  (cbx_\S+)\nsha256: ([0-9a-f]{64})\n\n`).FindStringSubmatch(stdout)
	require.NotNil(t, m, stdout)
	require.Equal(t, token.Hash(m[1]), m[2])
	require.Contains(t, stdout, "client:  export CIVETBOX_TOKEN="+m[1]+"\n")
	require.Contains(t, stdout, `server:  token_sha256 = ["`+m[2]+`"] under [admin] (operator) or under a [[tenant]]`)

	code, stdout, _ = runCmd(t, "token", "--json")
	require.Equal(t, exitOK, code)
	var tok struct{ Token, SHA256 string }
	require.NoError(t, json.Unmarshal([]byte(stdout), &tok))
	require.Equal(t, token.Hash(tok.Token), tok.SHA256)
	require.NotEqual(t, m[1], tok.Token, "every call makes a new token")

	code, _, stderr := runCmd(t, "token", "extra")
	require.Equal(t, exitUsage, code)
	require.Contains(t, stderr, `civetbox token: unexpected argument "extra"`)
}
