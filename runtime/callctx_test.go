package runtime

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/hostfuncs"
)

func TestCallContextDeadline(t *testing.T) {
	var c callContext
	c.init(context.Background(), 20*time.Millisecond)
	defer c.release()
	require.NoError(t, c.Err())
	select {
	case <-c.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("Done was not closed at the deadline")
	}
	require.ErrorIs(t, c.Err(), context.DeadlineExceeded)
}

func TestCallContextParentCanceled(t *testing.T) {
	parent, cancel := context.WithCancel(context.Background())
	var c callContext
	c.init(parent, time.Hour)
	defer c.release()
	done := c.Done()
	cancel()
	<-done
	require.ErrorIs(t, c.Err(), context.Canceled)
}

func TestCallContextEarlierParentDeadline(t *testing.T) {
	parent, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var c callContext
	c.init(parent, time.Hour)
	want, _ := parent.Deadline()
	got, ok := c.Deadline()
	require.True(t, ok)
	require.Equal(t, want, got)
}

func TestCallContextScope(t *testing.T) {
	var c callContext
	c.init(context.Background(), time.Hour)
	s := &hostfuncs.Scope{RequestID: 7}
	ctx := withScope(&c, s)
	require.Same(t, context.Context(&c), ctx, "no new context for the first scope")
	inner := &hostfuncs.Scope{RequestID: 8}
	nested := withScope(ctx, inner)
	require.NotSame(t, ctx, nested)
	endScope(nested) // a WithValue context: nothing to end
	endScope(ctx)
	require.Nil(t, c.Value(struct{}{}))
}

// deadlineOnly has a deadline but never reports it through Err, so only the
// callContext's own clock check can.
type deadlineOnly struct {
	context.Context
	at time.Time
}

func (d deadlineOnly) Deadline() (time.Time, bool) { return d.at, true }

func TestCallContextErrAtEarlierParentDeadline(t *testing.T) {
	var passed callContext
	passed.init(deadlineOnly{context.Background(), time.Now().Add(-time.Millisecond)}, time.Hour)
	require.ErrorIs(t, passed.Err(), context.DeadlineExceeded, "a parent deadline already past")

	var c callContext
	c.init(deadlineOnly{context.Background(), time.Now().Add(20 * time.Millisecond)}, time.Hour)
	require.NoError(t, c.Err())
	time.Sleep(30 * time.Millisecond)
	require.ErrorIs(t, c.Err(), context.DeadlineExceeded)
}
