package wazero

import (
	"sync"

	"github.com/tetratelabs/wazero/experimental"
)

// memoryPool recycles the linear memories of closed instances, so a fresh
// instance per request costs no Go heap allocation for its memory and the
// garbage collector no churn: allocating and zeroing a new []byte per
// instance made up most of fresh-mode dispatch time.
//
// Isolation rests on one invariant: a buffer in the pool is zero up to its
// capacity. Free clears what the instance could have written (its length,
// which only grows) before the buffer goes back.
type memoryPool struct {
	mu   sync.Mutex
	free [][]byte // zeroed, length 0
}

// Bounds on what the pool keeps: enough buffers for every concurrently
// served request on a small server, none so large that an idle pool holds
// much memory. Bigger memories are left to the garbage collector.
const (
	maxPooledMemories = 64
	maxPooledBytes    = 8 << 20
)

var _ experimental.MemoryAllocator = (*memoryPool)(nil)

// Allocate implements experimental.MemoryAllocator. The memory takes a
// buffer on its first Reallocate, which wazero makes at once.
func (p *memoryPool) Allocate(_, max uint64) experimental.LinearMemory {
	return &pooledMemory{pool: p, max: max}
}

// get returns a zeroed buffer of length size, from the pool if one is big
// enough.
func (p *memoryPool) get(size uint64) []byte {
	p.mu.Lock()
	for i := len(p.free) - 1; i >= 0; i-- {
		if b := p.free[i]; uint64(cap(b)) >= size {
			p.free[i] = p.free[len(p.free)-1]
			p.free = p.free[:len(p.free)-1]
			p.mu.Unlock()
			return b[:size]
		}
	}
	p.mu.Unlock()
	return make([]byte, size)
}

// put clears b's written part and keeps it for another instance.
func (p *memoryPool) put(b []byte) {
	if cap(b) > maxPooledBytes {
		return
	}
	clear(b)
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.free) < maxPooledMemories {
		p.free = append(p.free, b[:0])
	}
}

// pooledMemory is one instance's linear memory.
type pooledMemory struct {
	pool *memoryPool
	buf  []byte // len is the memory's size
	max  uint64
}

// Reallocate implements experimental.LinearMemory: it sets the memory's
// size, keeping its contents. Bytes past the old size are zero because
// pooled buffers are zero beyond their length.
func (m *pooledMemory) Reallocate(size uint64) []byte {
	switch {
	case size > m.max:
		return nil // wazero checks the maximum first; be safe anyway
	case m.buf == nil:
		m.buf = m.pool.get(size)
	case size <= uint64(cap(m.buf)):
		m.buf = m.buf[:size]
	default:
		// Growing past the buffer: copy into a larger one, with room to
		// grow again, and leave the old one to the garbage collector (a
		// host function's view of it may not outlive the call, but it
		// costs nothing to be sure).
		grown := make([]byte, size, min(size+size/2, m.max))
		copy(grown, m.buf)
		m.buf = grown
	}
	return m.buf
}

// Free implements experimental.LinearMemory; wazero calls it when the
// instance closes.
func (m *pooledMemory) Free() {
	if m.buf != nil {
		m.pool.put(m.buf)
		m.buf = nil
	}
}
