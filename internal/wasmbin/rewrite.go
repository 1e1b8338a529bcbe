package wasmbin

import "fmt"

// rewriteSection renumbers the function indices a section holds and, in
// the code section, instruments every body.
func (m *module) rewriteSection(s section, code *exprRewriter) ([]byte, error) {
	r := &reader{b: s.payload}
	switch s.id {
	case secGlobal:
		return eachEntry(r, func(r *reader, out []byte) ([]byte, error) {
			out, err := r.copyGlobalType(out)
			if err != nil {
				return nil, err
			}
			return code.rewrite(r, out)
		})
	case secExport:
		return eachEntry(r, m.rewriteExport)
	case secStart:
		idx, err := r.u32()
		if err != nil {
			return nil, err
		}
		idx, err = m.funcIndex(idx)
		return appendU32(nil, idx), err
	case secElement:
		return eachEntry(r, func(r *reader, out []byte) ([]byte, error) { return m.rewriteElement(r, out, code) })
	case secCode:
		return eachEntry(r, func(r *reader, out []byte) ([]byte, error) { return rewriteBody(r, out, code) })
	}
	return s.payload, nil
}

// eachEntry rewrites every entry of a vector.
func eachEntry(r *reader, entry func(*reader, []byte) ([]byte, error)) ([]byte, error) {
	n, err := r.count()
	if err != nil {
		return nil, err
	}
	out := appendU32(nil, n)
	for i := range n {
		if out, err = entry(r, out); err != nil {
			return nil, fmt.Errorf("entry %d: %w", i, err)
		}
	}
	if !r.done() {
		return nil, fmt.Errorf("%d bytes after the last entry", len(r.b))
	}
	return out, nil
}

// copyGlobalType copies a value type and a mutability flag.
func (r *reader) copyGlobalType(out []byte) ([]byte, error) {
	start := r.b
	if _, err := r.valType(); err != nil {
		return nil, err
	}
	if _, err := r.byte(); err != nil {
		return nil, err
	}
	return append(out, start[:len(start)-len(r.b)]...), nil
}

func (m *module) rewriteExport(r *reader, out []byte) ([]byte, error) {
	name, err := r.bytes()
	if err != nil {
		return nil, err
	}
	kind, err := r.byte()
	if err != nil {
		return nil, err
	}
	idx, err := r.u32()
	if err != nil {
		return nil, err
	}
	switch kind {
	case 0x00:
		idx, err = m.funcIndex(idx)
	case 0x03:
		err = checkIndex("global", idx, m.indexSpace().globals)
	}
	if err != nil {
		return nil, err
	}
	return appendU32(append(appendName(out, string(name)), kind), idx), nil
}

// rewriteElement renumbers an element segment's functions, in all eight of
// its encodings (flags bit 0: passive or declarative; bit 1: explicit
// table or element kind; bit 2: expressions instead of indices).
func (m *module) rewriteElement(r *reader, out []byte, code *exprRewriter) ([]byte, error) {
	flags, err := r.u32()
	if err != nil {
		return nil, err
	}
	if flags > 7 {
		return nil, fmt.Errorf("element segment flags %d", flags)
	}
	out = appendU32(out, flags)
	if flags&0b011 == 0b010 { // active with a table index
		if out, err = r.copyLEBs(out, 1); err != nil {
			return nil, err
		}
	}
	if flags&0b001 == 0 { // active: offset expression
		if out, err = code.rewrite(r, out); err != nil {
			return nil, err
		}
	}
	if flags&0b011 != 0 { // element kind or reference type
		if out, err = copyElementType(r, out, flags&0b100 != 0); err != nil {
			return nil, err
		}
	}
	if flags&0b100 != 0 {
		return eachEntryAppend(r, out, func(r *reader, out []byte) ([]byte, error) { return code.rewrite(r, out) })
	}
	return eachEntryAppend(r, out, func(r *reader, out []byte) ([]byte, error) {
		idx, err := r.u32()
		if err != nil {
			return nil, err
		}
		idx, err = m.funcIndex(idx)
		return appendU32(out, idx), err
	})
}

// copyElementType copies an element segment's reference type (segments of
// expressions) or element kind (segments of function indices: 0, funcref).
func copyElementType(r *reader, out []byte, expressions bool) ([]byte, error) {
	t, err := r.byte()
	switch {
	case err != nil:
		return nil, err
	case expressions && !isRefType(t):
		return nil, unsupportedType(t)
	case !expressions && t != 0x00:
		return nil, fmt.Errorf("element kind 0x%02x is not supported", t)
	}
	return append(out, t), nil
}

// eachEntryAppend rewrites a vector nested in an entry, appending to out.
func eachEntryAppend(r *reader, out []byte, entry func(*reader, []byte) ([]byte, error)) ([]byte, error) {
	n, err := r.count()
	if err != nil {
		return nil, err
	}
	out = appendU32(out, n)
	for range n {
		if out, err = entry(r, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// rewriteBody instruments one function body: its locals stay, its
// instructions are rewritten.
func rewriteBody(r *reader, out []byte, code *exprRewriter) ([]byte, error) {
	body, err := r.bytes()
	if err != nil {
		return nil, err
	}
	br := &reader{b: body}
	locals, err := br.localsEnd()
	if err != nil {
		return nil, err
	}
	newBody, err := code.rewrite(br, append([]byte(nil), body[:locals]...))
	if err != nil {
		return nil, err
	}
	if !br.done() {
		return nil, fmt.Errorf("%d bytes after the end of a function body", len(br.b))
	}
	return append(appendU32(out, uint32(len(newBody))), newBody...), nil
}

// localsEnd skips the local declarations and returns their length.
func (r *reader) localsEnd() (int, error) {
	start := len(r.b)
	n, err := r.count()
	if err != nil {
		return 0, err
	}
	for range n {
		if _, err := r.u32(); err != nil {
			return 0, err
		}
		if _, err := r.valType(); err != nil {
			return 0, err
		}
	}
	return start - len(r.b), nil
}
