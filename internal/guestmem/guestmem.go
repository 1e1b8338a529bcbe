// Package guestmem is the one place that turns guest pointers and lengths into
// host memory. Every host function reaches guest memory through it, so the
// bounds rules live here once:
//
//   - arithmetic is done in uint64, so ptr+len cannot wrap around 2^32;
//   - a view is capped at its end (three-index slice), so an append by host
//     code cannot spill into the rest of guest memory;
//   - a view is only valid until the guest runs again, because memory.grow
//     may move it; code that must keep data copies it (Copy, String).
//
// Failures are *Fault values naming the host function and parameter, which
// host functions turn into traps.
package guestmem

import (
	"encoding/binary"
	"fmt"

	"github.com/civetbox/civetbox/runtime/engine"
)

// Fault is a guest pointer or length that does not fit the guest's memory.
type Fault struct {
	Func    string // host function, e.g. "mg_write"
	Param   string // parameter, e.g. "buf"
	Ptr     uint64
	Len     uint64
	MemSize uint64
	Reason  string // empty for "out of range"
}

func (f *Fault) Error() string {
	reason := f.Reason
	if reason == "" {
		reason = "out of range"
	}
	return fmt.Sprintf("guestmem: %s: %s[ptr=%d len=%d] %s (memory is %d bytes)",
		f.Func, f.Param, f.Ptr, f.Len, reason, f.MemSize)
}

// Region names a (pointer, length) argument of a host function call.
type Region struct {
	Func, Param string
	Ptr, Len    uint32
}

// fault builds a Fault for r.
func (r Region) fault(m engine.Memory, reason string) *Fault {
	return &Fault{Func: r.Func, Param: r.Param, Ptr: uint64(r.Ptr), Len: uint64(r.Len),
		MemSize: memSize(m), Reason: reason}
}

func memSize(m engine.Memory) uint64 {
	if m == nil {
		return 0
	}
	return uint64(m.Size())
}

// check validates r against m's current size.
func (r Region) check(m engine.Memory) error {
	if m == nil {
		return r.fault(m, "but the guest exports no memory")
	}
	if uint64(r.Ptr)+uint64(r.Len) > uint64(m.Size()) {
		return r.fault(m, "")
	}
	return nil
}

// View returns guest memory [Ptr, Ptr+Len) without copying. The view is only
// valid until the guest runs again. Use it to stream (mg_read, mg_write).
func View(m engine.Memory, r Region) ([]byte, error) {
	if err := r.check(m); err != nil {
		return nil, err
	}
	b, ok := m.Read(r.Ptr, r.Len)
	if !ok {
		return nil, r.fault(m, "")
	}
	return b[:len(b):len(b)], nil
}

// Copy returns a copy of guest memory [Ptr, Ptr+Len), for data the host keeps
// or acts on after validating it.
func Copy(m engine.Memory, r Region) ([]byte, error) {
	b, err := View(m, r)
	if err != nil {
		return nil, err
	}
	return append([]byte(nil), b...), nil
}

// String returns guest memory [Ptr, Ptr+Len) as a string (a copy).
func String(m engine.Memory, r Region) (string, error) {
	b, err := View(m, r)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// Aligned checks r like View and that Ptr is a multiple of align, for buffers
// that hold C structs.
func Aligned(m engine.Memory, r Region, align uint32) error {
	if err := r.check(m); err != nil {
		return err
	}
	if align > 1 && r.Ptr%align != 0 {
		return r.fault(m, fmt.Sprintf("is not %d-byte aligned", align))
	}
	return nil
}

// Write copies b into guest memory at r.Ptr. len(b) must not exceed r.Len:
// the host never writes past the region the guest named.
func Write(m engine.Memory, r Region, b []byte) error {
	if uint64(len(b)) > uint64(r.Len) {
		return r.fault(m, fmt.Sprintf("is too small for %d bytes", len(b)))
	}
	if err := r.check(m); err != nil {
		return err
	}
	if !m.Write(r.Ptr, b) {
		return r.fault(m, "")
	}
	return nil
}

// Array returns a view of an array of r.Len elements of elemSize bytes at
// r.Ptr. The byte length is computed in uint64, so a count that would wrap
// 32-bit arithmetic is a fault, not a short array.
func Array(m engine.Memory, r Region, elemSize uint32) ([]byte, error) {
	size := uint64(r.Len) * uint64(elemSize)
	if size > uint64(^uint32(0)) {
		return nil, &Fault{Func: r.Func, Param: r.Param, Ptr: uint64(r.Ptr), Len: size, MemSize: memSize(m)}
	}
	return View(m, Region{Func: r.Func, Param: r.Param, Ptr: r.Ptr, Len: uint32(size)})
}

// PutUint32 writes v little-endian at ptr, as the 4-byte region param.
func PutUint32(m engine.Memory, fn, param string, ptr, v uint32) error {
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], v)
	return Write(m, Region{Func: fn, Param: param, Ptr: ptr, Len: 4}, b[:])
}

// PutUint64 writes v little-endian at ptr, as the 8-byte region param.
func PutUint64(m engine.Memory, fn, param string, ptr uint32, v uint64) error {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], v)
	return Write(m, Region{Func: fn, Param: param, Ptr: ptr, Len: 8}, b[:])
}
