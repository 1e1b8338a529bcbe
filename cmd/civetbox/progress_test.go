package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestProgress_terminal: on a terminal the line is rewritten and ended
// once, whether or not the upload got to 100%.
func TestProgress_terminal(t *testing.T) {
	var out bytes.Buffer
	p := &progress{w: &out, name: "a.wasm", tty: true, next: 1}
	for _, sent := range []int64{1, 2 << 20, 2<<20 + 1, 4 << 20} {
		p.report(sent, 4<<20)
	}
	p.end()
	p.end()
	require.Equal(t, "\ruploading a.wasm:  50% of 4.0 MiB\ruploading a.wasm: 100% of 4.0 MiB\n", out.String())
	require.Nil(t, newProgress(&out, "small.wasm", progressMin-1))
	require.Nil(t, (*progress)(nil).callback())
}
