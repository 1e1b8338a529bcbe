package wasmbin

import "fmt"

// indexSpace is how many functions, globals and types the original module
// declares. Instrument runs before any engine has validated the module, so
// it checks every index it meets against these counts: in an invalid module
// an index one past the end would otherwise land on something
// instrumentation added (an unwrapped body, the budget, the yield's type)
// and the instrumented module would validate, defeating both bounds.
type indexSpace struct {
	funcs, globals, types uint32
}

func (m *module) indexSpace() indexSpace {
	return indexSpace{
		funcs:   m.importedFuncs + uint32(len(m.funcTypes)),
		globals: m.importedGlobals + m.definedGlobals,
		types:   uint32(len(m.types)),
	}
}

func checkIndex(kind string, idx, count uint32) error {
	if idx >= count {
		return fmt.Errorf("%s index %d out of range (the module has %d)", kind, idx, count)
	}
	return nil
}

// funcIndex checks an original function index and maps it to the new one:
// imports keep theirs, defined functions (now wrappers) move past the
// yield import.
func (m *module) funcIndex(i uint32) (uint32, error) {
	if err := checkIndex("function", i, m.indexSpace().funcs); err != nil {
		return 0, err
	}
	if i < m.importedFuncs {
		return i, nil
	}
	return i + 1, nil
}

// Value and reference types the rewriter knows. Typed function references
// ((ref null? ht), 0x63 and 0x64) are refused: their heap types change how
// block types and ref.null decode, and no civetbox engine enables them.
const (
	refFunc   = 0x70
	refExtern = 0x6f
	blockVoid = 0x40
)

func isValType(t byte) bool {
	return (t >= 0x7b && t <= 0x7f) || isRefType(t)
}

func isRefType(t byte) bool { return t == refFunc || t == refExtern }

func unsupportedType(t byte) error {
	if t == 0x63 || t == 0x64 {
		return fmt.Errorf("typed function reference types (0x%02x) are not supported", t)
	}
	return fmt.Errorf("value type 0x%02x is not supported", t)
}
