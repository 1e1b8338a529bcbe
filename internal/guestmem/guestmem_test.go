package guestmem

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/runtime/engine"
)

// fakeMem is an engine.Memory backed by a slice. Read returns views without
// capping them, as an engine may, so the tests see whether guestmem caps.
type fakeMem struct {
	buf    []byte
	reads  int
	writes int
}

var _ engine.Memory = (*fakeMem)(nil)

func newMem(size int) *fakeMem {
	m := &fakeMem{buf: make([]byte, size)}
	for i := range m.buf {
		m.buf[i] = byte(i*7 + 1)
	}
	return m
}

func (m *fakeMem) Size() uint32 { return uint32(len(m.buf)) }

func (m *fakeMem) Read(off, n uint32) ([]byte, bool) {
	m.reads++
	if uint64(off)+uint64(n) > uint64(len(m.buf)) {
		return nil, false
	}
	return m.buf[off : uint64(off)+uint64(n)], true
}

func (m *fakeMem) Write(off uint32, b []byte) bool {
	m.writes++
	if uint64(off)+uint64(len(b)) > uint64(len(m.buf)) {
		return false
	}
	copy(m.buf[off:], b)
	return true
}

// hugeMem claims a 4 GiB - 1 memory without allocating it: it records the
// calls that reach it and serves small reads.
type hugeMem struct {
	size    uint32
	lastOff uint32
	lastN   uint32
	calls   int
}

func (m *hugeMem) Size() uint32 { return m.size }

func (m *hugeMem) Read(off, n uint32) ([]byte, bool) {
	m.calls++
	m.lastOff, m.lastN = off, n
	if uint64(off)+uint64(n) > uint64(m.size) {
		return nil, false
	}
	return make([]byte, n, n+16), true
}

func (m *hugeMem) Write(off uint32, b []byte) bool {
	m.calls++
	m.lastOff, m.lastN = off, uint32(len(b))
	return uint64(off)+uint64(len(b)) <= uint64(m.size)
}

// brokenMem passes the size check but refuses every access, as a memory
// that shrank or an engine bug would.
type brokenMem struct{ size uint32 }

func (m brokenMem) Size() uint32                       { return m.size }
func (m brokenMem) Read(uint32, uint32) ([]byte, bool) { return nil, false }
func (m brokenMem) Write(uint32, []byte) bool          { return false }

func region(ptr, n uint32) Region { return Region{Func: "mg_test", Param: "buf", Ptr: ptr, Len: n} }

func requireFault(t *testing.T, err error, r Region, memSize uint64, reason string) {
	t.Helper()
	var f *Fault
	require.ErrorAs(t, err, &f)
	require.Equal(t, &Fault{Func: r.Func, Param: r.Param, Ptr: uint64(r.Ptr), Len: uint64(r.Len), MemSize: memSize, Reason: reason}, f)
}

const size = 64

func TestViewEdges(t *testing.T) {
	const max = math.MaxUint32
	cases := []struct {
		name     string
		ptr, len uint32
		ok       bool
	}{
		{"empty at 0", 0, 0, true},
		{"one byte at 0", 0, 1, true},
		{"all memory", 0, size, true},
		{"one past the end", 0, size + 1, false},
		{"last byte", size - 1, 1, true},
		{"last byte and one more", size - 1, 2, false},
		{"empty at the end", size, 0, true},
		{"one byte at the end", size, 1, false},
		{"empty past the end", size + 1, 0, false},
		{"middle", 1, size - 2, true},
		{"ptr 2^31", 1 << 31, 0, false},
		{"len 2^31", 0, 1 << 31, false},
		{"ptr and len 2^31 (sum wraps to 0 in uint32)", 1 << 31, 1 << 31, false},
		{"ptr 2^32-1", max, 0, false},
		{"len 2^32-1", 0, max, false},
		{"ptr 2^32-1, len 1 (sum wraps to 0)", max, 1, false},
		{"ptr 2^32-1, len 2 (sum wraps to 1)", max, 2, false},
		{"ptr 1, len 2^32-1 (sum wraps to 0)", 1, max, false},
		{"ptr 2^32-10, len 20 (sum wraps to 10)", max - 9, 20, false},
		{"both 2^32-1", max, max, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newMem(size)
			r := region(tc.ptr, tc.len)
			v, err := View(m, r)
			c, cerr := Copy(m, r)
			s, serr := String(m, r)
			aerr := Aligned(m, r, 1)
			if !tc.ok {
				requireFault(t, err, r, size, "")
				requireFault(t, cerr, r, size, "")
				requireFault(t, serr, r, size, "")
				requireFault(t, aerr, r, size, "")
				require.Nil(t, v)
				require.Nil(t, c)
				require.Empty(t, s)
				require.Zero(t, m.reads, "an out-of-range region must not reach the engine")
				return
			}
			require.NoError(t, err)
			require.NoError(t, cerr)
			require.NoError(t, serr)
			require.NoError(t, aerr)
			want := m.buf[tc.ptr : tc.ptr+tc.len]
			require.Equal(t, want, v)
			require.Len(t, v, int(tc.len))
			require.Equal(t, int(tc.len), cap(v))
			require.Equal(t, string(want), string(c))
			require.Equal(t, string(want), s)
		})
	}
}

// TestNearFourGiB checks regions at the top of a memory of 4 GiB - 1 bytes,
// where uint32 arithmetic would wrap.
func TestNearFourGiB(t *testing.T) {
	const max = math.MaxUint32
	cases := []struct {
		ptr, len uint32
		ok       bool
	}{
		{max - 1, 1, true},
		{max, 0, true},
		{max, 1, false},
		{max - 1, 2, false},
		{0, max, true},
		{1, max, false},
		{1 << 31, 1<<31 - 1, true},
		{1 << 31, 1 << 31, false},
	}
	for _, tc := range cases {
		m := &hugeMem{size: max}
		r := region(tc.ptr, tc.len)
		if tc.len > 1<<20 { // do not allocate: check without reading
			err := Aligned(m, r, 1)
			if tc.ok {
				require.NoError(t, err, "%+v", tc)
			} else {
				requireFault(t, err, r, max, "")
			}
			continue
		}
		v, err := View(m, r)
		if !tc.ok {
			requireFault(t, err, r, max, "")
			require.Zero(t, m.calls)
			continue
		}
		require.NoError(t, err, "%+v", tc)
		require.Len(t, v, int(tc.len))
		require.Equal(t, int(tc.len), cap(v), "capped although the engine's view was not")
		require.Equal(t, [2]uint32{tc.ptr, tc.len}, [2]uint32{m.lastOff, m.lastN})
	}
}

func TestNilMemory(t *testing.T) {
	r := region(0, 0)
	const reason = "but the guest exports no memory"
	_, err := View(nil, r)
	requireFault(t, err, r, 0, reason)
	_, err = Copy(nil, r)
	requireFault(t, err, r, 0, reason)
	_, err = String(nil, r)
	requireFault(t, err, r, 0, reason)
	requireFault(t, Aligned(nil, r, 4), r, 0, reason)
	requireFault(t, Write(nil, region(0, 4), []byte("ab")), region(0, 4), 0, reason)
	// The size check comes first, and still needs no memory.
	requireFault(t, Write(nil, region(0, 1), []byte("ab")), region(0, 1), 0, "is too small for 2 bytes")
}

// TestViewAliasesMemory checks that a view is guest memory itself, and that
// its capacity ends with the region, so appending copies instead of
// overwriting the bytes after it.
func TestViewAliasesMemory(t *testing.T) {
	m := newMem(size)
	before := bytes.Clone(m.buf)
	v, err := View(m, region(8, 4))
	require.NoError(t, err)
	require.Len(t, v, 4)
	require.Equal(t, 4, cap(v))

	v[0] = 'X'
	require.Equal(t, byte('X'), m.buf[8], "a view aliases memory")
	m.buf[8] = before[8]

	grown := append(v, 'A', 'B', 'C')
	require.Equal(t, before, m.buf, "append wrote into memory past the region")
	grown[0] = 'Y'
	require.Equal(t, before, m.buf, "the appended slice must be a copy")

	empty, err := View(m, region(size, 0))
	require.NoError(t, err)
	require.Zero(t, cap(empty))
	_ = append(empty, 'Z')
	require.Equal(t, before, m.buf)
}

func TestCopyAndStringDoNotAlias(t *testing.T) {
	m := newMem(size)
	before := bytes.Clone(m.buf)
	c, err := Copy(m, region(4, 8))
	require.NoError(t, err)
	c[0] = 'X'
	c = append(c, 'Y')
	require.Equal(t, before, m.buf)

	s, err := String(m, region(4, 8))
	require.NoError(t, err)
	m.buf[4] = 'Z'
	require.Equal(t, string(before[4:12]), s, "a string is a copy")
}

func TestEngineRefusal(t *testing.T) {
	m := brokenMem{size: size}
	r := region(0, 4)
	_, err := View(m, r)
	requireFault(t, err, r, size, "")
	_, err = Copy(m, r)
	requireFault(t, err, r, size, "")
	requireFault(t, Write(m, r, []byte("ab")), r, size, "")
}

func TestAligned(t *testing.T) {
	cases := []struct {
		name     string
		ptr, len uint32
		align    uint32
		fault    bool
		reason   string
	}{
		{"aligned 8", 16, 8, 8, false, ""},
		{"aligned at 0", 0, 8, 8, false, ""},
		{"misaligned by 1", 17, 8, 8, true, "is not 8-byte aligned"},
		{"misaligned by 4", 20, 8, 8, true, "is not 8-byte aligned"},
		{"align 4 at 4", 4, 4, 4, false, ""},
		{"align 4 at 6", 6, 4, 4, true, "is not 4-byte aligned"},
		{"align 0 means none", 3, 1, 0, false, ""},
		{"align 1 means none", 3, 1, 1, false, ""},
		{"odd alignment", 9, 1, 3, false, ""},
		{"odd misalignment", 10, 1, 3, true, "is not 3-byte aligned"},
		{"range before alignment", 17, size, 8, true, ""},
		{"aligned but out of range", 64, 8, 8, true, ""},
		{"aligned, empty, at the end", 64, 0, 8, false, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newMem(size)
			r := region(tc.ptr, tc.len)
			err := Aligned(m, r, tc.align)
			if !tc.fault {
				require.NoError(t, err)
				return
			}
			requireFault(t, err, r, size, tc.reason)
			require.Zero(t, m.reads+m.writes, "Aligned does not touch memory")
		})
	}
}

func TestWrite(t *testing.T) {
	cases := []struct {
		name     string
		ptr, len uint32
		data     string
		reason   string // "-" for no fault
	}{
		{"fills the region", 4, 3, "abc", "-"},
		{"shorter than the region", 4, 8, "abc", "-"},
		{"empty", 4, 8, "", "-"},
		{"empty region, empty data", size, 0, "", "-"},
		{"last bytes", size - 3, 3, "xyz", "-"},
		{"longer than the region", 4, 2, "abc", "is too small for 3 bytes"},
		{"longer than an empty region", 4, 0, "a", "is too small for 1 bytes"},
		{"region past the end", size - 2, 3, "abc", ""},
		{"short data, region past the end", size - 2, 8, "a", ""},
		{"region wraps 2^32", math.MaxUint32, 2, "ab", ""},
		{"too long and out of range: size reason first", size, 2, "abc", "is too small for 3 bytes"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newMem(size)
			before := bytes.Clone(m.buf)
			r := region(tc.ptr, tc.len)
			err := Write(m, r, []byte(tc.data))
			if tc.reason != "-" {
				requireFault(t, err, r, size, tc.reason)
				require.Equal(t, before, m.buf, "a refused write changes nothing")
				require.Zero(t, m.writes)
				return
			}
			require.NoError(t, err)
			want := bytes.Clone(before)
			copy(want[tc.ptr:], tc.data)
			require.Equal(t, want, m.buf)
		})
	}
}

func TestFaultError(t *testing.T) {
	cases := []struct {
		fault *Fault
		want  string
	}{
		{
			&Fault{Func: "mg_write", Param: "buf", Ptr: 10, Len: 20, MemSize: 16},
			"guestmem: mg_write: buf[ptr=10 len=20] out of range (memory is 16 bytes)",
		},
		{
			&Fault{Func: "mg_get_request_info", Param: "buf", Ptr: 3, Len: 8, MemSize: 65536, Reason: "is not 8-byte aligned"},
			"guestmem: mg_get_request_info: buf[ptr=3 len=8] is not 8-byte aligned (memory is 65536 bytes)",
		},
		{
			&Fault{Func: "mg_read", Param: "buf", Ptr: math.MaxUint32, Len: math.MaxUint32, MemSize: 0, Reason: "but the guest exports no memory"},
			"guestmem: mg_read: buf[ptr=4294967295 len=4294967295] but the guest exports no memory (memory is 0 bytes)",
		},
	}
	for _, tc := range cases {
		require.Equal(t, tc.want, tc.fault.Error())
	}

	// Through the API, the message names the call and the parameter.
	_, err := View(newMem(16), Region{Func: "mg_printf", Param: "fmt", Ptr: 8, Len: 9})
	require.EqualError(t, err, "guestmem: mg_printf: fmt[ptr=8 len=9] out of range (memory is 16 bytes)")
	var f *Fault
	require.True(t, errors.As(err, &f))
	require.True(t, strings.HasPrefix(f.Error(), "guestmem: mg_printf: fmt["))
}

// FuzzRegion checks the bounds rules for any region over a small memory.
func FuzzRegion(f *testing.F) {
	f.Add(uint32(0), uint32(0), uint16(0), uint32(0))
	f.Add(uint32(0), uint32(16), uint16(16), uint32(16))
	f.Add(uint32(15), uint32(1), uint16(16), uint32(1))
	f.Add(uint32(16), uint32(0), uint16(16), uint32(0))
	f.Add(uint32(16), uint32(1), uint16(16), uint32(1))
	f.Add(uint32(math.MaxUint32), uint32(2), uint16(64), uint32(2))
	f.Add(uint32(1<<31), uint32(1<<31), uint16(64), uint32(3))
	f.Add(uint32(4), uint32(8), uint16(100), uint32(12))
	f.Fuzz(func(t *testing.T, ptr, n uint32, memSize uint16, wlen uint32) {
		m := newMem(int(memSize % 4096))
		shadow := bytes.Clone(m.buf)
		r := region(ptr, n)
		inRange := uint64(ptr)+uint64(n) <= uint64(len(m.buf))

		v, err := View(m, r)
		if !inRange {
			var fault *Fault
			require.ErrorAs(t, err, &fault)
			require.Equal(t, uint64(ptr), fault.Ptr)
			require.Equal(t, uint64(n), fault.Len)
			require.Equal(t, uint64(len(m.buf)), fault.MemSize)
			require.Nil(t, v)
		} else {
			require.NoError(t, err)
			require.Len(t, v, int(n))
			require.Equal(t, int(n), cap(v))
			require.Equal(t, shadow[ptr:uint64(ptr)+uint64(n)], v)
			if n > 0 {
				require.Same(t, &m.buf[ptr], &v[0], "a view aliases memory")
			}
			_ = append(v, 0xEE) // must not spill into memory
			require.Equal(t, shadow, m.buf)
		}
		require.Equal(t, err == nil, Aligned(m, r, 1) == nil)

		// Write a pattern of wlen bytes (bounded, so the fuzzer cannot make
		// us allocate gigabytes).
		data := bytes.Repeat([]byte{0xAB}, int(wlen%8192))
		werr := Write(m, r, data)
		switch {
		case uint64(len(data)) > uint64(n):
			var fault *Fault
			require.ErrorAs(t, werr, &fault)
			require.Contains(t, fault.Reason, "too small")
		case !inRange:
			var fault *Fault
			require.ErrorAs(t, werr, &fault)
			require.Empty(t, fault.Reason)
		default:
			require.NoError(t, werr)
			copy(shadow[ptr:], data)
		}
		// Nothing outside [ptr, ptr+len(data)) changed; inside is the data.
		require.Equal(t, shadow, m.buf)
	})
}
