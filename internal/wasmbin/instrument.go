package wasmbin

import (
	"encoding/binary"
	"fmt"
)

// Names Instrument adds to a module.
const (
	// DepthGlobal is the export name of the call-depth counter.
	DepthGlobal = "civetbox.call_depth"
	// YieldModule and YieldFunc name the import the instrumented code calls
	// every Budget loop iterations and calls: () -> i32, returning the next
	// budget. The host checks the guest's deadline there.
	YieldModule = "civetbox_internal"
	YieldFunc   = "yield"
)

// Budget is how many loop iterations and calls a guest makes between two
// yields: small enough that a yield comes every few tens of microseconds,
// large enough that its cost disappears.
const Budget = 20000

// Instrument rewrites a module so that an engine which cannot interrupt
// guest code by itself (wazero) can stop it and stay responsive:
//
//   - every loop header and every function entry decrements a budget
//     counter, and when it runs out calls the host's yield import, which
//     stops the guest if its deadline has passed and otherwise gives Go's
//     scheduler a chance to run (compiled guest code cannot be preempted,
//     so a long computation would otherwise stall the whole process's
//     garbage collector);
//   - every call of a function the module defines goes through a wrapper
//     that counts the call depth in a new global and executes unreachable
//     beyond maxDepth, which bounds the engine's stack.
//
// The yield import shifts the defined functions by one index; calls,
// references, exports, elements and the start function are renumbered. The
// original bodies follow the wrappers, which take the defined functions'
// places. DWARF and name sections, whose offsets and indices no longer
// hold, are dropped.
func Instrument(wasm []byte, maxDepth uint32) ([]byte, error) {
	out, err := InstrumentModule(wasm, maxDepth)
	if err != nil {
		return nil, err
	}
	return out.Wasm, nil
}

// Instrumented is a rewritten module (by InstrumentModule or
// ExportGlobals) and what an engine needs to reset its instances.
type Instrumented struct {
	Wasm  []byte
	Reset ResetPlan
}

// InstrumentModule is Instrument that also exports every mutable global
// (see ResetPlan) and reports whether instances can be reset.
func InstrumentModule(wasm []byte, maxDepth uint32) (*Instrumented, error) {
	sections, err := splitSections(wasm)
	if err != nil {
		return nil, err
	}
	m, err := readModule(sections)
	if err != nil {
		return nil, fmt.Errorf("wasmbin: instrument: %w", err)
	}
	out, code, err := m.instrument(sections, maxDepth)
	if err != nil {
		return nil, fmt.Errorf("wasmbin: instrument: %w", err)
	}
	a := m.additions()
	return &Instrumented{Wasm: encodeSections(out), Reset: m.resetPlan(code, &a)}, nil
}

// module is what instrumentation needs to know about a module.
type module struct {
	types             [][]byte // parameter types of each function type
	importedFuncs     uint32
	importedFuncTypes []uint32 // type index of each imported function
	importedGlobals   uint32
	funcTypes         []uint32 // type index of each defined function
	definedGlobals    uint32
	mutableGlobals    []uint32 // indices of the defined globals that are mutable
	// Why the module's instances hold state outside their memory and
	// globals; "" if they do not. See ResetPlan.
	importedState string // kind of the first import that is not a function
	hasStart      bool
	globalState   string // a mutable global ResetPlan cannot restore
}

func readModule(sections []section) (*module, error) {
	m := &module{}
	var globals []byte
	for _, s := range sections {
		var err error
		switch s.id {
		case secType:
			m.types, err = readTypes(s.payload)
		case secImport:
			m.importedFuncTypes, m.importedGlobals, m.importedState, err = countImports(s.payload)
			m.importedFuncs = uint32(len(m.importedFuncTypes))
		case secFunction:
			m.funcTypes, err = readU32Vec(s.payload)
		case secGlobal:
			m.definedGlobals, err = vecCount(s.payload)
			globals = s.payload
		case secStart:
			m.hasStart = true
		case secExport:
			err = checkReservedExports(s.payload)
		}
		if err != nil {
			return nil, fmt.Errorf("section %d: %w", s.id, err)
		}
	}
	for _, t := range append(m.importedFuncTypes, m.funcTypes...) {
		if err := checkIndex("function type", t, uint32(len(m.types))); err != nil {
			return nil, err
		}
	}
	if err := m.readMutableGlobals(globals); err != nil {
		return nil, fmt.Errorf("section %d: %w", secGlobal, err)
	}
	return m, nil
}

// Indices of what instrumentation adds.
type additions struct {
	yieldType, yield uint32 // the yield import's type and function index
	budget, depth    uint32 // the two globals
}

func (m *module) additions() additions {
	g := m.importedGlobals + m.definedGlobals
	return additions{yieldType: uint32(len(m.types)), yield: m.importedFuncs, budget: g, depth: g + 1}
}

// instrument returns the rewritten sections and the rewriter that walked
// them.
func (m *module) instrument(sections []section, maxDepth uint32) ([]section, *exprRewriter, error) {
	a := m.additions()
	code := &exprRewriter{funcIndex: m.funcIndex, space: m.indexSpace(), loopCheck: budgetCheck(a)}
	added := m.addedSections(a, maxDepth)
	var out []section
	for _, s := range sections {
		if s.id == secCustom && dropCustom(customName(s.payload)) {
			continue
		}
		out = insertMissing(out, added, s.id)
		payload, err := m.rewriteSection(s, code)
		if err != nil {
			return nil, nil, fmt.Errorf("section %d: %w", s.id, err)
		}
		if extra, ok := added[s.id]; ok {
			payload = joinSection(s.id, payload, extra)
			delete(added, s.id)
		}
		out = append(out, section{id: s.id, payload: payload})
	}
	return insertMissing(out, added, 0xff), code, nil
}

func dropCustom(name string) bool {
	return name == "name" || (len(name) >= 6 && name[:6] == ".debug")
}

// addedSections holds, per section id, the vector entries instrumentation
// adds to it.
func (m *module) addedSections(a additions, maxDepth uint32) map[byte][]byte {
	n := uint32(len(m.funcTypes))
	yieldImport := appendName(appendName(nil, YieldModule), YieldFunc)
	yieldImport = appendU32(append(yieldImport, 0x00), a.yieldType)
	globals := []byte{0x7f, 0x01, 0x41}
	globals = appendSLEB(globals, Budget)
	globals = append(globals, 0x0b, 0x7f, 0x01, 0x41, 0x00, 0x0b) // budget, then depth = 0
	exports, exported := m.globalExports(&a)
	return map[byte][]byte{
		secType:     appendVec(nil, 1, []byte{0x60, 0x00, 0x01, 0x7f}), // () -> i32
		secImport:   appendVec(nil, 1, yieldImport),
		secFunction: appendVec(nil, n, m.funcTypeEntries()),
		secGlobal:   appendVec(nil, 2, globals),
		secExport:   appendVec(nil, exported, exports),
		secCode:     appendVec(nil, n, m.wrappers(a, maxDepth)),
	}
}

// joinSection adds instrumentation's entries to a section: after the
// existing ones, except in the code section, where the wrappers take the
// defined functions' places and the original bodies follow.
func joinSection(id byte, payload, extra []byte) []byte {
	if id == secCode {
		return mergeVecs(extra, payload)
	}
	return mergeVecs(payload, extra)
}

// insertMissing appends the added sections that must come before a section
// with id next and that the module did not have (next 0xff: all the rest).
func insertMissing(out []section, added map[byte][]byte, next byte) []section {
	rank, ok := sectionRank[next]
	if next != 0xff && !ok {
		return out // custom sections may go anywhere
	}
	for _, id := range []byte{secType, secImport, secFunction, secGlobal, secExport, secCode} {
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
		b = appendU32(b, t)
	}
	return b
}

// wrappers encodes the body of each wrapper: budget check, depth increment
// and check, call of the original body with the same arguments, depth
// decrement.
func (m *module) wrappers(a additions, maxDepth uint32) []byte {
	var out []byte
	for i, t := range m.funcTypes {
		original := m.importedFuncs + 1 + uint32(len(m.funcTypes)) + uint32(i)
		body := append([]byte{0x00}, budgetCheck(a)...) // no locals
		body = appendGlobalAdd(body, a.depth, 0x6a)
		body = appendU32(append(body, 0x23), a.depth)                 // global.get depth
		body = appendSLEB(append(body, 0x41), int64(int32(maxDepth))) // i32.const is signed; gt_u reads it back unsigned
		body = append(body, 0x4b, 0x04, 0x40, 0x00, 0x0b)             // i32.gt_u if unreachable end
		for p := range len(m.types[t]) {
			body = appendU32(append(body, 0x20), uint32(p)) // local.get p
		}
		body = appendU32(append(body, 0x10), original) // call
		body = appendGlobalAdd(body, a.depth, 0x6b)
		body = append(body, 0x0b) // end
		out = appendU32(out, uint32(len(body)))
		out = append(out, body...)
	}
	return out
}

// budgetCheck decrements the budget and yields to the host when it ran out:
//
//	global.get budget; i32.eqz; if; call yield; global.set budget; end
//	global.get budget; i32.const 1; i32.sub; global.set budget
func budgetCheck(a additions) []byte {
	b := appendU32([]byte{0x23}, a.budget)
	b = append(b, 0x45, 0x04, 0x40, 0x10)
	b = appendU32(b, a.yield)
	b = appendU32(append(b, 0x24), a.budget)
	b = append(b, 0x0b)
	return appendGlobalAdd(b, a.budget, 0x6b)
}

// appendGlobalAdd adds or subtracts 1 (op i32.add or i32.sub) to a global.
func appendGlobalAdd(b []byte, global uint32, op byte) []byte {
	b = appendU32(append(b, 0x23), global)
	b = append(b, 0x41, 0x01, op, 0x24) // i32.const 1, op, global.set
	return appendU32(b, global)
}

func appendName(b []byte, name string) []byte {
	return append(appendU32(b, uint32(len(name))), name...)
}

func appendU32(b []byte, v uint32) []byte { return binary.AppendUvarint(b, uint64(v)) }

// appendVec encodes a vector of n already-encoded entries.
func appendVec(b []byte, n uint32, entries []byte) []byte {
	return append(appendU32(b, n), entries...)
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
