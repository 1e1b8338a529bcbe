package hostfuncs_test

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/abi"
	"github.com/civetbox/civetbox/hostfuncs"
)

// fileScope is a request scope granted a document root holding notes.txt
// (26 bytes), big.bin (200 KiB) and a directory sub, all modified at
// fileTime.
type fileScope struct {
	conn *fakeConn
	log  *logRecorder
	ctx  context.Context
	mem  *fakeMem
}

var fileTime = time.Date(2024, time.March, 1, 12, 0, 0, 0, time.UTC)

const (
	notesETag  = `"65e1c340.26"`
	fileLMDate = "Fri, 01 Mar 2024 12:00:00 GMT"
	bigSize    = 200 << 10
)

func newFileScope(t *testing.T, headers ...hostfuncs.Header) *fileScope {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("Plain notes.\nSecond line.\n"), 0o644))
	big := make([]byte, bigSize)
	for i := range big {
		big[i] = byte(i % 251)
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "big.bin"), big, 0o644))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "sub"), 0o755))
	for _, name := range []string{"notes.txt", "big.bin", "sub"} {
		require.NoError(t, os.Chtimes(filepath.Join(dir, name), fileTime, fileTime))
	}
	root, err := os.OpenRoot(dir)
	require.NoError(t, err)
	t.Cleanup(func() { _ = root.Close() })
	conn := newConn()
	conn.info.Headers = headers
	log := &logRecorder{}
	scope := &hostfuncs.Scope{Conn: conn, Log: slog.New(log), RequestID: 7, Grants: &hostfuncs.Grants{DocRoot: root}}
	return &fileScope{conn: conn, log: log, ctx: hostfuncs.WithScope(context.Background(), scope), mem: newMem()}
}

// sendFile calls mg_send_mime_file2.
func (f *fileScope) sendFile(t *testing.T, path, mime, extra string) int32 {
	t.Helper()
	p, pn := f.mem.put(0x100, path)
	m, mn := f.mem.put(0x1000, mime)
	h, hn := f.mem.put(0x2000, extra)
	return call(t, f.ctx, f.mem, abi.FuncMgSendMimeFile2, p, pn, m, mn, h, hn)
}

// sendBody calls mg_send_file_body.
func (f *fileScope) sendBody(t *testing.T, path string) int32 {
	t.Helper()
	p, pn := f.mem.put(0x100, path)
	return call(t, f.ctx, f.mem, abi.FuncMgSendFileBody, p, pn)
}

// head is the start event and the headers; writes are left out.
func (f *fileScope) head() []string {
	var out []string
	for _, e := range f.conn.events {
		if !strings.HasPrefix(e, "write") {
			out = append(out, e)
		}
	}
	return out
}

func TestSendFileHeaders(t *testing.T) {
	f := newFileScope(t)
	require.EqualValues(t, 0, f.sendFile(t, "./notes.txt", "", "X-A: 1\r\nX-B: 2\r\n"))
	require.Equal(t, []string{"start 200",
		"header Cache-Control: max-age=3600",
		"header Content-Type: text/plain",
		"header Last-Modified: " + fileLMDate,
		"header Etag: " + notesETag,
		"header Content-Length: 26",
		"header Accept-Ranges: bytes",
		"header X-A: 1", "header X-B: 2",
		"send"}, f.head())
	require.Equal(t, "Plain notes.\nSecond line.\n", f.conn.out.String())
}

func TestSendFileMimeOverride(t *testing.T) {
	f := newFileScope(t)
	f.sendFile(t, "notes.txt", "application/x-test", "")
	require.Contains(t, f.conn.headers(), "Content-Type: application/x-test")
}

func TestSendFileHead(t *testing.T) {
	f := newFileScope(t)
	f.conn.info.Method = "HEAD"
	f.sendFile(t, "notes.txt", "", "")
	require.Contains(t, f.conn.headers(), "Content-Length: 26")
	require.Zero(t, f.conn.out.Len(), "no body for HEAD")
}

func TestSendFileNotModified(t *testing.T) {
	for name, h := range map[string]hostfuncs.Header{
		"etag":            {Name: "If-None-Match", Value: notesETag},
		"etag upper case": {Name: "if-none-match", Value: strings.ToUpper(notesETag)},
		"same date":       {Name: "If-Modified-Since", Value: fileLMDate},
		"later date":      {Name: "If-Modified-Since", Value: "Sat, 02 Mar 2024 00:00:00 GMT"},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFileScope(t, h)
			require.EqualValues(t, 0, f.sendFile(t, "notes.txt", "", "X-Not: sent\r\n"))
			require.Equal(t, []string{"start 304", "header Cache-Control: max-age=3600",
				"header Last-Modified: " + fileLMDate, "header Etag: " + notesETag, "send"}, f.head())
			require.Zero(t, f.conn.out.Len())
		})
	}
	for name, h := range map[string]hostfuncs.Header{
		"other etag":     {Name: "If-None-Match", Value: `"1.2"`},
		"etag list":      {Name: "If-None-Match", Value: `"1.2", ` + notesETag},
		"earlier date":   {Name: "If-Modified-Since", Value: "Fri, 01 Mar 2024 11:59:59 GMT"},
		"unparsed date":  {Name: "If-Modified-Since", Value: "Friday, 01-Mar-24 12:00:00 GMT"},
		"unrelated name": {Name: "If-Match", Value: notesETag},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFileScope(t, h)
			f.sendFile(t, "notes.txt", "", "")
			require.Equal(t, "start 200", f.conn.events[0])
		})
	}
}

func TestSendFileRanges(t *testing.T) {
	for _, c := range []struct {
		value, status, contentRange string
		start, length               int
	}{
		{"bytes=0-99", "start 206", "bytes 0-99/204800", 0, 100},
		{"bytes=100000-", "start 206", "bytes 100000-204799/204800", 100000, bigSize - 100000},
		{"bytes=204000-999999", "start 206", "bytes 204000-204799/204800", 204000, 800},
		{"bytes=-10", "start 200", "", 0, bigSize},
		{"bytes=9-3", "start 200", "", 0, bigSize},
	} {
		t.Run(c.value, func(t *testing.T) {
			f := newFileScope(t, hostfuncs.Header{Name: "Range", Value: c.value})
			f.sendFile(t, "big.bin", "", "")
			require.Equal(t, c.status, f.conn.events[0])
			got, _ := headerValue(f.conn.headers(), "Content-Range")
			require.Equal(t, c.contentRange, got)
			cl, _ := headerValue(f.conn.headers(), "Content-Length")
			require.Equal(t, strconv.Itoa(c.length), cl)
			require.Equal(t, c.length, f.conn.out.Len())
			want := make([]byte, c.length)
			for i := range want {
				want[i] = byte((c.start + i) % 251)
			}
			require.Equal(t, want, f.conn.out.Bytes())
		})
	}
}

func TestSendFileUnsatisfiableRange(t *testing.T) {
	f := newFileScope(t, hostfuncs.Header{Name: "Range", Value: "bytes=204800-"})
	f.sendFile(t, "big.bin", "", "")
	require.Equal(t, "start 416", f.conn.events[0])
	require.Contains(t, f.conn.headers(), "Content-Range: bytes */204800")
	require.True(t, strings.HasPrefix(f.conn.out.String(), "Error 416: "))
}

// A file is streamed in pieces, never buffered whole.
func TestSendFileStreams(t *testing.T) {
	f := newFileScope(t)
	f.sendFile(t, "big.bin", "", "")
	require.Equal(t, bigSize, f.conn.out.Len())
	require.Greater(t, f.conn.writes, 1)
	for _, e := range f.conn.events {
		require.LessOrEqual(t, len(e), len("write ")+64<<10)
	}
}

func TestSendFileStopsAtTheDeadline(t *testing.T) {
	f := newFileScope(t)
	ctx, cancel := context.WithCancel(f.ctx)
	cancel()
	f.ctx = ctx
	f.sendFile(t, "big.bin", "", "")
	require.Equal(t, "send", f.head()[len(f.head())-1])
	require.Zero(t, f.conn.out.Len(), "nothing is sent after the deadline")
}

func TestSendFileErrors(t *testing.T) {
	for _, c := range []struct{ path, status, body string }{
		{"missing.txt", "start 404", "Error 404: Not Found\nError: File not found"},
		{"../notes.txt", "start 404", "Error 404: Not Found\nError: File not found"},
		{"/etc/passwd", "start 404", "Error 404: Not Found\nError: File not found"},
		{"", "start 404", "Error 404: Not Found\nError: File not found"},
		{"sub", "start 403", "Error 403: Forbidden\nError: Directory listing denied"},
		{"./", "start 403", "Error 403: Forbidden\nError: Directory listing denied"},
	} {
		f := newFileScope(t)
		require.EqualValues(t, 0, f.sendFile(t, c.path, "", ""), c.path)
		require.Equal(t, c.status, f.conn.events[0], c.path)
		require.Equal(t, c.body, f.conn.out.String(), c.path)
	}
}

// A FIFO (or device) in the document root is refused before it is opened:
// opening it could block the request forever.
func TestSendFileRefusesSpecialFiles(t *testing.T) {
	f := newFileScope(t)
	dir := t.TempDir()
	require.NoError(t, syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644))
	root, err := os.OpenRoot(dir)
	require.NoError(t, err)
	defer root.Close()
	f.ctx = hostfuncs.WithScope(context.Background(), &hostfuncs.Scope{Conn: f.conn, Grants: &hostfuncs.Grants{DocRoot: root}})
	require.EqualValues(t, 0, f.sendFile(t, "fifo", "", ""))
	require.Equal(t, "start 404", f.conn.events[0])
	require.EqualValues(t, -1, f.sendBody(t, "fifo"))
}

func TestSendFileRefusalsAreLogged(t *testing.T) {
	f := newFileScope(t)
	f.sendFile(t, "sub/../notes.txt", "", "")
	require.Len(t, f.log.records, 1)
	require.Equal(t, "file refused", f.log.records[0].Message)
	v, _ := f.log.attr(0, "error")
	require.Contains(t, v.String(), "parent directory segment")
	v, _ = f.log.attr(0, "request_id")
	require.EqualValues(t, 7, v.Uint64())
}

// A guest that already began its response gets the file appended to it,
// as CivetWeb appends it (its head calls fail then).
func TestSendFileAfterTheGuestStartedItsResponse(t *testing.T) {
	f := newFileScope(t)
	f.conn.startErr = hostfuncs.ErrState
	require.EqualValues(t, 0, f.sendFile(t, "notes.txt", "", ""))
	require.Equal(t, "Plain notes.\nSecond line.\n", f.conn.out.String())
}

func TestSendFileWithoutDocumentRoot(t *testing.T) {
	conn := newConn()
	log := &logRecorder{}
	ctx := hostfuncs.WithScope(context.Background(), &hostfuncs.Scope{Conn: conn, Log: slog.New(log)})
	mem := newMem()
	p, n := mem.put(0x100, "index.html")
	require.EqualValues(t, 0, call(t, ctx, mem, abi.FuncMgSendMimeFile2, p, n, 0, 0, 0, 0))
	require.Equal(t, "start 404", conn.events[0])
	require.EqualValues(t, -1, call(t, ctx, mem, abi.FuncMgSendFileBody, p, n))
	require.Len(t, log.records, 2)
	v, _ := log.attr(0, "error")
	require.Contains(t, v.String(), "no document root is granted")
}

func TestSendFileBody(t *testing.T) {
	f := newFileScope(t)
	require.EqualValues(t, 0, f.sendBody(t, "./notes.txt"))
	require.Equal(t, []string{"write Plain notes.\nSecond line.\n"}, f.conn.events)

	f = newFileScope(t)
	require.EqualValues(t, 0, f.sendBody(t, "sub"), "a directory sends nothing, as in CivetWeb")
	require.Empty(t, f.conn.events)

	for _, path := range []string{"missing", "../notes.txt", "/notes.txt", "a\\b", ""} {
		f = newFileScope(t)
		require.EqualValues(t, -1, f.sendBody(t, path), path)
		require.Empty(t, f.conn.events, path)
	}

	f = newFileScope(t)
	f.conn.writeErr = errors.New("client gone")
	require.EqualValues(t, 0, f.sendBody(t, "big.bin"), "CivetWeb reports only failures to open")
	require.Equal(t, []string{"write failed"}, f.conn.events, "the copy stops at the first failed write")
}

func headerValue(headers []string, name string) (string, bool) {
	for _, h := range headers {
		if v, ok := strings.CutPrefix(h, name+": "); ok {
			return v, true
		}
	}
	return "", false
}
