// Command nativego is the load benchmark's ceiling: the endpoints of
// examples/hello, examples/echo and testdata/guests/bench.c written directly
// with net/http, so civetbox is measured against plain Go on the same
// machine. It listens on -listen and prints "listening on http://ADDR".
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on")
	flag.Parse()
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("nativego: listening on http://%s\n", ln.Addr())
	log.Fatal(http.Serve(ln, mux()))
}

func mux() *http.ServeMux {
	m := http.NewServeMux()
	m.HandleFunc("/hello", hello)
	m.HandleFunc("/echo", echo)
	m.HandleFunc("/chatty", chatty)
	m.HandleFunc("/single", single)
	m.HandleFunc("/sha256", sum)
	return m
}

func hello(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain")
	w.Header().Set("Content-Length", "14")
	io.WriteString(w, "Hello, world!\n")
}

// echo streams the body back with its length, as echo.c does for a body of
// known length.
func echo(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/octet-stream")
	if r.ContentLength >= 0 {
		w.Header().Set("Content-Length", strconv.FormatInt(r.ContentLength, 10))
	}
	io.Copy(w, r.Body)
}

// chatty writes 100 small pieces; net/http buffers them, as the guest SDK
// buffers mg_printf.
func chatty(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Length", "900")
	for i := range 100 {
		fmt.Fprintf(w, "line %03d\n", i)
	}
}

func single(w http.ResponseWriter, _ *http.Request) {
	body := make([]byte, 0, 900)
	for i := range 100 {
		body = fmt.Appendf(body, "line %03d\n", i)
	}
	w.Header().Set("Content-Length", "900")
	w.Write(body)
}

// sum hashes the same 64 KiB as bench.c's sha256_handler, with Go's
// crypto/sha256 (what a Go handler would use).
func sum(w http.ResponseWriter, _ *http.Request) {
	input := make([]byte, 64<<10)
	for i := range input {
		input[i] = byte(i*31 + 7)
	}
	d := sha256.Sum256(input)
	w.Header().Set("Content-Type", "text/plain")
	io.WriteString(w, hex.EncodeToString(d[:]))
}
