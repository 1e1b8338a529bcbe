package admission_test

import (
	"encoding/binary"
	"slices"
)

// spec is a small civetbox guest, encoded by build: the ABI version
// section, civetbox_abi_init () -> i32 and civetbox_abi_dispatch
// (i32, i32) -> i32, and a 2-page memory exported as "memory". Each hostile
// case changes one thing, so it is rejected for that thing only.
type spec struct {
	abi     []byte   // civetbox_abi payload; nil: no section
	types   [][]byte // encoded function types
	imports [][]byte // encoded import entries
	bodies  [][]byte // bodies (locals and code) of the defined functions, each of type 0 or 1 by funcs
	funcs   []uint32 // type index of each body
	tables  [][]byte // encoded table entries
	mems    [][]byte // encoded limits
	exports [][]byte // encoded export entries
	data    [][]byte // encoded data segments
}

// Function types of the default guest.
const (
	typeInit     = 0 // () -> i32
	typeDispatch = 1 // (i32, i32) -> i32
)

func guest(changes ...func(*spec)) []byte {
	s := &spec{
		abi:   []byte{1, 0, 0, 0},
		types: [][]byte{{0x60, 0x00, 0x01, 0x7f}, {0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f}},
		funcs: []uint32{typeInit, typeDispatch},
		bodies: [][]byte{
			{0x00, 0x41, 0x00, 0x0b}, // no locals; i32.const 0; end
			{0x00, 0x20, 0x00, 0x0b}, // no locals; local.get 0; end
		},
		mems:    [][]byte{limits(2)},
		exports: [][]byte{export("memory", 0x02, 0)},
	}
	for _, change := range changes {
		change(s)
	}
	return s.build()
}

// entry points are exported after the changes, since imports shift the
// defined functions' indices.
func (s *spec) build() []byte {
	imported := uint32(0)
	for _, imp := range s.imports {
		if importKind(imp) == 0x00 {
			imported++
		}
	}
	exports := append(slices.Clone(s.exports),
		export("civetbox_abi_init", 0x00, imported), export("civetbox_abi_dispatch", 0x00, imported+1))
	out := []byte{0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00}
	out = appendSection(out, 1, vec(s.types))
	out = appendSection(out, 2, vec(s.imports))
	out = appendSection(out, 3, vec(u32s(s.funcs)))
	out = appendSection(out, 4, vec(s.tables))
	out = appendSection(out, 5, vec(s.mems))
	out = appendSection(out, 7, vec(exports))
	out = appendSection(out, 10, vec(sized(s.bodies)))
	out = appendSection(out, 11, vec(s.data))
	if s.abi != nil {
		out = appendSection(out, 0, append(name("civetbox_abi"), s.abi...))
	}
	return out
}

// importKind reads the kind byte after an import entry's two names.
func importKind(entry []byte) byte {
	for range 2 {
		n, k := binary.Uvarint(entry)
		entry = entry[k+int(n):]
	}
	return entry[0]
}

func appendSection(out []byte, id byte, payload []byte) []byte {
	if payload == nil {
		return out
	}
	out = append(out, id)
	out = binary.AppendUvarint(out, uint64(len(payload)))
	return append(out, payload...)
}

// vec encodes entries as a vector; no entries, no section.
func vec(entries [][]byte) []byte {
	if len(entries) == 0 {
		return nil
	}
	out := binary.AppendUvarint(nil, uint64(len(entries)))
	for _, e := range entries {
		out = append(out, e...)
	}
	return out
}

func u32s(vs []uint32) [][]byte {
	out := make([][]byte, len(vs))
	for i, v := range vs {
		out[i] = binary.AppendUvarint(nil, uint64(v))
	}
	return out
}

// sized prefixes each body with its size.
func sized(bodies [][]byte) [][]byte {
	out := make([][]byte, len(bodies))
	for i, b := range bodies {
		out[i] = append(binary.AppendUvarint(nil, uint64(len(b))), b...)
	}
	return out
}

func name(s string) []byte { return append(binary.AppendUvarint(nil, uint64(len(s))), s...) }

func export(n string, kind byte, index uint32) []byte {
	return binary.AppendUvarint(append(name(n), kind), uint64(index))
}

// funcImport imports module.field with a new function type.
func funcImport(s *spec, module, field string, funcType []byte) {
	s.types = append(s.types, funcType)
	entry := append(append(name(module), name(field)...), 0x00)
	s.imports = append(s.imports, binary.AppendUvarint(entry, uint64(len(s.types)-1)))
}

// limits encodes a memory's or table's limits: min, and max if given.
func limits(minimum uint32, maximum ...uint32) []byte {
	if len(maximum) == 0 {
		return binary.AppendUvarint([]byte{0x00}, uint64(minimum))
	}
	out := binary.AppendUvarint([]byte{0x01}, uint64(minimum))
	return binary.AppendUvarint(out, uint64(maximum[0]))
}

// addFunc defines one more () -> i32 function with body.
func addFunc(s *spec, body []byte) {
	s.funcs = append(s.funcs, typeInit)
	s.bodies = append(s.bodies, body)
}

// nested is a body of depth nested blocks returning 0.
func nested(depth int) []byte {
	body := []byte{0x00}
	for range depth {
		body = append(body, 0x02, 0x40) // block (no result)
	}
	for range depth {
		body = append(body, 0x0b)
	}
	return append(body, 0x41, 0x00, 0x0b)
}

// withLocals is a body declaring one i32 local entry per count.
func withLocals(counts ...uint32) []byte {
	body := binary.AppendUvarint(nil, uint64(len(counts)))
	for _, c := range counts {
		body = append(binary.AppendUvarint(body, uint64(c)), 0x7f)
	}
	return append(body, 0x41, 0x00, 0x0b)
}

// passiveData is a passive data segment of n zero bytes.
func passiveData(n int) []byte {
	return append(binary.AppendUvarint([]byte{0x01}, uint64(n)), make([]byte, n)...)
}
