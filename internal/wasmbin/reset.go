package wasmbin

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ReservedPrefix begins every export name the rewriters add; a module may
// not export such a name itself.
const ReservedPrefix = "civetbox."

// ErrReservedExport is a module exporting a name that begins with
// ReservedPrefix: it would collide with what the rewriters add.
var ErrReservedExport = errors.New("export names beginning with \"" + ReservedPrefix + "\" are reserved for the host")

// checkReservedExports refuses a module that exports a name in
// ReservedPrefix.
func checkReservedExports(payload []byte) error {
	r := &reader{b: payload}
	return eachEntryOf(r, func(r *reader) error {
		name, err := r.bytes()
		if err != nil {
			return err
		}
		if strings.HasPrefix(string(name), ReservedPrefix) {
			return fmt.Errorf("the module exports %q: %w", name, ErrReservedExport)
		}
		if _, err := r.byte(); err != nil {
			return err
		}
		_, err = r.u32()
		return err
	})
}

// BudgetGlobal is the export name of instrumentation's budget counter.
const BudgetGlobal = "civetbox.budget"

// GlobalExport is the name under which a rewritten module exports its
// mutable global idx (an index in the original module).
func GlobalExport(idx uint32) string { return "civetbox.global." + strconv.FormatUint(uint64(idx), 10) }

// ResetPlan tells an engine how to return an instance of a rewritten
// module (InstrumentModule, ExportGlobals) to the state instantiation left it in, so that one instance can
// serve as a fresh one again: an instance's state is its linear memory, its
// globals and its tables (and whether its segments were dropped). Memory
// is the engine's to restore; every mutable global is exported, under the
// names in Globals; and tables and segments stay as instantiation made
// them unless the module contains an instruction that changes them, which
// Blocker then names.
type ResetPlan struct {
	// Globals are the export names of every mutable global, the
	// instrumentation's own included.
	Globals []string
	// Blocker says why instances cannot be reset this way, in words for a
	// log line ("the module uses table.grow"); "" when they can.
	Blocker string
}

// ExportGlobals prepares a module for an engine that does not need it
// instrumented (wasmtime interrupts guests itself): it only exports every
// mutable global, and walks the code to say whether instances can be reset.
func ExportGlobals(wasm []byte) (*Instrumented, error) {
	sections, err := splitSections(wasm)
	if err != nil {
		return nil, err
	}
	m, err := readModule(sections)
	if err != nil {
		return nil, fmt.Errorf("wasmbin: export globals: %w", err)
	}
	walker := &exprRewriter{funcIndex: m.sameFuncIndex, space: m.indexSpace()}
	for _, s := range sections {
		if s.id == secCode {
			if err := walkBodies(s.payload, walker); err != nil {
				return nil, fmt.Errorf("wasmbin: export globals: section %d: %w", s.id, err)
			}
		}
	}
	plan := m.resetPlan(walker, nil)
	if len(m.mutableGlobals) == 0 {
		return &Instrumented{Wasm: wasm, Reset: plan}, nil // nothing to export
	}
	return &Instrumented{Wasm: encodeSections(m.withGlobalExports(sections)), Reset: plan}, nil
}

// withGlobalExports adds the exports of every mutable global to the export
// section, or adds one where the binary format puts it: custom sections
// after the last known one (the name section) stay last.
func (m *module) withGlobalExports(sections []section) []section {
	exports, n := m.globalExports(nil)
	out := make([]section, 0, len(sections)+1)
	for i, s := range sections {
		if s.id == secExport {
			s.payload = joinSection(s.id, s.payload, appendVec(nil, n, exports))
			return append(append(out, s), sections[i+1:]...)
		}
		if rank, known := sectionRank[s.id]; known && rank > sectionRank[secExport] {
			out = append(out, section{id: secExport, payload: appendVec(nil, n, exports)})
			return append(out, sections[i:]...)
		}
		out = append(out, s)
	}
	// No section after the export section's place: insert before the
	// trailing custom sections.
	end := len(out)
	for end > 0 && out[end-1].id == secCustom {
		end--
	}
	tail := append([]section(nil), out[end:]...)
	return append(append(out[:end], section{id: secExport, payload: appendVec(nil, n, exports)}), tail...)
}

// sameFuncIndex checks a function index and keeps it: for walking code
// without instrumenting it.
func (m *module) sameFuncIndex(i uint32) (uint32, error) {
	return i, checkIndex("function", i, m.indexSpace().funcs)
}

// walkBodies decodes every function body with w, for what w notes.
func walkBodies(payload []byte, w *exprRewriter) error {
	var scratch []byte
	_, err := eachEntry(&reader{b: payload}, func(r *reader, _ []byte) ([]byte, error) {
		var err error
		scratch, err = rewriteBody(r, scratch[:0], w)
		return nil, err
	})
	return err
}

// resetPlan reads the plan off a module whose sections code has walked;
// counters are instrumentation's globals, nil for none.
func (m *module) resetPlan(code *exprRewriter, counters *additions) ResetPlan {
	plan := ResetPlan{Blocker: m.resetBlocker(code)}
	for _, g := range m.mutableGlobals {
		plan.Globals = append(plan.Globals, GlobalExport(g))
	}
	if counters != nil {
		plan.Globals = append(plan.Globals, BudgetGlobal, DepthGlobal)
	}
	return plan
}

func (m *module) resetBlocker(code *exprRewriter) string {
	switch {
	case m.importedState != "":
		return "the module imports a " + m.importedState
	case m.hasStart:
		return "the module has a start function, which runs during instantiation"
	case m.globalState != "":
		return m.globalState
	case code.stateOp != "":
		return "the module uses " + code.stateOp
	}
	return ""
}

// readMutableGlobals records which defined globals are mutable, and notes a
// mutable global whose value an engine cannot carry from one instance to
// another: a reference (it points into its own instance) or a v128.
func (m *module) readMutableGlobals(payload []byte) error {
	if payload == nil {
		return nil
	}
	r := &reader{b: payload}
	n, err := r.count()
	if err != nil {
		return err
	}
	skip := &exprRewriter{funcIndex: m.sameFuncIndex, space: m.indexSpace()}
	var scratch []byte
	for i := range n {
		t, err := r.valType()
		if err != nil {
			return err
		}
		mut, err := r.byte()
		if err != nil {
			return err
		}
		if scratch, err = skip.rewrite(r, scratch[:0]); err != nil {
			return fmt.Errorf("global %d: %w", m.importedGlobals+i, err)
		}
		if mut != 1 {
			continue
		}
		idx := m.importedGlobals + i
		m.mutableGlobals = append(m.mutableGlobals, idx)
		if ValType(t) < F64 && m.globalState == "" {
			m.globalState = fmt.Sprintf("the module has a mutable %s global (%d)", nonNumberTypes[t], idx)
		}
	}
	return nil
}

// nonNumberTypes names the value types a global can have besides numbers.
var nonNumberTypes = map[byte]string{byte(V128): "v128", refFunc: "funcref", refExtern: "externref"}

// globalExports encodes the exports of every mutable global, counters'
// included unless nil, and returns how many there are.
func (m *module) globalExports(counters *additions) ([]byte, uint32) {
	var b []byte
	for _, g := range m.mutableGlobals {
		b = appendU32(append(appendName(b, GlobalExport(g)), 0x03), g)
	}
	n := uint32(len(m.mutableGlobals))
	if counters != nil {
		b = appendU32(append(appendName(b, BudgetGlobal), 0x03), counters.budget)
		b = appendU32(append(appendName(b, DepthGlobal), 0x03), counters.depth)
		n += 2
	}
	return b, n
}
