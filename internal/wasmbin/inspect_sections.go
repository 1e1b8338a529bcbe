package wasmbin

import (
	"errors"
	"fmt"
)

func (in *inspector) readTypes(r *reader) error {
	return eachEntryOf(r, func(r *reader) error {
		params, results, err := r.funcType()
		in.types = append(in.types, FuncType{Params: valTypes(params), Results: valTypes(results)})
		return err
	})
}

func valTypes(b []byte) []ValType {
	out := make([]ValType, len(b))
	for i, t := range b {
		out[i] = ValType(t)
	}
	return out
}

// funcType returns a function type by index, checked.
func (in *inspector) funcType(idx uint32) (FuncType, error) {
	if err := checkIndex("function type", idx, uint32(len(in.types))); err != nil {
		return FuncType{}, err
	}
	return in.types[idx], nil
}

func (in *inspector) readImport(r *reader) error {
	module, err := r.bytes()
	if err != nil {
		return err
	}
	name, err := r.bytes()
	if err != nil {
		return err
	}
	kind, err := r.byte()
	if err != nil {
		return err
	}
	imp := Import{Module: string(module), Name: string(name), Kind: ExternKind(kind)}
	if err := in.readImportDesc(r, &imp); err != nil {
		return fmt.Errorf("import %q.%q: %w", imp.Module, imp.Name, err)
	}
	in.stats.Imports = append(in.stats.Imports, imp)
	return nil
}

// readImportDesc reads what follows an import's kind.
func (in *inspector) readImportDesc(r *reader, imp *Import) error {
	var err error
	switch imp.Kind {
	case KindFunc:
		var t uint32
		if t, err = r.u32(); err == nil {
			imp.Func, err = in.funcType(t)
			in.funcTypes = append(in.funcTypes, t)
			in.imported++
		}
	case KindTable:
		if _, err = r.valType(); err == nil {
			imp.Limits, err = r.readLimits(false)
			in.stats.Tables = append(in.stats.Tables, imp.Limits)
		}
	case KindMemory:
		imp.Limits, err = r.readLimits(true)
		in.stats.Memories = append(in.stats.Memories, imp.Limits)
	case KindGlobal:
		in.globals++
		if _, err = r.valType(); err == nil {
			_, err = r.byte() // mutability
		}
	case KindTag:
		if _, err = r.byte(); err == nil { // tag attribute
			_, err = r.u32()
		}
	default:
		err = fmt.Errorf("unknown import kind 0x%02x", byte(imp.Kind))
	}
	return err
}

// readLimits reads a memory's or table's limits. Shared memories (flag 2)
// decode; 64-bit ones (flag 4) do not, since their bounds exceed a u32.
func (r *reader) readLimits(memory bool) (Limits, error) {
	flags, err := r.byte()
	if err != nil {
		return Limits{}, err
	}
	if flags > 1 && (!memory || flags > 3) {
		return Limits{}, fmt.Errorf("limits flags 0x%02x are not supported (64-bit memories and tables are off)", flags)
	}
	var l Limits
	if l.Min, err = r.u32(); err != nil || flags&0x01 == 0 {
		return l, err
	}
	l.HasMax = true
	l.Max, err = r.u32()
	return l, err
}

func (in *inspector) readFunction(r *reader) error {
	t, err := r.u32()
	if err == nil {
		_, err = in.funcType(t)
		in.funcTypes = append(in.funcTypes, t)
	}
	return err
}

func (in *inspector) readTable(r *reader) error {
	if _, err := r.valType(); err != nil {
		return err
	}
	l, err := r.readLimits(false)
	in.stats.Tables = append(in.stats.Tables, l)
	return err
}

func (in *inspector) readMemory(r *reader) error {
	l, err := r.readLimits(true)
	in.stats.Memories = append(in.stats.Memories, l)
	return err
}

func (in *inspector) readExport(r *reader) error {
	name, err := r.bytes()
	if err != nil {
		return err
	}
	kind, err := r.byte()
	if err != nil {
		return err
	}
	exp := Export{Name: string(name), Kind: ExternKind(kind)}
	if exp.Index, err = r.u32(); err != nil {
		return err
	}
	if exp.Kind == KindFunc {
		if err := checkIndex("function", exp.Index, uint32(len(in.funcTypes))); err != nil {
			return fmt.Errorf("export %q: %w", exp.Name, err)
		}
		exp.Func = in.types[in.funcTypes[exp.Index]]
	}
	in.stats.Exports = append(in.stats.Exports, exp)
	return nil
}

// walker decodes instructions the way Instrument does, without changing
// them; its output goes to a scratch buffer that is reused.
func (in *inspector) walker() *exprRewriter {
	funcs := uint32(len(in.funcTypes))
	return &exprRewriter{
		funcIndex: func(i uint32) (uint32, error) { return i, checkIndex("function", i, funcs) },
		space:     indexSpace{funcs: funcs, globals: in.globals, types: uint32(len(in.types))},
	}
}

// readCode measures every body. Errors name the function by its index in
// the function index space (imports first), as engines and tools do.
func (in *inspector) readCode(r *reader) error {
	in.code = true
	defined := uint32(len(in.funcTypes)) - in.imported
	n, err := r.count()
	if err != nil {
		return err
	}
	if n != defined {
		return fmt.Errorf("the code section has %d bodies for %d functions", n, defined)
	}
	w := in.walker()
	var scratch []byte
	for i := range n {
		f, err := inspectBody(r, w, &scratch)
		if err != nil {
			return fmt.Errorf("function %d: %w", in.imported+i, err)
		}
		in.stats.Functions = append(in.stats.Functions, f)
	}
	if !r.done() {
		return fmt.Errorf("%d bytes after the last function body", len(r.b))
	}
	return nil
}

// inspectBody measures one function body.
func inspectBody(r *reader, w *exprRewriter, scratch *[]byte) (Function, error) {
	body, err := r.bytes()
	if err != nil {
		return Function{}, err
	}
	f := Function{BodyBytes: len(body)}
	br := &reader{b: body}
	if f.Locals, err = br.sumLocals(); err != nil {
		return f, err
	}
	w.deepest = 0
	if *scratch, err = w.rewrite(br, (*scratch)[:0]); err != nil {
		return f, err
	}
	if !br.done() {
		return f, fmt.Errorf("%d bytes after the end of the body", len(br.b))
	}
	f.Depth = w.deepest
	return f, nil
}

// sumLocals adds up the local declarations. Each entry's count is a u32 and
// takes at least two bytes with its type, so the sum fits a uint64 for any
// body that fits in memory.
func (r *reader) sumLocals() (uint64, error) {
	n, err := r.count()
	if err != nil {
		return 0, err
	}
	var sum uint64
	for range n {
		c, err := r.u32()
		if err != nil {
			return 0, err
		}
		if _, err := r.valType(); err != nil {
			return 0, err
		}
		sum += uint64(c)
	}
	return sum, nil
}

var errDataFlags = errors.New("data segment flags are not 0, 1 or 2")

// readData reads one data segment: active (flags 0, or 2 with a memory
// index) with an offset expression, or passive (1).
func (in *inspector) readData(r *reader) error {
	flags, err := r.u32()
	if err != nil {
		return err
	}
	if flags > 2 {
		return errDataFlags
	}
	if flags == 2 {
		if _, err := r.u32(); err != nil {
			return err
		}
	}
	if flags != 1 {
		if _, err := in.walker().rewrite(r, nil); err != nil {
			return err
		}
	}
	init, err := r.bytes()
	in.stats.DataBytes += int64(len(init))
	return err
}
