package server

import (
	"net/http"
	"sync"
)

// Swappable is an http.Handler whose handler can be replaced while it
// serves: requests that started keep the handler they started with, new
// ones get the new one, and the caller learns when the old one is idle.
type Swappable struct {
	mu  sync.RWMutex
	cur *servedHandler
}

type servedHandler struct {
	h        http.Handler
	inFlight sync.WaitGroup
}

// NewSwappable serves h until the first Swap.
func NewSwappable(h http.Handler) *Swappable {
	return &Swappable{cur: &servedHandler{h: h}}
}

func (s *Swappable) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Joining the generation under the read lock means that once Swap
	// holds the write lock, no request can join the old one any more.
	s.mu.RLock()
	g := s.cur
	g.inFlight.Add(1)
	s.mu.RUnlock()
	defer g.inFlight.Done()
	g.h.ServeHTTP(w, r)
}

// Swap makes h serve new requests and returns a function that waits until
// every request the previous handler was serving has finished.
func (s *Swappable) Swap(h http.Handler) (waitOld func()) {
	s.mu.Lock()
	old := s.cur
	s.cur = &servedHandler{h: h}
	s.mu.Unlock()
	return old.inFlight.Wait
}
