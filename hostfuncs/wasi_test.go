package hostfuncs_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/abi"
	"github.com/civetbox/civetbox/hostfuncs"
	"github.com/civetbox/civetbox/runtime/engine"
)

// wasi calls a WASI function and returns its errno, or what it panicked with.
func wasi(t *testing.T, ctx context.Context, mem engine.Memory, name string, args ...uint64) (int32, any) {
	t.Helper()
	for _, f := range hostfuncs.WASIModule().Funcs {
		if f.Name != name {
			continue
		}
		require.Len(t, args, len(f.Params), "%s takes %v", name, f.ParamNames)
		stack := make([]uint64, max(len(f.Params), len(f.Results), 1))
		copy(stack, args)
		var panicked any
		func() {
			defer func() { panicked = recover() }()
			f.Fn(ctx, mem, stack)
		}()
		return int32(uint32(stack[0])), panicked
	}
	t.Fatalf("WASIModule() has no %s", name)
	return 0, nil
}

func wasiScope() (context.Context, *hostfuncs.Scope, *bytes.Buffer, *bytes.Buffer) {
	var stdout, stderr bytes.Buffer
	s := &hostfuncs.Scope{Stdout: &stdout, Stderr: &stderr, Clock: &hostfuncs.Clock{}}
	return hostfuncs.WithScope(context.Background(), s), s, &stdout, &stderr
}

func TestWASIModuleMatchesABI(t *testing.T) {
	mod := hostfuncs.WASIModule()
	require.Equal(t, abi.WASIModule, mod.Name)
	sigs := abi.WASIFuncs()
	require.Len(t, mod.Funcs, len(sigs))
	for i, sig := range sigs {
		require.Equal(t, sig.Name, mod.Funcs[i].Name)
		require.Equal(t, hostfuncs.EngineTypes(sig.Params), mod.Funcs[i].Params, sig.Name)
		require.Equal(t, hostfuncs.EngineTypes(sig.Results), mod.Funcs[i].Results, sig.Name)
	}
}

// putIovecs writes iovecs for the given strings at 0x100 and their data at
// 0x200, returning the iovec array's address.
func putIovecs(mem *fakeMem, parts ...string) uint64 {
	at := uint32(0x200)
	for i, p := range parts {
		copy(mem.b[at:], p)
		binary.LittleEndian.PutUint32(mem.b[0x100+8*i:], at)
		binary.LittleEndian.PutUint32(mem.b[0x100+8*i+4:], uint32(len(p)))
		at += uint32(len(p))
	}
	return 0x100
}

func TestWASIFdWrite(t *testing.T) {
	ctx, _, stdout, stderr := wasiScope()
	mem := newMem()
	iovs := putIovecs(mem, "hello, ", "world\n")
	errno, p := wasi(t, ctx, mem, "fd_write", 1, iovs, 2, 0x80)
	require.Nil(t, p)
	require.Equal(t, abi.ErrnoSuccess, errno)
	require.Equal(t, "hello, world\n", stdout.String())
	require.Equal(t, uint32(13), binary.LittleEndian.Uint32(mem.b[0x80:]), "nwritten")

	errno, _ = wasi(t, ctx, mem, "fd_write", 2, iovs, 1, 0x80)
	require.Equal(t, abi.ErrnoSuccess, errno)
	require.Equal(t, "hello, ", stderr.String())

	errno, _ = wasi(t, ctx, mem, "fd_write", 3, iovs, 1, 0x80)
	require.Equal(t, abi.ErrnoBadf, errno, "no descriptors besides stdio")

	_, p = wasi(t, ctx, mem, "fd_write", 1, 0xfffffff0, 2, 0x80)
	requireFault(t, p, "fd_write", "iovs")
	_, p = wasi(t, ctx, mem, "fd_write", 1, 0x100, 0x40000000, 0x80)
	requireFault(t, p, "fd_write", "iovs") // count*8 wraps 32 bits
	binary.LittleEndian.PutUint32(mem.b[0x104:], 0xffffffff)
	_, p = wasi(t, ctx, mem, "fd_write", 1, 0x100, 1, 0x80)
	requireFault(t, p, "fd_write", "iovs.buf")
}

func TestWASIStdio(t *testing.T) {
	ctx, _, _, _ := wasiScope()
	mem := newMem()
	iovs := putIovecs(mem, "xxxx")
	errno, _ := wasi(t, ctx, mem, "fd_read", 0, iovs, 1, 0x80)
	require.Equal(t, abi.ErrnoSuccess, errno)
	require.Zero(t, binary.LittleEndian.Uint32(mem.b[0x80:]), "stdin is at its end")
	require.Equal(t, "xxxx", string(mem.b[0x200:0x204]), "nothing read into the buffer")

	errno, _ = wasi(t, ctx, mem, "fd_fdstat_get", 1, 0x300)
	require.Equal(t, abi.ErrnoSuccess, errno)
	require.Equal(t, byte(2), mem.b[0x300], "character device")
	require.Equal(t, uint64(1<<6), binary.LittleEndian.Uint64(mem.b[0x308:]), "fd_write right")

	tests := []struct {
		name string
		args []uint64
		want int32
	}{
		{"fd_fdstat_get", []uint64{3, 0x300}, abi.ErrnoBadf},
		{"fd_close", []uint64{1}, abi.ErrnoSuccess},
		{"fd_close", []uint64{9}, abi.ErrnoBadf},
		{"fd_seek", []uint64{1, 0, 0, 0x80}, abi.ErrnoSpipe},
		{"fd_tell", []uint64{4, 0x80}, abi.ErrnoBadf},
		{"fd_prestat_get", []uint64{3, 0x80}, abi.ErrnoBadf}, // no preopens
		{"fd_filestat_get", []uint64{1, 0x80}, abi.ErrnoNotsup},
		{"path_open", []uint64{3, 0, 0x80, 1, 0, 0, 0, 0, 0x90}, abi.ErrnoBadf},
		{"sock_recv", []uint64{3, 0, 0, 0, 0, 0}, abi.ErrnoBadf},
		{"proc_raise", []uint64{9}, abi.ErrnoNosys},
		{"sched_yield", nil, abi.ErrnoSuccess},
	}
	for _, tc := range tests {
		errno, p := wasi(t, ctx, mem, tc.name, tc.args...)
		require.Nil(t, p, tc.name)
		require.Equal(t, tc.want, errno, "%s%v", tc.name, tc.args)
	}
}

func TestWASIArgsAndEnvironAreEmpty(t *testing.T) {
	ctx, _, _, _ := wasiScope()
	mem := newMem()
	for _, name := range []string{"args_sizes_get", "environ_sizes_get"} {
		binary.LittleEndian.PutUint64(mem.b[0x80:], ^uint64(0))
		errno, _ := wasi(t, ctx, mem, name, 0x80, 0x84)
		require.Equal(t, abi.ErrnoSuccess, errno)
		require.Zero(t, binary.LittleEndian.Uint64(mem.b[0x80:]), name)
	}
	errno, p := wasi(t, ctx, mem, "environ_get", 0x100, 0x200)
	require.Nil(t, p)
	require.Equal(t, abi.ErrnoSuccess, errno)
	require.Equal(t, make([]byte, 0x200), mem.b[0x100:0x300], "nothing written")
}

// envScope is a scope whose module was granted env.
func envScope(env ...string) context.Context {
	ctx, s, _, _ := wasiScope()
	s.Grants = &hostfuncs.Grants{Env: env}
	return ctx
}

// TestWASIEnviron: the guest gets exactly the granted variables, as wasi-libc
// reads them: sizes first, then pointers into one buffer of NUL-terminated
// strings.
func TestWASIEnviron(t *testing.T) {
	ctx := envScope("X=1", "EMPTY=", "EQ=a=b")
	mem := newMem()
	errno, p := wasi(t, ctx, mem, "environ_sizes_get", 0x80, 0x84)
	require.Nil(t, p)
	require.Equal(t, abi.ErrnoSuccess, errno)
	require.Equal(t, uint32(3), binary.LittleEndian.Uint32(mem.b[0x80:]), "environc")
	require.Equal(t, uint32(len("X=1\x00EMPTY=\x00EQ=a=b\x00")), binary.LittleEndian.Uint32(mem.b[0x84:]), "environ_buf_size")

	errno, p = wasi(t, ctx, mem, "environ_get", 0x100, 0x200)
	require.Nil(t, p)
	require.Equal(t, abi.ErrnoSuccess, errno)
	require.Equal(t, "X=1\x00EMPTY=\x00EQ=a=b\x00", string(mem.b[0x200:0x212]))
	require.Zero(t, mem.b[0x212], "nothing written past the strings")
	for i, want := range []uint32{0x200, 0x204, 0x20b} {
		require.Equal(t, want, binary.LittleEndian.Uint32(mem.b[0x100+4*i:]), "environ[%d]", i)
	}
	require.Zero(t, binary.LittleEndian.Uint32(mem.b[0x10c:]), "nothing written past the pointers")
}

// TestWASIEnvironBadPointers: every pointer is validated, and a bad one
// traps before anything is written.
func TestWASIEnvironBadPointers(t *testing.T) {
	ctx := envScope("X=1", "Y=2")
	tests := []struct {
		name, param string
		args        []uint64
	}{
		{"environ_sizes_get", "environc", []uint64{badPtr, 0x84}},
		{"environ_sizes_get", "environ_buf_size", []uint64{0x80, badPtr}},
		{"environ_sizes_get", "environ_buf_size", []uint64{0x80, memSize - 2}},
		{"environ_get", "environ", []uint64{badPtr, 0x200}},
		{"environ_get", "environ", []uint64{memSize - 4, 0x200}}, // room for one pointer of two
		{"environ_get", "environ_buf", []uint64{0x100, badPtr}},
		{"environ_get", "environ_buf", []uint64{0x100, memSize - 4}}, // room for "X=1\0" only
		{"environ_get", "environ_buf", []uint64{0x100, 0xfffffffc}},  // pointer plus length wraps
	}
	for _, tc := range tests {
		mem := newMem()
		_, p := wasi(t, ctx, mem, tc.name, tc.args...)
		requireFault(t, p, tc.name, tc.param)
		require.Equal(t, make([]byte, memSize), mem.b, "%s%v wrote before trapping", tc.name, tc.args)
	}
}

func TestWASIClocks(t *testing.T) {
	ctx, _, _, _ := wasiScope()
	mem := newMem()
	read := func(id uint64) uint64 { return readClock(t, ctx, mem, id) }
	first := read(0)
	require.Equal(t, hostfuncs.ClockEpoch.Add(time.Millisecond), time.Unix(0, int64(first)).UTC())
	require.Equal(t, uint64(time.Millisecond), read(0)-first, "realtime advances 1 ms per read")
	require.Equal(t, uint64(3*time.Millisecond), read(1), "monotonic counts the same reads")
	errno, _ := wasi(t, ctx, mem, "clock_time_get", 2, 0, 0x80)
	require.Equal(t, abi.ErrnoInval, errno, "no CPU-time clocks")
	errno, _ = wasi(t, ctx, mem, "clock_res_get", 1, 0x88)
	require.Equal(t, abi.ErrnoSuccess, errno)
	require.Equal(t, uint64(time.Millisecond), binary.LittleEndian.Uint64(mem.b[0x88:]))
}

// readClock reads clock id through clock_time_get, which must succeed.
func readClock(t *testing.T, ctx context.Context, mem *fakeMem, id uint64) uint64 {
	t.Helper()
	errno, p := wasi(t, ctx, mem, "clock_time_get", id, 0, 0x80)
	require.Nil(t, p)
	require.Equal(t, abi.ErrnoSuccess, errno)
	return binary.LittleEndian.Uint64(mem.b[0x80:])
}

// TestWASIRealClock: a real clock reads the host's time, to the millisecond;
// monotonic starts near 0 and does not go back.
func TestWASIRealClock(t *testing.T) {
	ctx, s, _, _ := wasiScope()
	s.Clock = &hostfuncs.Clock{Real: true}
	mem := newMem()
	read := func(id uint64) uint64 { return readClock(t, ctx, mem, id) }
	mono := read(1)
	require.Less(t, mono, uint64(time.Second), "monotonic counts from the first read")
	realtime := read(0)
	require.WithinDuration(t, time.Now(), time.Unix(0, int64(realtime)), time.Second)
	require.Zero(t, realtime%uint64(time.Millisecond), "realtime is coarsened to 1 ms")
	time.Sleep(5 * time.Millisecond)
	later := read(1)
	require.GreaterOrEqual(t, later, mono+uint64(4*time.Millisecond))
	require.Zero(t, later%uint64(time.Millisecond), "monotonic is coarsened to 1 ms")
	errno, _ := wasi(t, ctx, mem, "clock_time_get", 2, 0, 0x80)
	require.Equal(t, abi.ErrnoInval, errno, "no CPU-time clocks")
	errno, _ = wasi(t, ctx, mem, "clock_res_get", 0, 0x88)
	require.Equal(t, abi.ErrnoSuccess, errno)
	require.Equal(t, uint64(time.Millisecond), binary.LittleEndian.Uint64(mem.b[0x88:]))
}

// TestWASIPollOneoffRealClock: an absolute sleep on a real clock waits until
// that time, and the clock is not advanced on top of the real time passed.
func TestWASIPollOneoffRealClock(t *testing.T) {
	ctx, s, _, _ := wasiScope()
	s.Clock = &hostfuncs.Clock{Real: true}
	mem := newMem()
	sub := mem.b[0x100:]
	sub[8] = 0                                                                                      // clock
	binary.LittleEndian.PutUint32(sub[16:], 0)                                                      // realtime
	binary.LittleEndian.PutUint64(sub[24:], uint64(time.Now().Add(30*time.Millisecond).UnixNano())) // deadline
	binary.LittleEndian.PutUint16(sub[40:], 1)                                                      // abstime
	start := time.Now()
	errno, p := wasi(t, ctx, mem, "poll_oneoff", 0x100, 0x200, 1, 0x80)
	require.Nil(t, p)
	require.Equal(t, abi.ErrnoSuccess, errno)
	require.GreaterOrEqual(t, time.Since(start), 25*time.Millisecond)
	require.Less(t, time.Since(start), time.Second)
	errno, _ = wasi(t, ctx, mem, "clock_time_get", 0, 0, 0x90)
	require.Equal(t, abi.ErrnoSuccess, errno)
	require.WithinDuration(t, time.Now(), time.Unix(0, int64(binary.LittleEndian.Uint64(mem.b[0x90:]))), 100*time.Millisecond)
}

func TestWASIRandom(t *testing.T) {
	ctx, _, _, _ := wasiScope()
	mem := newMem()
	errno, _ := wasi(t, ctx, mem, "random_get", 0x100, 64)
	require.Equal(t, abi.ErrnoSuccess, errno)
	require.NotEqual(t, make([]byte, 64), mem.b[0x100:0x140])
	require.Zero(t, mem.b[0x140], "nothing written past the buffer")
	_, p := wasi(t, ctx, mem, "random_get", memSize-8, 64)
	requireFault(t, p, "random_get", "buf")
}

// TestWASIPollOneoff sleeps on a clock subscription, bounded by the call's
// context, and advances the instance's clock by the time slept.
func TestWASIPollOneoff(t *testing.T) {
	ctx, s, _, _ := wasiScope()
	mem := newMem()
	sub := mem.b[0x100:]
	binary.LittleEndian.PutUint64(sub, 42)                               // userdata
	sub[8] = 0                                                           // clock
	binary.LittleEndian.PutUint32(sub[16:], 1)                           // monotonic
	binary.LittleEndian.PutUint64(sub[24:], uint64(20*time.Millisecond)) // timeout
	start := time.Now()
	errno, p := wasi(t, ctx, mem, "poll_oneoff", 0x100, 0x200, 1, 0x80)
	require.Nil(t, p)
	require.Equal(t, abi.ErrnoSuccess, errno)
	require.GreaterOrEqual(t, time.Since(start), 20*time.Millisecond)
	require.Equal(t, uint32(1), binary.LittleEndian.Uint32(mem.b[0x80:]), "nevents")
	require.Equal(t, uint64(42), binary.LittleEndian.Uint64(mem.b[0x200:]), "event userdata")
	errno, _ = wasi(t, hostfuncs.WithScope(context.Background(), s), mem, "clock_time_get", 1, 0, 0x90)
	require.Equal(t, abi.ErrnoSuccess, errno)
	require.GreaterOrEqual(t, binary.LittleEndian.Uint64(mem.b[0x90:]), uint64(20*time.Millisecond))

	// A sleep longer than the call's context ends with the context.
	binary.LittleEndian.PutUint64(sub[24:], uint64(time.Hour))
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	start = time.Now()
	_, _ = wasi(t, short, mem, "poll_oneoff", 0x100, 0x200, 1, 0x80)
	require.Less(t, time.Since(start), time.Second)

	errno, _ = wasi(t, ctx, mem, "poll_oneoff", 0x100, 0x200, 0, 0x80)
	require.Equal(t, abi.ErrnoInval, errno, "no subscriptions")
}

func TestWASIProcExit(t *testing.T) {
	ctx, _, _, _ := wasiScope()
	_, p := wasi(t, ctx, newMem(), "proc_exit", 3)
	trap, ok := p.(*engine.TrapError)
	require.True(t, ok, "proc_exit panicked with %T", p)
	require.Equal(t, engine.TrapExit, trap.Kind)
	require.Equal(t, uint32(3), trap.ExitCode)
}
