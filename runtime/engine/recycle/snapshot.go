// Package recycle lets an engine adapter hand out a closed instance again
// as a new one: it keeps the state of a module's first instance right after
// instantiation (a Snapshot: linear memory and mutable globals), and a
// bounded set of idle instances already returned to it (a Pool).
//
// The adapter owns what only it can do: reading and writing its engine's
// memory and globals, and deciding that an instance may be reset at all
// (wasmbin.ResetPlan: every mutable global exported, no instruction that
// changes a table or drops a segment, no start function; and for each
// instance, no failed call and no grown memory).
package recycle

// Snapshot is an instance's memory and mutable globals right after
// instantiation, before any guest code ran.
type Snapshot struct {
	memSize uint32
	data    []run // the non-zero bytes of memory; the rest is zero
	globals []uint64
}

type run struct {
	offset uint32
	bytes  []byte
}

// NewSnapshot copies the state of an instance: its whole memory and the
// values of its mutable globals, in the order the adapter sets them back.
func NewSnapshot(memory []byte, globals []uint64) *Snapshot {
	return &Snapshot{memSize: uint32(len(memory)), data: nonZeroRuns(memory), globals: append([]uint64(nil), globals...)}
}

// MemorySize is the memory's size in bytes; an instance whose memory has
// another size cannot be restored (memories do not shrink).
func (s *Snapshot) MemorySize() uint32 { return s.memSize }

// Globals are the globals' values, in NewSnapshot's order. Callers must
// not change them.
func (s *Snapshot) Globals() []uint64 { return s.globals }

// RestoreMemory overwrites memory, MemorySize bytes long, with the
// snapshot's: it clears all of it (the guest may have written anywhere)
// and copies the data back.
func (s *Snapshot) RestoreMemory(memory []byte) {
	memory = memory[:s.memSize]
	clear(memory)
	for _, r := range s.data {
		copy(memory[r.offset:], r.bytes)
	}
}

// nonZeroRuns returns the non-zero stretches of b, joining those fewer
// than 64 zero bytes apart: a new memory is mostly zero, its data segments
// a few runs.
func nonZeroRuns(b []byte) []run {
	const gap = 64
	var runs []run
	for i := 0; i < len(b); {
		if b[i] == 0 {
			i++
			continue
		}
		start, end := i, i+1
		for j := end; j < len(b) && j-end < gap; j++ {
			if b[j] != 0 {
				end = j + 1
			}
		}
		runs = append(runs, run{offset: uint32(start), bytes: append([]byte(nil), b[start:end]...)})
		i = end
	}
	return runs
}
