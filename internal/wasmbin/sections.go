package wasmbin

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Section ids of the wasm binary format.
const (
	secCustom   = 0
	secType     = 1
	secImport   = 2
	secFunction = 3
	secTable    = 4
	secMemory   = 5
	secGlobal   = 6
	secExport   = 7
	secStart    = 8
	secElement  = 9
	secCode     = 10
	secData     = 11
	secDataCnt  = 12
	secTag      = 13
)

// sectionRank is the order non-custom sections must appear in.
var sectionRank = map[byte]int{
	secType: 1, secImport: 2, secFunction: 3, secTable: 4, secMemory: 5, secTag: 6,
	secGlobal: 7, secExport: 8, secStart: 9, secElement: 10, secDataCnt: 11, secCode: 12, secData: 13,
}

type section struct {
	id      byte
	payload []byte
}

// splitSections checks the header and returns the module's sections.
func splitSections(wasm []byte) ([]section, error) {
	if len(wasm) < len(header) || string(wasm[:len(header)]) != string(header) {
		return nil, ErrNotWasm
	}
	var out []section
	for r := (reader{b: wasm[len(header):]}); !r.done(); {
		id, err := r.byte()
		if err != nil {
			return nil, err
		}
		payload, err := r.bytes()
		if err != nil {
			return nil, fmt.Errorf("wasmbin: section %d: %w", id, err)
		}
		out = append(out, section{id: id, payload: payload})
	}
	return out, nil
}

// customName returns a custom section's name.
func customName(payload []byte) string {
	r := reader{b: payload}
	name, err := r.bytes()
	if err != nil {
		return ""
	}
	return string(name)
}

// encodeSections builds a module from sections.
func encodeSections(sections []section) []byte {
	out := append([]byte(nil), header...)
	for _, s := range sections {
		out = append(out, s.id)
		out = binary.AppendUvarint(out, uint64(len(s.payload)))
		out = append(out, s.payload...)
	}
	return out
}

var errTruncated = errors.New("wasmbin: truncated module")

// reader decodes the binary format's primitives.
type reader struct {
	b []byte
}

func (r *reader) done() bool { return len(r.b) == 0 }

func (r *reader) byte() (byte, error) {
	if len(r.b) == 0 {
		return 0, errTruncated
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c, nil
}

// u32 reads an unsigned LEB128 of at most 5 bytes.
func (r *reader) u32() (uint32, error) {
	v, n := binary.Uvarint(r.b)
	if n <= 0 || n > 5 || v > 0xffffffff {
		return 0, errTruncated
	}
	r.b = r.b[n:]
	return uint32(v), nil
}

// count reads a vector length, which cannot exceed the bytes left since
// every entry takes at least one: a hostile count must not size an
// allocation.
func (r *reader) count() (uint32, error) {
	n, err := r.u32()
	if err == nil && uint64(n) > uint64(len(r.b)) {
		err = errTruncated
	}
	return n, err
}

// skipLEB skips a LEB128 number, signed or not: both end at the first byte
// without the continuation bit.
func (r *reader) skipLEB() error {
	_, n := binary.Uvarint(r.b)
	if n <= 0 {
		return errTruncated
	}
	r.b = r.b[n:]
	return nil
}

// bytes reads a length-prefixed byte vector.
func (r *reader) bytes() ([]byte, error) {
	n, err := r.u32()
	if err != nil || uint64(n) > uint64(len(r.b)) {
		return nil, errTruncated
	}
	b := r.b[:n]
	r.b = r.b[n:]
	return b, nil
}
