package admission

import "github.com/civetbox/civetbox/internal/wasmbin"

// check applies the limits to a decoded module, cheapest first.
func (l Limits) check(s *wasmbin.Stats) error {
	if n := len(s.Functions); n > l.MaxFunctions {
		return reject(ProblemFunctions, "it defines %d functions; the limit is %d", n, l.MaxFunctions)
	}
	if err := l.checkMemory(s.Memories); err != nil {
		return err
	}
	if err := l.checkTables(s.Tables); err != nil {
		return err
	}
	if s.DataBytes > l.MaxDataBytes {
		return reject(ProblemData, "its data segments hold %d bytes (%s); the limit is %d bytes (%s)",
			s.DataBytes, size(float64(s.DataBytes)), l.MaxDataBytes, size(float64(l.MaxDataBytes)))
	}
	first := importedFuncs(s.Imports)
	for i, f := range s.Functions {
		if err := l.checkFunction(first+i, f); err != nil {
			return err
		}
	}
	return nil
}

// checkFunction names a function by its index in the function index space
// (imports first), as wasm tools and engine errors do.
func (l Limits) checkFunction(index int, f wasmbin.Function) error {
	switch {
	case f.Locals > uint64(l.MaxLocalsPerFunction):
		return reject(ProblemLocals, "function %d declares %d locals; the limit is %d", index, f.Locals, l.MaxLocalsPerFunction)
	case f.BodyBytes > l.MaxFunctionBodyBytes:
		return reject(ProblemBodySize, "function %d's body is %d bytes; the limit is %d", index, f.BodyBytes, l.MaxFunctionBodyBytes)
	case f.Depth > l.MaxNestingDepth:
		return reject(ProblemNesting, "function %d nests blocks %d deep; the limit is %d", index, f.Depth, l.MaxNestingDepth)
	}
	return nil
}

// checkMemory bounds the initial size only: growing beyond the tenant's
// limit fails at run time (memory.grow returns -1), while an initial size
// beyond it would fail every instantiation.
func (l Limits) checkMemory(memories []wasmbin.Limits) error {
	for _, m := range memories {
		if m.Min > l.MaxInitialMemoryPages {
			return reject(ProblemMemory, "initial memory is %s; this tenant's limit is %s",
				pages(m.Min), pages(l.MaxInitialMemoryPages))
		}
	}
	return nil
}

// checkTables bounds each table's initial size and, when it declares one,
// its maximum, since no tenant limit bounds table.grow. A table without a
// maximum (Go's linker writes none) can only be bounded at run time.
func (l Limits) checkTables(tables []wasmbin.Limits) error {
	for i, t := range tables {
		switch {
		case t.Min > l.MaxTableElements:
			return reject(ProblemTable, "table %d starts with %d elements; the limit is %d", i, t.Min, l.MaxTableElements)
		case t.HasMax && t.Max > l.MaxTableElements:
			return reject(ProblemTable, "table %d may grow to %d elements; the limit is %d", i, t.Max, l.MaxTableElements)
		}
	}
	return nil
}

func importedFuncs(imports []wasmbin.Import) int {
	n := 0
	for _, imp := range imports {
		if imp.Kind == wasmbin.KindFunc {
			n++
		}
	}
	return n
}
