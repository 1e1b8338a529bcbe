package hostfuncs

import (
	"math"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The host's MIME table must be the guest SDK's, entry for entry, so
// mg_send_file and mg_get_builtin_mime_type never disagree.
func TestBuiltinMIMETableMatchesSDK(t *testing.T) {
	src, err := os.ReadFile("../guests/c/src/civetbox_info.c")
	require.NoError(t, err)
	block := regexp.MustCompile(`(?s)mime_types\[\] = \{(.*?)\n\};`).FindSubmatch(src)
	require.NotNil(t, block, "the mime_types table in civetbox_info.c")
	entries := regexp.MustCompile(`\{"([^"]*)", "([^"]*)"\}`).FindAllSubmatch(block[1], -1)
	require.Len(t, builtinMIMETypes, len(entries))
	for i, e := range entries {
		require.Equal(t, string(e[1]), builtinMIMETypes[i].ext, "entry %d", i)
		require.Equal(t, string(e[2]), builtinMIMETypes[i].mime, "entry %d", i)
	}
}

func TestBuiltinMIMEType(t *testing.T) {
	for name, want := range map[string]string{
		"a.html": "text/html", "./dir/A.HTML": "text/html", "x.json": "application/json",
		"x.js": "application/javascript", ".js": "text/plain", "x.xyz": "text/plain", "": "text/plain",
		"noext": "text/plain", "a.tar.gz": "application/x-gunzip", "a.css/": "text/plain",
		"a.c\u212as": "text/plain", // the Kelvin sign is not an ASCII "k"
	} {
		require.Equal(t, want, BuiltinMIMEType(name), name)
	}
}

func TestRootName(t *testing.T) {
	ok := map[string]string{
		"index.html": "index.html", "./index.html": "index.html", ".//index.html": "index.html",
		"./sub/a.txt": "sub/a.txt", "sub//a.txt": "sub//a.txt", ".": ".", "./": ".", "./.": ".",
		"...": "...", "a..b": "a..b", "./sub/./a": "sub/./a", "a.txt.": "a.txt.", "sub/": "sub/",
	}
	for in, want := range ok {
		got, err := rootName(in)
		require.NoError(t, err, "%q", in)
		require.Equal(t, want, got, "%q", in)
	}
	long := "./" + string(make([]byte, 0))
	for len(long) <= MaxFilePath {
		long += "a"
	}
	for _, in := range []string{"", "..", "../x", "./..", "./../x", "a/../b", "a/..", "/etc/passwd",
		"//etc/passwd", ".//../x", "a\x00b", `a\b`, `..\x`, long} {
		_, err := rootName(in)
		var pe *pathError
		require.ErrorAs(t, err, &pe, "%q must be refused", in)
	}
}

func TestScanInteger(t *testing.T) {
	for in, want := range map[string]int64{
		"0": 0, " 42": 42, "+7": 7, "-5": -5, "\t\n12x": 12,
		"9223372036854775807": math.MaxInt64, "9223372036854775808": math.MaxInt64,
		"99999999999999999999999": math.MaxInt64, "-9223372036854775808": math.MinInt64,
		"-99999999999999999999999": math.MinInt64,
	} {
		got, ok := (&cScanner{s: in}).integer()
		require.True(t, ok, in)
		require.Equal(t, want, got, in)
	}
	for _, in := range []string{"", " ", "+", "-", "x1", "- 1"} {
		_, ok := (&cScanner{s: in}).integer()
		require.False(t, ok, "%q", in)
	}
}

func TestPlanPart(t *testing.T) {
	const size = 1000
	for _, c := range []struct {
		value  string
		status int
		start  int64
		length int64
		cr     string
	}{
		{"bytes=0-99", 206, 0, 100, "bytes 0-99/1000"},
		{"bytes=990-", 206, 990, 10, "bytes 990-999/1000"},
		{"bytes=999-999", 206, 999, 1, "bytes 999-999/1000"},
		{"bytes=5", 206, 5, 995, "bytes 5-999/1000"},
		{"bytes= 5 - 9", 206, 5, 995, "bytes 5-999/1000"}, // "-" must follow 5 at once: "5-"
		{"bytes= 5- 9", 206, 5, 5, "bytes 5-9/1000"},
		{"bytes=0-9,20-29", 206, 0, 10, "bytes 0-9/1000"},
		{"bytes=0-0", 206, 0, 1, "bytes 0-0/1000"},
		{"bytes=-500", 200, 0, size, ""},
		{"bytes=-", 200, 0, size, ""},
		{"bytes=", 200, 0, size, ""},
		{"Bytes=0-1", 200, 0, size, ""},
		{"items=0-1", 200, 0, size, ""},
		{"bytes=1--2", 200, 0, size, ""},
		{"bytes=10-5", 200, 0, size, ""},
		{"bytes=0-5000", 206, 0, size, "bytes 0-999/1000"},
		{"bytes=1000-", 416, 0, 0, "bytes */1000"},
		{"bytes=5000-6000", 416, 0, 0, "bytes */1000"},
	} {
		got := planPart(c.value, true, size)
		require.Equal(t, filePart{c.status, c.start, c.length, c.cr}, got, c.value)
	}
	require.Equal(t, filePart{status: 200, length: size}, planPart("bytes=0-1", false, size))
	require.Equal(t, 416, planPart("bytes=0-", true, 0).status, "an empty file has no byte 0")
}

func TestCivetDate(t *testing.T) {
	ref := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC).Unix()
	for in, want := range map[string]int64{
		"Fri, 01 Mar 2024 12:00:00 GMT":  ref,
		"Xyz, 01 Mar 2024 12:00:00":      ref, // the day name is not checked
		"01 Mar 2024 12:00:00":           ref,
		"01/Mar/2024 12:00:00":           ref,
		"01-Mar-2024 12:00:00":           ref,
		" 1 Mar 2024 12:0:0":             ref,
		"30 Feb 2024 00:00:00":           time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC).Unix(),
		"01 mar 2024 12:00:00":           0, // months are case-sensitive
		"01 Mar 1969 12:00:00":           0,
		"Friday, 01-Mar-24 12:00:00 GMT": 0,
		"Fri Mar  1 12:00:00 2024":       0,
		"yesterday":                      0,
		"":                               0,
		"01 Mar 2024 12:00":              0,
		"01 Mar 2024 12 :00:00":          0,
	} {
		require.Equal(t, want, civetDate(in), "%q", in)
	}
}
