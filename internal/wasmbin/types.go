package wasmbin

import "fmt"

// readTypes returns the parameter types of each function type.
func readTypes(payload []byte) ([][]byte, error) {
	r := reader{b: payload}
	n, err := r.count()
	if err != nil {
		return nil, err
	}
	types := make([][]byte, 0, n)
	for range n {
		params, _, err := r.funcType()
		if err != nil {
			return nil, err
		}
		types = append(types, params)
	}
	return types, nil
}

// funcType reads a function type: the form byte, params and results.
func (r *reader) funcType() (params, results []byte, err error) {
	form, err := r.byte()
	if err != nil {
		return nil, nil, err
	}
	if form != 0x60 {
		return nil, nil, fmt.Errorf("type form 0x%02x is not a function type", form)
	}
	if params, err = r.valTypes(); err != nil {
		return nil, nil, err
	}
	results, err = r.valTypes()
	return params, results, err
}

// valTypes reads a vector of value types.
func (r *reader) valTypes() ([]byte, error) {
	n, err := r.count()
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, n)
	for range n {
		t, err := r.valType()
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

func (r *reader) valType() (byte, error) {
	t, err := r.byte()
	if err == nil && !isValType(t) {
		err = unsupportedType(t)
	}
	return t, err
}

// countImports returns the type index of each imported function, counts
// imported globals, and names the kind of the first import that is not a
// function ("" if all are): instance state shared with whoever provides it.
func countImports(payload []byte) (funcTypes []uint32, globals uint32, other string, err error) {
	r := reader{b: payload}
	n, err := r.count()
	for i := uint32(0); err == nil && i < n; i++ {
		var kind byte
		if _, err = r.bytes(); err != nil { // module
			break
		}
		if _, err = r.bytes(); err != nil { // name
			break
		}
		if kind, err = r.byte(); err != nil {
			break
		}
		if kind != 0x00 && other == "" {
			other = ExternKind(kind).String()
		}
		switch kind {
		case 0x00:
			var t uint32
			t, err = r.u32()
			funcTypes = append(funcTypes, t)
		case 0x01:
			if _, err = r.valType(); err == nil {
				err = r.limits()
			}
		case 0x02:
			err = r.limits()
		case 0x03:
			globals++
			if _, err = r.valType(); err == nil {
				_, err = r.byte() // mutability
			}
		case 0x04:
			if _, err = r.byte(); err == nil { // tag attribute
				_, err = r.u32()
			}
		default:
			err = fmt.Errorf("unknown import kind 0x%02x", kind)
		}
	}
	return funcTypes, globals, other, err
}

// limits skips a table or memory limits: flags, min, optional max.
func (r *reader) limits() error {
	flags, err := r.byte()
	if err != nil {
		return err
	}
	if err := r.skipLEB(); err != nil {
		return err
	}
	if flags&0x01 != 0 {
		return r.skipLEB()
	}
	return nil
}

// readU32Vec reads a vector of u32.
func readU32Vec(payload []byte) ([]uint32, error) {
	r := reader{b: payload}
	n, err := r.count()
	if err != nil {
		return nil, err
	}
	out := make([]uint32, 0, n)
	for range n {
		v, err := r.u32()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// vecCount reads the element count at the start of a vector.
func vecCount(payload []byte) (uint32, error) {
	r := reader{b: payload}
	return r.u32()
}
