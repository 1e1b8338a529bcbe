package admission_test

import (
	"errors"
	"fmt"
	"os"

	"github.com/civetbox/civetbox/deploy/admission"
)

// An upload is inspected against the tenant's limits; a rejection carries
// a stable problem word for clients and a message for the uploader.
func Example() {
	wasm, err := os.ReadFile("../../examples/hello/hello.wasm")
	if err != nil {
		panic(err)
	}
	rep, err := admission.Inspect(wasm, admission.Limits{})
	if err != nil {
		panic(err)
	}
	fmt.Printf("ABI v%d, %d functions, %d pages\n", rep.ABIVersion, rep.Functions, rep.InitialMemoryPages)

	_, err = admission.Inspect(wasm, admission.Limits{MaxInitialMemoryPages: 1})
	var rej *admission.Rejection
	if errors.As(err, &rej) {
		fmt.Printf("%s: %s\n", rej.Problem, rej.Message)
	}
	// Output:
	// ABI v1, 24 functions, 2 pages
	// memory: initial memory is 2 pages (128 KiB); this tenant's limit is 1 page (64 KiB)
}
