package wasmbin

import (
	"encoding/binary"
	"fmt"
	"strings"
)

// DepthGlobal is the export name of the call-depth counter Instrument adds.
const DepthGlobal = "civetbox.call_depth"

// Instrument rewrites a module so every call of a function it defines goes
// through a wrapper that
//
//   - starts with an empty loop, because engines that check for interruption
//     only at loop headers (wazero) then also check at every call, so
//     loop-free code such as an exponential recursion cannot outrun its
//     deadline;
//   - counts the call depth in a new mutable i32 global (exported as
//     DepthGlobal) and executes unreachable beyond maxDepth, which bounds
//     the engine's stack however the guest recurses.
//
// The original bodies become new functions appended after the existing
// ones, so no existing function index changes: calls, exports, tables and
// the start function all reach the wrappers without being rewritten. DWARF
// sections, whose code offsets no longer hold, are dropped.
func Instrument(wasm []byte, maxDepth uint32) ([]byte, error) {
	sections, err := splitSections(wasm)
	if err != nil {
		return nil, err
	}
	m, err := readModule(sections)
	if err != nil {
		return nil, fmt.Errorf("wasmbin: instrument: %w", err)
	}
	return encodeSections(m.instrumented(sections, maxDepth)), nil
}

// module is what instrumentation needs to know about a module.
type module struct {
	types           [][]byte // parameter types of each function type
	importedFuncs   uint32
	importedGlobals uint32
	funcTypes       []uint32 // type index of each defined function
	definedGlobals  uint32
}

func readModule(sections []section) (*module, error) {
	m := &module{}
	for _, s := range sections {
		var err error
		switch s.id {
		case secType:
			m.types, err = readTypes(s.payload)
		case secImport:
			m.importedFuncs, m.importedGlobals, err = countImports(s.payload)
		case secFunction:
			m.funcTypes, err = readU32Vec(s.payload)
		case secGlobal:
			m.definedGlobals, err = vecCount(s.payload)
		}
		if err != nil {
			return nil, fmt.Errorf("section %d: %w", s.id, err)
		}
	}
	for _, t := range m.funcTypes {
		if int(t) >= len(m.types) {
			return nil, fmt.Errorf("function type %d out of range", t)
		}
	}
	return m, nil
}

// instrumented returns the rewritten sections.
func (m *module) instrumented(sections []section, maxDepth uint32) []section {
	depth := m.importedGlobals + m.definedGlobals
	n := uint32(len(m.funcTypes))
	added := map[byte][]byte{
		secFunction: appendVec(nil, n, m.funcTypeEntries()),
		secGlobal:   appendVec(nil, 1, []byte{0x7f, 0x01, 0x41, 0x00, 0x0b}), // mut i32 = i32.const 0
		secExport:   appendVec(nil, 1, exportGlobal(DepthGlobal, depth)),
		secCode:     appendVec(nil, n, m.wrappers(depth, maxDepth)),
	}
	var out []section
	for _, s := range sections {
		if s.id == secCustom && strings.HasPrefix(customName(s.payload), ".debug") {
			continue
		}
		out = insertMissing(out, added, s.id)
		if extra, ok := added[s.id]; ok {
			if s.id == secCode {
				// Wrappers take the defined functions' places; the
				// original bodies follow as the appended functions.
				s.payload = mergeVecs(extra, s.payload)
			} else {
				s.payload = mergeVecs(s.payload, extra)
			}
			delete(added, s.id)
		}
		out = append(out, s)
	}
	return insertMissing(out, added, 0xff)
}

// insertMissing appends the added sections that must come before a section
// with id next and that the module did not have (next 0xff: all the rest).
func insertMissing(out []section, added map[byte][]byte, next byte) []section {
	rank, ok := sectionRank[next]
	if next != 0xff && !ok {
		return out // custom sections may go anywhere
	}
	for _, id := range []byte{secFunction, secGlobal, secExport, secCode} {
		payload, missing := added[id]
		if missing && (next == 0xff || sectionRank[id] < rank) {
			out = append(out, section{id: id, payload: payload})
			delete(added, id)
		}
	}
	return out
}

// funcTypeEntries lists the type indices of the moved original bodies: the
// same as their wrappers'.
func (m *module) funcTypeEntries() []byte {
	var b []byte
	for _, t := range m.funcTypes {
		b = binary.AppendUvarint(b, uint64(t))
	}
	return b
}

// wrappers encodes the body of each wrapper: entry loop, depth check, call
// of the original body with the same arguments, depth decrement.
func (m *module) wrappers(depth, maxDepth uint32) []byte {
	var out []byte
	for i, t := range m.funcTypes {
		original := m.importedFuncs + uint32(len(m.funcTypes)) + uint32(i)
		body := []byte{0x00}                   // no locals
		body = append(body, 0x03, 0x40, 0x0b) // loop end
		body = appendDepthChange(body, depth, 0x6a)
		body = append(body, 0x23) // global.get depth
		body = binary.AppendUvarint(body, uint64(depth))
		body = append(body, 0x41) // i32.const maxDepth
		body = appendSLEB(body, int64(maxDepth))
		body = append(body, 0x4b, 0x04, 0x40, 0x00, 0x0b) // i32.gt_u if unreachable end
		for p := range len(m.types[t]) {
			body = append(body, 0x20) // local.get p
			body = binary.AppendUvarint(body, uint64(p))
		}
		body = append(body, 0x10) // call original
		body = binary.AppendUvarint(body, uint64(original))
		body = appendDepthChange(body, depth, 0x6b)
		body = append(body, 0x0b) // end
		out = binary.AppendUvarint(out, uint64(len(body)))
		out = append(out, body...)
	}
	return out
}

// appendDepthChange adds or subtracts 1 (op i32.add or i32.sub) to the
// depth global.
func appendDepthChange(b []byte, depth uint32, op byte) []byte {
	b = append(b, 0x23) // global.get
	b = binary.AppendUvarint(b, uint64(depth))
	b = append(b, 0x41, 0x01, op, 0x24) // i32.const 1, op, global.set
	return binary.AppendUvarint(b, uint64(depth))
}

func exportGlobal(name string, index uint32) []byte {
	b := binary.AppendUvarint(nil, uint64(len(name)))
	b = append(append(b, name...), 0x03) // export kind: global
	return binary.AppendUvarint(b, uint64(index))
}

// appendVec encodes a vector of n already-encoded entries.
func appendVec(b []byte, n uint32, entries []byte) []byte {
	return append(binary.AppendUvarint(b, uint64(n)), entries...)
}

// mergeVecs joins two encoded vectors: first's entries, then second's.
func mergeVecs(first, second []byte) []byte {
	a, b := reader{b: first}, reader{b: second}
	n, _ := a.u32()
	k, _ := b.u32()
	return appendVec(nil, n+k, append(append([]byte(nil), a.b...), b.b...))
}

// appendSLEB encodes a signed LEB128.
func appendSLEB(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}
