package server_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/internal/testutil"
	"github.com/civetbox/civetbox/server"
)

// blocking is a handler that holds each request until release is closed.
type blocking struct {
	entered chan struct{}
	release chan struct{}
}

func (b *blocking) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	b.entered <- struct{}{}
	<-b.release
	_, _ = io.WriteString(w, "done")
}

func get(t *testing.T, url string) (int, string, http.Header) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

// TestLimiter: two run, one waits and gets its turn, the next finds the
// queue full and is refused at once with 503 and Retry-After, and so is a
// queued request that waits too long.
func TestLimiter(t *testing.T) {
	h := &blocking{entered: make(chan struct{}, 8), release: make(chan struct{})}
	logs := &testutil.SyncBuffer{}
	l := server.NewLimiter(h, 2, 1, 300*time.Millisecond, slog.New(slog.NewTextHandler(logs, nil)))
	srv := httptest.NewServer(l)
	defer srv.Close()

	var wg sync.WaitGroup
	statuses := make(chan int, 3)
	for range 3 { // two run, the third queues
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, _, _ := get(t, srv.URL)
			statuses <- status
		}()
	}
	<-h.entered
	<-h.entered
	require.Eventually(t, func() bool { return l.Waiting() == 1 }, time.Second, time.Millisecond)

	start := time.Now()
	status, body, header := get(t, srv.URL) // queue full
	require.Equal(t, http.StatusServiceUnavailable, status)
	require.Equal(t, "Error 503: Service Unavailable\nThe server is busy; retry later.", body)
	require.Equal(t, "1", header.Get("Retry-After"))
	require.Less(t, time.Since(start), 100*time.Millisecond, "a full queue refuses at once")
	require.Contains(t, logs.String(), "why=\"queue full\"")

	close(h.release) // the two finish, the queued one runs
	wg.Wait()
	close(statuses)
	for s := range statuses {
		require.Equal(t, http.StatusOK, s)
	}
	require.EqualValues(t, 1, l.Rejected())
}

func TestLimiter_queueTimeout(t *testing.T) {
	h := &blocking{entered: make(chan struct{}, 8), release: make(chan struct{})}
	logs := &testutil.SyncBuffer{}
	l := server.NewLimiter(h, 1, 4, 100*time.Millisecond, slog.New(slog.NewTextHandler(logs, nil)))
	srv := httptest.NewServer(l)
	defer srv.Close()
	done := make(chan struct{})
	go func() {
		defer close(done)
		get(t, srv.URL)
	}()
	<-h.entered
	start := time.Now()
	status, _, header := get(t, srv.URL)
	elapsed := time.Since(start)
	require.Equal(t, http.StatusServiceUnavailable, status)
	require.Equal(t, "1", header.Get("Retry-After"))
	require.GreaterOrEqual(t, elapsed, 100*time.Millisecond)
	require.Less(t, elapsed, time.Second)
	require.Contains(t, logs.String(), "why=\"queue timeout\"")
	close(h.release)
	<-done
}
