package recycle

import (
	"bytes"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSnapshot_restoresMemory: whatever was written, RestoreMemory brings
// back the snapshot's bytes, and the snapshot keeps its own copy.
func TestSnapshot_restoresMemory(t *testing.T) {
	mem := make([]byte, 4096)
	copy(mem[100:], "data segment")
	copy(mem[4000:], "another")
	mem[4095] = 9
	want := bytes.Clone(mem)
	s := NewSnapshot(mem, []uint64{1, 2})
	mem[0] = 1 // after the snapshot: not part of it
	require.Equal(t, uint32(4096), s.MemorySize())
	require.Equal(t, []uint64{1, 2}, s.Globals())
	for _, fill := range []byte{0, 0xff, 0x5a} {
		for i := range mem {
			mem[i] = fill
		}
		s.RestoreMemory(mem)
		require.Equal(t, want, mem)
	}
}

// TestNonZeroRuns: runs cover every non-zero byte, and only short gaps are
// joined.
func TestNonZeroRuns(t *testing.T) {
	b := make([]byte, 1000)
	b[0], b[10], b[100], b[300], b[999] = 1, 2, 3, 4, 5
	require.Equal(t, []run{{0, b[0:11]}, {100, b[100:101]}, {300, b[300:301]}, {999, b[999:1000]}}, nonZeroRuns(b))
	require.Empty(t, nonZeroRuns(make([]byte, 100)))
}

func snap() (*Snapshot, string) { return NewSnapshot(make([]byte, 64), nil), "" }

// inst is a test instance: its number, and how often it was reopened.
type inst struct{ n, reopened int }

func (i *inst) Reopen() { i.reopened++ }

// TestPool_keepsNothingWithoutSnapshot: instances are only kept once a
// snapshot exists, and a module that gave none says why.
func TestPool_keepsNothingWithoutSnapshot(t *testing.T) {
	p := NewPool[*inst](&Limit{}, "")
	require.False(t, p.Put(&inst{}), "no snapshot yet")
	p.Capture(func() (*Snapshot, string) { return nil, "too big" })
	p.Capture(snap) // only the first capture counts
	require.Nil(t, p.Snapshot())
	require.Equal(t, "too big", p.Blocker())
	require.False(t, p.HasRoom())
	require.False(t, p.Put(&inst{}))

	refused := NewPool[*inst](&Limit{}, "the module uses table.grow")
	refused.Capture(snap) // never taken
	require.Nil(t, refused.Snapshot())
	require.Equal(t, "the module uses table.grow", refused.Blocker())
	require.False(t, refused.Put(&inst{}))
}

// TestPool_bounds: a pool keeps at most MaxIdlePerModule instances, all
// pools of a limit at most MaxIdlePerEngine, and Close hands back the idle
// ones and keeps nothing after.
func TestPool_bounds(t *testing.T) {
	limit := &Limit{}
	var pools []*Pool[*inst]
	kept := 0
	for range MaxIdlePerEngine/MaxIdlePerModule + 2 {
		p := NewPool[*inst](limit, "")
		p.Capture(snap)
		pools = append(pools, p)
		for i := range MaxIdlePerModule + 1 {
			if p.Put(&inst{n: i}) {
				kept++
			}
		}
		require.LessOrEqual(t, len(p.idle), MaxIdlePerModule)
	}
	require.Equal(t, MaxIdlePerEngine, kept)
	require.Equal(t, int64(MaxIdlePerEngine), limit.Idle())
	in, ok := pools[0].Get()
	require.True(t, ok)
	require.Equal(t, MaxIdlePerModule-1, in.n, "last in, first out")
	require.Equal(t, 1, in.reopened, "Get reopens")
	require.Equal(t, int64(MaxIdlePerEngine-1), limit.Idle())
	require.Len(t, pools[0].Close(), MaxIdlePerModule-1)
	require.False(t, pools[0].Put(&inst{}), "closed")
	_, ok = pools[0].Get()
	require.False(t, ok)
	require.Equal(t, int64(MaxIdlePerEngine-MaxIdlePerModule), limit.Idle())
}

// TestPool_concurrent: instances put and got concurrently are each handed
// out once.
func TestPool_concurrent(t *testing.T) {
	p := NewPool[*inst](&Limit{}, "")
	p.Capture(snap)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 1000 {
				in, ok := p.Get()
				if !ok {
					in = &inst{}
				}
				in.n++ // the race detector sees two holders of one instance
				p.Put(in)
			}
		})
	}
	wg.Wait()
	require.LessOrEqual(t, len(p.idle), MaxIdlePerModule)
}

// TestPool_engineBoundUnderConcurrency: pools of one engine putting at the
// same time never keep more than MaxIdlePerEngine between them.
func TestPool_engineBoundUnderConcurrency(t *testing.T) {
	limit := &Limit{}
	pools := make([]*Pool[*inst], 4*MaxIdlePerEngine/MaxIdlePerModule)
	var wg sync.WaitGroup
	for i := range pools {
		pools[i] = NewPool[*inst](limit, "")
		pools[i].Capture(snap)
		wg.Go(func() {
			for range MaxIdlePerModule {
				pools[i].Put(&inst{})
			}
		})
	}
	wg.Wait()
	kept := 0
	for _, p := range pools {
		kept += p.Len()
	}
	require.Equal(t, MaxIdlePerEngine, kept)
	require.Equal(t, int64(MaxIdlePerEngine), limit.Idle())
}
