package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/server"
)

func TestSwappable(t *testing.T) {
	h1 := &blocking{entered: make(chan struct{}, 1), release: make(chan struct{})}
	s := server.NewSwappable(h1)
	srv := httptest.NewServer(s)
	defer srv.Close()

	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // a request in flight on the old handler
		defer wg.Done()
		status, body, _ := get(t, srv.URL)
		require.Equal(t, http.StatusOK, status)
		require.Equal(t, "done", body)
	}()
	<-h1.entered

	waitOld := s.Swap(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "new") }))
	_, body, _ := get(t, srv.URL)
	require.Equal(t, "new", body, "new requests reach the new handler at once")

	idle := make(chan struct{})
	go func() { waitOld(); close(idle) }()
	select {
	case <-idle:
		t.Fatal("the old handler was reported idle with a request in flight")
	case <-time.After(50 * time.Millisecond):
	}
	close(h1.release)
	wg.Wait()
	select {
	case <-idle:
	case <-time.After(time.Second):
		t.Fatal("the old handler was not reported idle after its request finished")
	}
}
