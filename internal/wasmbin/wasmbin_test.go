package wasmbin_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/abi"
	"github.com/civetbox/civetbox/internal/wasmbin"
)

var header = []byte{0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00}

// uleb encodes v as unsigned LEB128.
func uleb(v uint64) []byte {
	var out []byte
	for {
		b := byte(v & 0x7f)
		v >>= 7
		if v == 0 {
			return append(out, b)
		}
		out = append(out, b|0x80)
	}
}

// section encodes a section: id, LEB128 payload size, payload.
func section(id byte, payload []byte) []byte {
	return append(append([]byte{id}, uleb(uint64(len(payload)))...), payload...)
}

// custom encodes a custom section (id 0) with a LEB128-prefixed name.
func custom(name string, payload []byte) []byte {
	return section(0, append(append(uleb(uint64(len(name))), name...), payload...))
}

// module concatenates the header and sections.
func module(sections ...[]byte) []byte {
	out := append([]byte(nil), header...)
	for _, s := range sections {
		out = append(out, s...)
	}
	return out
}

func cat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// A type section with one () -> () function type, a function section, and
// so on: real-looking sections the reader must skip.
var (
	typeSection   = section(1, []byte{0x01, 0x60, 0x00, 0x00})
	funcSection   = section(3, []byte{0x01, 0x00})
	exportSection = section(7, cat([]byte{0x01}, uleb(1), []byte("f"), []byte{0x00, 0x00}))
	codeSection   = section(10, []byte{0x01, 0x02, 0x00, 0x0b})
	version1      = []byte{0x01, 0x00, 0x00, 0x00}
)

func TestCustomSection(t *testing.T) {
	big := make([]byte, 300) // needs a two-byte LEB128 size
	for i := range big {
		big[i] = byte(i)
	}
	cases := []struct {
		name    string
		wasm    []byte
		want    []byte
		found   bool
		wantErr string // substring; "" means no error
	}{
		{"header only", module(), nil, false, ""},
		{"only other sections", module(typeSection, funcSection, exportSection, codeSection), nil, false, ""},
		{"the section", module(custom(abi.VersionSection, version1)), version1, true, ""},
		{"after other sections", module(typeSection, funcSection, custom(abi.VersionSection, version1)), version1, true, ""},
		{"before other sections", module(custom(abi.VersionSection, version1), typeSection, codeSection), version1, true, ""},
		{"between other sections", module(typeSection, custom(abi.VersionSection, version1), funcSection, codeSection), version1, true, ""},
		{"empty payload", module(custom(abi.VersionSection, nil)), []byte{}, true, ""},
		{"large payload", module(typeSection, custom(abi.VersionSection, big), codeSection), big, true, ""},
		{"other custom sections first", module(custom("name", []byte{1, 2}), custom("producers", []byte{3}),
			custom(abi.VersionSection, version1)), version1, true, ""},
		{"first match wins", module(custom(abi.VersionSection, []byte{7, 0, 0, 0}),
			custom(abi.VersionSection, version1)), []byte{7, 0, 0, 0}, true, ""},
		{"name is compared exactly", module(custom("civetbox_ABI", version1), custom("civetbox_abi2", version1),
			custom("civetbox_ab", version1)), nil, false, ""},
		{"name prefix of the payload does not count", module(custom("civetbox", []byte("_abi\x01\x00\x00\x00"))),
			nil, false, ""},
		{"non-custom section with the name's bytes", module(section(1, cat(uleb(12), []byte(abi.VersionSection), version1))),
			nil, false, ""},
		{"empty section name", module(custom("", []byte{1}), custom(abi.VersionSection, version1)), version1, true, ""},
		{"non-minimal LEB128 size", module(cat([]byte{0, 0x85, 0x80, 0x80, 0x80, 0x00}, uleb(0), []byte{1, 2, 3, 4})),
			nil, false, ""},
		{"non-minimal LEB128 name length", module(section(0, cat([]byte{0x8c, 0x80, 0x00}, []byte(abi.VersionSection), version1))),
			version1, true, ""},
		{"empty other section", module(section(11, nil), custom(abi.VersionSection, version1)), version1, true, ""},

		// Not wasm.
		{"empty input", nil, nil, false, "not a WebAssembly module"},
		{"short input", []byte{0x00, 'a', 's'}, nil, false, "not a WebAssembly module"},
		{"magic only", []byte{0x00, 'a', 's', 'm'}, nil, false, "not a WebAssembly module"},
		{"wrong magic", cat([]byte{0x00, 'A', 's', 'm', 1, 0, 0, 0}, custom(abi.VersionSection, version1)), nil, false, "not a WebAssembly module"},
		{"ELF", []byte("\x7fELF\x02\x01\x01\x00"), nil, false, "not a WebAssembly module"},
		{"wrong version", cat([]byte{0x00, 'a', 's', 'm', 2, 0, 0, 0}, custom(abi.VersionSection, version1)), nil, false, "not a WebAssembly module"},
		{"component model layer", []byte{0x00, 'a', 's', 'm', 0x0d, 0x00, 0x01, 0x00}, nil, false, "not a WebAssembly module"},

		// Truncated sections.
		{"id without size", module([]byte{1}), nil, false, "truncated section (id 1) at offset 8"},
		{"unterminated size", module([]byte{0, 0x80}), nil, false, "truncated section (id 0) at offset 8"},
		{"size past the end", module([]byte{1, 5, 0, 0}), nil, false, "truncated section (id 1) at offset 8"},
		{"size one past the end", module([]byte{1, 3, 0, 0}), nil, false, "truncated section (id 1) at offset 8"},
		{"size one past the end after the match", module(custom(abi.VersionSection, version1), []byte{1, 3, 0, 0}),
			version1, true, ""},
		{"size exactly the rest", module([]byte{1, 2, 0, 0}), nil, false, ""},
		{"size past the end after a good section", module(typeSection, []byte{10, 0x7f}), nil, false,
			"truncated section (id 10) at offset 14"},
		{"custom size past the end", module(custom(abi.VersionSection, version1)[:10]), nil, false, "truncated section (id 0)"},
		{"size overflows uint64", module(cat([]byte{0}, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f})),
			nil, false, "truncated section"},
		{"huge size", module(cat([]byte{0}, uleb(1<<40))), nil, false, "truncated section"},
		{"truncated after the match is not read", module(custom(abi.VersionSection, version1), []byte{1, 9}),
			version1, true, ""},

		// Malformed custom section names.
		{"empty custom section", module(section(0, nil)), nil, false, "malformed custom section name"},
		{"name length past the section", module(section(0, cat(uleb(20), []byte("short")))), nil, false,
			"malformed custom section name"},
		{"name length one past the section", module(section(0, cat(uleb(5), []byte("abcd")))), nil, false,
			"malformed custom section name"},
		{"unterminated name length", module(section(0, []byte{0x80, 0x80})), nil, false, "malformed custom section name"},
		{"malformed name before the match", module(section(0, cat(uleb(9), []byte("x"))), custom(abi.VersionSection, version1)),
			nil, false, "malformed custom section name"},
		{"name length exactly the section", module(section(0, cat(uleb(12), []byte(abi.VersionSection))), typeSection),
			[]byte{}, true, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			payload, found, err := wasmbin.CustomSection(c.wasm, abi.VersionSection)
			if c.wantErr != "" {
				require.Error(t, err)
				require.Contains(t, err.Error(), c.wantErr)
				require.False(t, found)
				require.Nil(t, payload)
				return
			}
			require.NoError(t, err)
			require.Equal(t, c.found, found)
			if c.want == nil {
				require.Nil(t, payload)
			} else {
				require.Equal(t, c.want, payload)
			}
		})
	}
}

func TestCustomSectionNotWasmIsErrNotWasm(t *testing.T) {
	for _, in := range [][]byte{nil, {}, []byte("\x00asm"), []byte("\x00asm\x02\x00\x00\x00"), []byte("hello world!")} {
		_, _, err := wasmbin.CustomSection(in, abi.VersionSection)
		require.ErrorIs(t, err, wasmbin.ErrNotWasm, "%q", in)
	}
}

// TestCustomSectionPayloadIsInput checks that the payload is a sub-slice of
// the input (no copy) bounded by the section, so reading it cannot run into
// the next section.
func TestCustomSectionPayloadIsInput(t *testing.T) {
	wasm := module(custom(abi.VersionSection, version1), typeSection)
	payload, found, err := wasmbin.CustomSection(wasm, abi.VersionSection)
	require.NoError(t, err)
	require.True(t, found)
	require.Len(t, payload, 4)
	require.Same(t, &wasm[len(header)+3+len(abi.VersionSection)], &payload[0])
}

func TestULEBHelper(t *testing.T) {
	require.Equal(t, []byte{0x00}, uleb(0))
	require.Equal(t, []byte{0x7f}, uleb(127))
	require.Equal(t, []byte{0x80, 0x01}, uleb(128))
	require.Equal(t, []byte{0xac, 0x02}, uleb(300))
	require.Equal(t, []byte{0xe5, 0x8e, 0x26}, uleb(624485))
}

// FuzzCustomSection checks that CustomSection never panics, returns no
// payload with an error or when nothing is found, and that a found payload
// is part of the input and fits in it after the header and the section's
// framing (id, size, name length, name).
func FuzzCustomSection(f *testing.F) {
	f.Add(module(custom(abi.VersionSection, version1)), abi.VersionSection)
	f.Add(module(typeSection, custom("name", []byte{1}), custom(abi.VersionSection, version1), codeSection), "name")
	f.Add(module([]byte{0, 0x80}), "")
	f.Add(module(section(0, cat(uleb(20), []byte("short")))), "short")
	f.Add([]byte("\x00asm\x01\x00\x00\x00\x00\xff\xff\xff\xff\x0f"), abi.VersionSection)
	f.Fuzz(func(t *testing.T, wasm []byte, name string) {
		payload, found, err := wasmbin.CustomSection(wasm, name)
		switch {
		case err != nil:
			if found || payload != nil {
				t.Fatalf("error %v with found=%v payload=%x", err, found, payload)
			}
		case found:
			if len(payload) > len(wasm)-len(header)-3-len(name) {
				t.Fatalf("payload of %d bytes cannot fit in %d bytes of input", len(payload), len(wasm))
			}
			if !bytes.Contains(wasm, payload) {
				t.Fatalf("payload %x is not part of the input", payload)
			}
		default:
			if payload != nil {
				t.Fatalf("not found but payload %x", payload)
			}
		}
	})
}
