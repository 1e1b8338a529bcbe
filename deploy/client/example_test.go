package client_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/civetbox/civetbox/deploy/client"
)

// A refused upload is an *Error with the API's code; a server that cannot
// be reached would be a *TransportError.
func Example() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnprocessableEntity)
		_, _ = io.WriteString(w, `{"error": "not a WebAssembly module", "code": "rejected"}`)
	}))
	defer srv.Close()

	c, err := client.New(srv.URL, "cbx_example")
	if err != nil {
		panic(err)
	}
	wasm := "not wasm"
	_, err = c.Upload(context.Background(), "blog", "hello", strings.NewReader(wasm), int64(len(wasm)), true, nil)
	if e, ok := errors.AsType[*client.Error](err); ok {
		fmt.Println(e.Status, e.Code, e.Message)
	}
	// Output: 422 rejected not a WebAssembly module
}
