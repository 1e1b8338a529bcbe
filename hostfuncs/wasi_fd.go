package hostfuncs

import (
	"context"
	"encoding/binary"
	"io"

	"github.com/civetbox/civetbox/abi"
	"github.com/civetbox/civetbox/internal/guestmem"
	"github.com/civetbox/civetbox/runtime/engine"
)

// WASI layouts and flags (preview 1).
const (
	iovecSize          = 8  // struct iovec { u32 buf; u32 buf_len; }
	fdstatSize         = 24 // struct fdstat
	filetypeCharDevice = 2
	rightFdRead        = 1 << 1
	rightFdWrite       = 1 << 6
)

// wasiFdWrite writes to stdout (1) or stderr (2), which go to the server
// log through the scope's writers.
func wasiFdWrite(ctx context.Context, mem engine.Memory, stack []uint64) {
	const fn = "fd_write"
	s := scopeOf(ctx, fn)
	var w io.Writer
	switch u32(stack[0]) {
	case 1:
		w = s.Stdout
	case 2:
		w = s.Stderr
	default:
		stack[0] = i32(abi.ErrnoBadf)
		return
	}
	total := uint32(0)
	for _, buf := range iovecs(mem, fn, u32(stack[1]), u32(stack[2])) {
		if w != nil {
			_, _ = w.Write(buf)
		}
		total += uint32(len(buf))
	}
	putU32(mem, fn, "nwritten", u32(stack[3]), total)
	stack[0] = i32(abi.ErrnoSuccess)
}

// wasiFdRead reads stdin, which is always at its end.
func wasiFdRead(_ context.Context, mem engine.Memory, stack []uint64) {
	const fn = "fd_read"
	if u32(stack[0]) != 0 {
		stack[0] = i32(abi.ErrnoBadf)
		return
	}
	iovecs(mem, fn, u32(stack[1]), u32(stack[2])) // validated, left untouched
	putU32(mem, fn, "nread", u32(stack[3]), 0)
	stack[0] = i32(abi.ErrnoSuccess)
}

// iovecs returns the guest buffers an iovec array names, each validated.
func iovecs(mem engine.Memory, fn string, ptr, count uint32) [][]byte {
	arr, err := guestmem.Array(mem, guestmem.Region{Func: fn, Param: "iovs", Ptr: ptr, Len: count}, iovecSize)
	if err != nil {
		trap(err)
	}
	// Copy the descriptors first: the buffers they name may overlap them.
	descs := append([]byte(nil), arr...)
	bufs := make([][]byte, count)
	for i := range bufs {
		d := descs[i*iovecSize:]
		bufs[i] = view(mem, guestmem.Region{Func: fn, Param: "iovs.buf",
			Ptr: binary.LittleEndian.Uint32(d), Len: binary.LittleEndian.Uint32(d[4:])})
	}
	return bufs
}

// wasiFdClose accepts closing stdio (wasi-libc does at exit) and nothing else.
func wasiFdClose(_ context.Context, _ engine.Memory, stack []uint64) {
	stack[0] = i32(stdioErrno(stack[0], abi.ErrnoSuccess))
}

// wasiFdSeekOrTell: stdio cannot seek, and there are no other files.
func wasiFdSeekOrTell(_ context.Context, _ engine.Memory, stack []uint64) {
	stack[0] = i32(stdioErrno(stack[0], abi.ErrnoSpipe))
}

// wasiFdFdstatGet describes stdio as character devices (so wasi-libc treats
// them as terminals and line-buffers them).
func wasiFdFdstatGet(_ context.Context, mem engine.Memory, stack []uint64) {
	const fn = "fd_fdstat_get"
	fd := u32(stack[0])
	if fd > 2 {
		stack[0] = i32(abi.ErrnoBadf)
		return
	}
	var st [fdstatSize]byte
	st[0] = filetypeCharDevice
	rights := uint64(rightFdWrite)
	if fd == 0 {
		rights = rightFdRead
	}
	binary.LittleEndian.PutUint64(st[8:], rights)
	if err := guestmem.Write(mem, guestmem.Region{Func: fn, Param: "stat", Ptr: u32(stack[1]), Len: fdstatSize}, st[:]); err != nil {
		trap(err)
	}
	stack[0] = i32(abi.ErrnoSuccess)
}

// stdioErrno is onStdio for descriptors 0-2 and EBADF for any other.
func stdioErrno(fd uint64, onStdio int32) int32 {
	if isStdio(fd) {
		return onStdio
	}
	return abi.ErrnoBadf
}

func putU32(mem engine.Memory, fn, param string, ptr, v uint32) {
	if err := guestmem.PutUint32(mem, fn, param, ptr, v); err != nil {
		trap(err)
	}
}

func putU64(mem engine.Memory, fn, param string, ptr uint32, v uint64) {
	if err := guestmem.PutUint64(mem, fn, param, ptr, v); err != nil {
		trap(err)
	}
}
