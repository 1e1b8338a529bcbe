package compat

import "strconv"

// Cases for store.c: mg_store_body. The checks compare the stored files
// in civetbox's upload directory and native CivetWeb's working directory.

func storeCases() []testCase {
	small := "stored body\r\nwith\x00binary\xff bytes\n"
	big := body1MiB()
	return []testCase{
		{name: "small body", steps: []step{{withBody("POST", "/store/small.bin", small)}},
			check: storedFiles(map[string]*string{"small.bin": &small})},
		{name: "empty body", steps: []step{{withBody("PUT", "/store/empty.bin", "")}},
			check: storedFiles(map[string]*string{"empty.bin": ptr("")})},
		{name: "1 MiB", steps: []step{{withBody("POST", "/store/big.bin", big)}},
			check: storedFiles(map[string]*string{"big.bin": &big})},
		{name: "chunked 1 MiB", steps: []step{{chunked("POST", "/store/chunked.bin", splitChunks(big), "")}},
			check: storedFiles(map[string]*string{"chunked.bin": &big})},
		{name: "into a new directory", steps: []step{{withBody("POST", "/store/sub/dir/nested.bin", small)}},
			check: storedFiles(map[string]*string{"sub/dir/nested.bin": &small})},
		{name: "overwrites", steps: []step{{withBody("POST", "/store/twice.bin", "first, longer content")}, {withBody("POST", "/store/twice.bin", "second")}},
			check: storedFiles(map[string]*string{"twice.bin": ptr("second")})},
		{name: "chunked over the body limit", steps: []step{{chunked("POST", "/store/over.bin", splitChunks(pattern(uploadMaxBody+1)), "")}},
			devs: overLimit(`response 1 body: native "mg_store_body(\"over.bin\") returned 2097153\n", civetbox "Error 413: Request Entity Too Large\nRequest body too large"`,
				`mg_store_body returned 2097153`, `mg_store_body returned -13`),
			check: storedFilesEach(map[string]*string{"over.bin": ptr(pattern(uploadMaxBody + 1))}, map[string]*string{"over.bin": nil})},
		single("directory path", withBody("POST", "/store/adir/", small)),
		{name: "after reading", steps: []step{{withBody("POST", "/store-after/after.bin", small)}},
			check: storedFiles(map[string]*string{"after.bin": nil})},
		{name: "GET without body", steps: []step{{get("/store/nobody.bin")}},
			check: storedFiles(map[string]*string{"nobody.bin": ptr("")})},
		{name: "keep-alive after storing", steps: []step{{withBody("POST", "/store/k1.bin", small)}, {chunked("POST", "/store/k2.bin", []string{"ab", "cd"}, "")}},
			check: storedFiles(map[string]*string{"k1.bin": &small, "k2.bin": ptr("abcd")})},
	}
}

// overLimit declares what differs when a chunked body passes civetbox's
// limit: the 413 instead of the handler's answer (body), and what the
// handler observed (native's and civetbox's observation).
func overLimit(body, nativeObs, boxObs string) []dev {
	return []dev{
		{devBodyLimit, `response 1 status line: native "HTTP/1.1 200 OK", civetbox "HTTP/1.1 413 Request Entity Too Large"`},
		{devBodyLimit, `response 1 header Content-Type: native ["text/plain"], civetbox ["text/plain; charset=utf-8"]`},
		{devBodyLimit, body},
		{devBodyLimit, "connection afterwards: native open, civetbox closed"},
		{devBodyLimit, "observation 1: native " + strconv.Quote(nativeObs) + ", civetbox " + strconv.Quote(boxObs)},
	}
}
