// Package compat is the differential test suite behind civetbox's promise:
// a CivetWeb handler compiles unchanged and answers the same as under
// CivetWeb 1.15.
//
// Every handler file in testdata/compat is plain CivetWeb code with its own
// civetbox_init (those that answer with assembled text include text.h
// there). The tests build it natively against Debian's libcivetweb-dev with
// internal/nativecivet, load its committed .wasm build in civetbox (every
// engine, fresh and pooled instances), send both servers identical raw
// HTTP/1.x bytes over TCP and compare what comes back: status lines,
// headers (but Date, Server and the framing headers), de-framed bodies,
// whether the connection is still served, stray bytes, and what handlers
// report with mg_cry("compat-observe: ...") for values a response cannot
// carry. Every difference must be declared by its test case, naming one of
// the kinds in Deviations, which explains why civetbox differs or marks a
// suspected bug.
//
// Adding a handler: write testdata/compat/<name>.c, add its go:generate
// line below, run "go generate ./internal/compat/", and add a suite with its
// requests in the tests (suites in compat_test.go). TestCompat_files checks
// that the four agree.
package compat

//go:generate go run ../cmd/buildguest -o ../../testdata/compat/chunks.wasm ../../testdata/compat/chunks.c
//go:generate go run ../cmd/buildguest -o ../../testdata/compat/conndata.wasm ../../testdata/compat/conndata.c
//go:generate go run ../cmd/buildguest -o ../../testdata/compat/cookies.wasm ../../testdata/compat/cookies.c
//go:generate go run ../cmd/buildguest -o ../../testdata/compat/cry.wasm ../../testdata/compat/cry.c
//go:generate go run ../cmd/buildguest -o ../../testdata/compat/digest.wasm ../../testdata/compat/digest.c
//go:generate go run ../cmd/buildguest -o ../../testdata/compat/errors.wasm ../../testdata/compat/errors.c
//go:generate go run ../cmd/buildguest -o ../../testdata/compat/forms.wasm ../../testdata/compat/forms.c
//go:generate go run ../cmd/buildguest -o ../../testdata/compat/files.wasm ../../testdata/compat/files.c
//go:generate go run ../cmd/buildguest -o ../../testdata/compat/header.wasm ../../testdata/compat/header.c
//go:generate go run ../cmd/buildguest -o ../../testdata/compat/headers.wasm ../../testdata/compat/headers.c
//go:generate go run ../cmd/buildguest -o ../../testdata/compat/info.wasm ../../testdata/compat/info.c
//go:generate go run ../cmd/buildguest -o ../../testdata/compat/link.wasm ../../testdata/compat/link.c
//go:generate go run ../cmd/buildguest -o ../../testdata/compat/methods.wasm ../../testdata/compat/methods.c
//go:generate go run ../cmd/buildguest -o ../../testdata/compat/misc.wasm ../../testdata/compat/misc.c
//go:generate go run ../cmd/buildguest -o ../../testdata/compat/ok.wasm ../../testdata/compat/ok.c
//go:generate go run ../cmd/buildguest -o ../../testdata/compat/raw.wasm ../../testdata/compat/raw.c
//go:generate go run ../cmd/buildguest -o ../../testdata/compat/read.wasm ../../testdata/compat/read.c
//go:generate go run ../cmd/buildguest -o ../../testdata/compat/redirect.wasm ../../testdata/compat/redirect.c
//go:generate go run ../cmd/buildguest -o ../../testdata/compat/retval.wasm ../../testdata/compat/retval.c
//go:generate go run ../cmd/buildguest -o ../../testdata/compat/routes.wasm ../../testdata/compat/routes.c
//go:generate go run ../cmd/buildguest -o ../../testdata/compat/split.wasm ../../testdata/compat/split.c
//go:generate go run ../cmd/buildguest -o ../../testdata/compat/store.wasm ../../testdata/compat/store.c
//go:generate go run ../cmd/buildguest -o ../../testdata/compat/strings.wasm ../../testdata/compat/strings.c
//go:generate go run ../cmd/buildguest -o ../../testdata/compat/urlcode.wasm ../../testdata/compat/urlcode.c
//go:generate go run ../cmd/buildguest -o ../../testdata/compat/vars.wasm ../../testdata/compat/vars.c
