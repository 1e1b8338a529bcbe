package hostfuncs

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"time"

	"github.com/civetbox/civetbox/abi"
	"github.com/civetbox/civetbox/internal/guestmem"
	"github.com/civetbox/civetbox/runtime/engine"
)

// WASI clock ids.
const (
	clockRealtime  = 0
	clockMonotonic = 1
)

// Clock is one instance's view of time. By default it is deterministic and
// coarse, so a guest can neither time other tenants nor tell when it runs:
// realtime starts at 2022-01-01T00:00:00Z and monotonic at 0; both advance
// 1 ms per read and by the time the guest sleeps. A Real clock reads the
// host's time instead, for modules that opt in, still only to the
// millisecond so that timing side channels stay coarse. The zero value is a
// ready fake clock; it is used by one guest call at a time.
type Clock struct {
	// Real selects the host's time; set it before the first read.
	Real bool
	// elapsed is how far a fake clock has advanced.
	elapsed time.Duration
	// origin is a real clock's monotonic zero: its first read, so the guest
	// learns nothing about the host's uptime.
	origin time.Time
}

// ClockEpoch is where the fake realtime clock starts.
var ClockEpoch = time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)

// clockTick is the clocks' resolution, and how much a fake clock advances
// per read.
const clockTick = time.Millisecond

// read returns clock id's time in nanoseconds, or false for a clock id the
// guest may not read.
func (c *Clock) read(id uint32) (uint64, bool) {
	if c.Real {
		return c.readReal(id)
	}
	c.elapsed += clockTick
	switch id {
	case clockRealtime:
		return uint64(ClockEpoch.Add(c.elapsed).UnixNano()), true
	case clockMonotonic:
		return uint64(c.elapsed), true
	}
	return 0, false
}

// readReal reads the host's wall clock or its monotonic clock (counted from
// the first read), truncated to clockTick.
func (c *Clock) readReal(id uint32) (uint64, bool) {
	now := time.Now()
	if c.origin.IsZero() {
		c.origin = now
	}
	switch id {
	case clockRealtime:
		return uint64(now.Truncate(clockTick).UnixNano()), true
	case clockMonotonic:
		return uint64(now.Sub(c.origin).Truncate(clockTick)), true
	}
	return 0, false
}

// slept accounts for the guest having slept d: a fake clock moves by d, a
// real one has moved by itself.
func (c *Clock) slept(d time.Duration) {
	if !c.Real {
		c.elapsed += d
	}
}

func wasiClockResGet(_ context.Context, mem engine.Memory, stack []uint64) {
	if id := u32(stack[0]); id != clockRealtime && id != clockMonotonic {
		stack[0] = i32(abi.ErrnoInval)
		return
	}
	putU64(mem, "clock_res_get", "resolution", u32(stack[1]), uint64(clockTick))
	stack[0] = i32(abi.ErrnoSuccess)
}

func wasiClockTimeGet(ctx context.Context, mem engine.Memory, stack []uint64) {
	s := scopeOf(ctx, "clock_time_get")
	now, ok := s.clock().read(u32(stack[0]))
	if !ok {
		stack[0] = i32(abi.ErrnoInval)
		return
	}
	putU64(mem, "clock_time_get", "time", u32(stack[2]), now)
	stack[0] = i32(abi.ErrnoSuccess)
}

// wasiRandomGet fills the buffer from the host's cryptographic generator.
func wasiRandomGet(_ context.Context, mem engine.Memory, stack []uint64) {
	buf := view(mem, guestmem.Region{Func: "random_get", Param: "buf", Ptr: u32(stack[0]), Len: u32(stack[1])})
	_, _ = rand.Read(buf)
	stack[0] = i32(abi.ErrnoSuccess)
}

// wasiProcExit ends the guest call like a trap: the request fails unless its
// response was complete, and the instance is discarded.
func wasiProcExit(_ context.Context, _ engine.Memory, stack []uint64) {
	trap(&engine.TrapError{Kind: engine.TrapExit, ExitCode: u32(stack[0])})
}

// poll_oneoff layouts (WASI preview 1).
const (
	subscriptionSize = 48 // userdata u64, tag u8, clock {id u32 @16, timeout u64 @24, precision u64 @32, flags u16 @40}
	eventSize        = 32 // userdata u64, error u16 @8, type u8 @10
	eventClock       = 0
	subclockAbstime  = 1
)

// wasiPollOneoff supports what sleep() and nanosleep() need: clock
// subscriptions. It sleeps until the earliest one, but never past the
// request deadline, and reports that one. Descriptor subscriptions fail
// with EBADF events at once.
func wasiPollOneoff(ctx context.Context, mem engine.Memory, stack []uint64) {
	const fn = "poll_oneoff"
	s := scopeOf(ctx, fn)
	n := u32(stack[2])
	if n == 0 {
		stack[0] = i32(abi.ErrnoInval)
		return
	}
	in, err := guestmem.Array(mem, guestmem.Region{Func: fn, Param: "in", Ptr: u32(stack[0]), Len: n}, subscriptionSize)
	if err != nil {
		trap(err)
	}
	subs := append([]byte(nil), in...)
	events := pollEvents(ctx, s.clock(), subs)
	if err := guestmem.Write(mem, guestmem.Region{Func: fn, Param: "out", Ptr: u32(stack[1]), Len: n * eventSize}, events); err != nil {
		trap(err)
	}
	putU32(mem, fn, "nevents", u32(stack[3]), uint32(len(events)/eventSize))
	stack[0] = i32(abi.ErrnoSuccess)
}

// pollEvents answers the subscriptions and returns the encoded events.
func pollEvents(ctx context.Context, clock *Clock, subs []byte) []byte {
	var events []byte
	earliest, wait := -1, time.Duration(-1)
	for i := 0; i < len(subs); i += subscriptionSize {
		sub := subs[i : i+subscriptionSize]
		if sub[8] != eventClock {
			events = appendEvent(events, sub, abi.ErrnoBadf)
			continue
		}
		d := clockWait(clock, sub)
		if wait < 0 || d < wait {
			earliest, wait = i, d
		}
	}
	if len(events) > 0 || earliest < 0 {
		return events
	}
	sleep(ctx, wait)
	clock.slept(wait)
	return appendEvent(events, subs[earliest:earliest+subscriptionSize], abi.ErrnoSuccess)
}

// clockWait is how long a clock subscription asks to wait.
func clockWait(clock *Clock, sub []byte) time.Duration {
	timeout := time.Duration(binary.LittleEndian.Uint64(sub[24:]))
	if binary.LittleEndian.Uint16(sub[40:])&subclockAbstime != 0 {
		now, _ := clock.read(binary.LittleEndian.Uint32(sub[16:]))
		timeout -= time.Duration(now)
	}
	return max(timeout, 0)
}

func appendEvent(events, sub []byte, errno int32) []byte {
	var ev [eventSize]byte
	copy(ev[:8], sub[:8]) // userdata
	binary.LittleEndian.PutUint16(ev[8:], uint16(errno))
	ev[10] = sub[8] // type = the subscription's tag
	return append(events, ev[:]...)
}

// sleep waits d or until ctx is done, whichever comes first.
func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
