package wasmbin

import (
	"fmt"
)

// exprRewriter copies wasm instructions, renumbering function indices and
// inserting the budget check after each loop header. It understands the
// instruction set wazero and wasmtime run for civetbox guests (the 2.0 core
// spec with SIMD); anything else (threads, tail calls, exceptions, GC) is an
// error, so a module cannot use an instruction the rewriter would mangle.
type exprRewriter struct {
	funcIndex func(uint32) (uint32, error) // checked new index of a function
	space     indexSpace                   // bounds of global and type indices
	loopCheck []byte                       // inserted after every loop header; nil for none
	deepest   int                          // deepest block nesting seen; Inspect reads it
	// stateOp is the first instruction met that changes an instance's
	// state outside its memory and globals (a table or a segment's
	// dropped flag); "" if none. ResetPlan reads it.
	stateOp string
}

// rewrite copies one expression (through its final end) from r to out.
func (w *exprRewriter) rewrite(r *reader, out []byte) ([]byte, error) {
	depth := 0
	for {
		op, err := r.byte()
		if err != nil {
			return nil, err
		}
		out = append(out, op)
		switch {
		case op == 0x0b: // end
			if depth == 0 {
				return out, nil
			}
			depth--
		case op >= 0x02 && op <= 0x04: // block, loop, if
			depth++
			w.deepest = max(w.deepest, depth)
			if out, err = w.copyBlockType(r, out); err == nil && op == 0x03 {
				out = append(out, w.loopCheck...)
			}
		case op == 0x10 || op == 0xd2: // call, ref.func
			out, err = w.copyFuncIndex(r, out)
		case op == 0x23 || op == 0x24: // global.get, global.set
			out, err = copyIndex(r, out, "global", w.space.globals)
		case op == 0x26: // table.set
			w.noteStateOp("table.set")
			out, err = r.copyLEBs(out, 1)
		case op == 0xfc:
			out, err = w.copyMisc(r, out)
		case op == 0x11: // call_indirect type table
			if out, err = copyIndex(r, out, "type", w.space.types); err == nil {
				out, err = r.copyLEBs(out, 1)
			}
		default:
			out, err = w.copyImmediates(r, op, out)
		}
		if err != nil {
			return nil, err
		}
	}
}

func (w *exprRewriter) copyFuncIndex(r *reader, out []byte) ([]byte, error) {
	idx, err := r.u32()
	if err != nil {
		return nil, err
	}
	if idx, err = w.funcIndex(idx); err != nil {
		return nil, err
	}
	return appendU32(out, idx), nil
}

// copyIndex copies an index after checking it against count.
func copyIndex(r *reader, out []byte, kind string, count uint32) ([]byte, error) {
	idx, err := r.u32()
	if err != nil {
		return nil, err
	}
	if err := checkIndex(kind, idx, count); err != nil {
		return nil, err
	}
	return appendU32(out, idx), nil
}

// copyImmediates copies the immediates of every other instruction.
func (w *exprRewriter) copyImmediates(r *reader, op byte, out []byte) ([]byte, error) {
	switch {
	case op <= 0x01 || op == 0x05 || op == 0x0f || op == 0x1a || op == 0x1b || (op >= 0x45 && op <= 0xc4) || op == 0xd1:
		return out, nil // no immediates
	case op == 0x0c || op == 0x0d || (op >= 0x20 && op <= 0x26) || op == 0x3f || op == 0x40:
		return r.copyLEBs(out, 1) // label, local, table, memory index
	case op == 0x0e: // br_table
		return r.copyBrTable(out)
	case op == 0x1c: // select t*
		return r.copyValTypes(out)
	case op >= 0x28 && op <= 0x3e: // loads and stores
		return r.copyMemArg(out)
	case op == 0x41 || op == 0x42: // i32.const, i64.const
		return r.copyLEBs(out, 1)
	case op == 0x43:
		return r.copyN(out, 4)
	case op == 0x44:
		return r.copyN(out, 8)
	case op == 0xd0: // ref.null heaptype
		return r.copyRefType(out)
	case op == 0xfd:
		return r.copySIMD(out)
	}
	return nil, fmt.Errorf("instruction 0x%02x is not supported (threads, tail calls, exceptions and GC are off)", op)
}

// stateOps names the 0xfc-prefixed instructions that change a table or
// drop a segment: state instantiation creates that lives outside memory
// and globals.
var stateOps = map[uint32]string{
	9: "data.drop", 12: "table.init", 13: "elem.drop", 14: "table.copy", 15: "table.grow", 17: "table.fill",
}

func (w *exprRewriter) noteStateOp(name string) {
	if w.stateOp == "" {
		w.stateOp = name
	}
}

// copyMisc copies a 0xfc-prefixed instruction (saturating truncation, bulk
// memory and table operations).
func (w *exprRewriter) copyMisc(r *reader, out []byte) ([]byte, error) {
	sub, err := r.u32()
	if err != nil {
		return nil, err
	}
	if name, ok := stateOps[sub]; ok {
		w.noteStateOp(name)
	}
	out = appendU32(out, sub)
	switch {
	case sub <= 7:
		return out, nil
	case sub == 8 || sub == 10 || sub == 12 || sub == 14: // two indices
		return r.copyLEBs(out, 2)
	case sub <= 17:
		return r.copyLEBs(out, 1)
	}
	return nil, fmt.Errorf("instruction 0xfc %d is not supported", sub)
}

// copySIMD copies a 0xfd-prefixed instruction.
func (r *reader) copySIMD(out []byte) ([]byte, error) {
	sub, err := r.u32()
	if err != nil {
		return nil, err
	}
	out = appendU32(out, sub)
	switch {
	case sub <= 11 || sub == 92 || sub == 93: // loads, stores
		return r.copyMemArg(out)
	case sub == 12 || sub == 13: // v128.const, i8x16.shuffle
		return r.copyN(out, 16)
	case sub >= 21 && sub <= 34: // extract and replace lane
		return r.copyN(out, 1)
	case sub >= 84 && sub <= 91: // load and store lane
		if out, err = r.copyMemArg(out); err != nil {
			return nil, err
		}
		return r.copyN(out, 1)
	}
	return out, nil
}

// copyMemArg copies alignment (with a memory index when bit 6 is set) and
// offset.
func (r *reader) copyMemArg(out []byte) ([]byte, error) {
	align, err := r.u32()
	if err != nil {
		return nil, err
	}
	out = appendU32(out, align)
	if align&0x40 != 0 {
		if out, err = r.copyLEBs(out, 1); err != nil {
			return nil, err
		}
	}
	return r.copyLEBs(out, 1)
}

func (r *reader) copyBrTable(out []byte) ([]byte, error) {
	n, err := r.count()
	if err != nil {
		return nil, err
	}
	return r.copyLEBs(appendU32(out, n), int(n)+1)
}

// copyValTypes copies a vector of value types (select's result types).
func (r *reader) copyValTypes(out []byte) ([]byte, error) {
	ts, err := r.valTypes()
	if err != nil {
		return nil, err
	}
	return append(appendU32(out, uint32(len(ts))), ts...), nil
}

func (r *reader) copyRefType(out []byte) ([]byte, error) {
	t, err := r.byte()
	if err == nil && !isRefType(t) {
		err = unsupportedType(t)
	}
	return append(out, t), err
}

// copyBlockType copies an empty, value or type-index block type. A type
// index is a non-negative s33; a single byte with bit 6 set is a negative
// s33, which must be one of the known value types.
func (w *exprRewriter) copyBlockType(r *reader, out []byte) ([]byte, error) {
	if len(r.b) == 0 {
		return nil, errTruncated
	}
	if t := r.b[0]; t&0xc0 == 0x40 {
		r.b = r.b[1:]
		if t != blockVoid && !isValType(t) {
			return nil, unsupportedType(t)
		}
		return append(out, t), nil
	}
	idx, err := r.s33()
	switch {
	case err != nil:
		return nil, err
	case idx < 0:
		return nil, fmt.Errorf("block type %d: a value type padded to more than one byte is not supported", idx)
	case idx > 0xffffffff:
		return nil, fmt.Errorf("block type index %d out of range", idx)
	}
	if err := checkIndex("type", uint32(idx), w.space.types); err != nil {
		return nil, err
	}
	return appendSLEB(out, idx), nil // signed: 64 and up take two bytes
}

// s33 reads a signed LEB128 of at most 33 bits (5 bytes).
func (r *reader) s33() (int64, error) {
	var v int64
	for shift := uint(0); shift < 35; shift += 7 {
		b, err := r.byte()
		if err != nil {
			return 0, err
		}
		v |= int64(b&0x7f) << shift
		if b&0x80 == 0 {
			if b&0x40 != 0 {
				v |= -1 << (shift + 7) // sign-extend
			}
			return v, nil
		}
	}
	return 0, errTruncated
}

// copyLEBs copies n LEB128 numbers byte for byte.
func (r *reader) copyLEBs(out []byte, n int) ([]byte, error) {
	for range n {
		i := 0
		for ; i < len(r.b) && i < 10 && r.b[i]&0x80 != 0; i++ {
		}
		if i >= len(r.b) || i >= 10 {
			return nil, errTruncated
		}
		out = append(out, r.b[:i+1]...)
		r.b = r.b[i+1:]
	}
	return out, nil
}

func (r *reader) copyN(out []byte, n int) ([]byte, error) {
	if len(r.b) < n {
		return nil, errTruncated
	}
	out = append(out, r.b[:n]...)
	r.b = r.b[n:]
	return out, nil
}
