package compat

import "strings"

func miscCases() []testCase {
	return []testCase{
		single("md5 without body", get("/misc/md5")),
		single("md5 of query and body", withBody("POST", "/misc/md5?x=1&y=%20z", "The quick brown fox\r\n\x00 after NUL")),
		single("md5 of a 60 KiB body", withBody("PUT", "/misc/md5", strings.Repeat("0123456789abcdef", 3840))),
		single("builtin mime types", get("/misc/mime")),
		single("valid options", get("/misc/options")),
		{name: "locks, keep-alive", steps: []step{{get("/misc/locks")}, {get("/misc/locks")}}},
	}
}
