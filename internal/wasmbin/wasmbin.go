// Package wasmbin reads and rewrites wasm binaries before civetbox hands
// them to an engine: it checks that a file is a wasm module at all, reads
// custom sections (the ABI version lives in one), and instruments modules
// for an engine that cannot interrupt guest code by itself.
package wasmbin

// The Instrument tests' fixtures are WAT; wat2wasm (wabt) rebuilds them.
//go:generate sh testdata/instrument/build.sh

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// ErrNotWasm is a file that does not start with the wasm magic and version 1.
var ErrNotWasm = errors.New("not a WebAssembly module (it does not start with \\0asm version 1)")

var header = []byte{0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00}

const customSectionID = 0

// CustomSection returns the payload of the first custom section called name.
func CustomSection(wasm []byte, name string) (payload []byte, found bool, err error) {
	if !bytes.HasPrefix(wasm, header) {
		return nil, false, ErrNotWasm
	}
	for rest := wasm[len(header):]; len(rest) > 0; {
		id := rest[0]
		size, n := binary.Uvarint(rest[1:])
		if n <= 0 || size > uint64(len(rest)-1-n) {
			return nil, false, fmt.Errorf("wasmbin: truncated section (id %d) at offset %d", id, len(wasm)-len(rest))
		}
		body := rest[1+n : 1+n+int(size)]
		rest = rest[1+n+int(size):]
		if id != customSectionID {
			continue
		}
		nameLen, m := binary.Uvarint(body)
		if m <= 0 || nameLen > uint64(len(body)-m) {
			return nil, false, errors.New("wasmbin: malformed custom section name")
		}
		if string(body[m:m+int(nameLen)]) == name {
			return body[m+int(nameLen):], true, nil
		}
	}
	return nil, false, nil
}
