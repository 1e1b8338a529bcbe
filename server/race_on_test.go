//go:build race

package server_test

// raceEnabled: the race detector makes Go code that copies or clears large
// buffers (a guest growing its memory to 16 MiB) several times slower.
const raceEnabled = true
