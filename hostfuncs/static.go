package hostfuncs

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"strconv"

	"github.com/civetbox/civetbox/abi"
)

// staticCacheControl is CivetWeb's Cache-Control for files: its default
// static_file_max_age of one hour.
const staticCacheControl = "max-age=3600"

// fileChunk is how much of a file is read and written at a time.
const fileChunk = 64 << 10

var errNotRegular = errors.New("not a regular file or directory")

// fileSender sends files from the module's document root for one request.
type fileSender struct {
	ctx   context.Context
	conn  Conn
	scope *Scope
	fn    string // the host function, for the log
}

// sendFile is mg_send_mime_file2: a whole response for path, as CivetWeb's
// handle_static_file_request sends it. mime "" means the type by
// extension; extra are header lines added to a 200 or 206. The result is
// -1 if a 304, 403, 404, 416 or 500 could not be sent (the guest had begun
// its own response), else 0: like CivetWeb, a file follows a response the
// guest began.
func (s fileSender) sendFile(path, mime, extra string) int32 {
	name, info, err := statInRoot(s.scope.Grants, path)
	switch {
	case err != nil:
		s.logMissing(path, err)
		return s.sendError(404, "Error: File not found")
	case notModified(s.conn.Info(), info):
		return s.sendNotModified(info)
	case info.IsDir():
		// As CivetWeb with enable_directory_listing=no: there are no
		// listings in the sandbox.
		return s.sendError(403, "Error: Directory listing denied")
	case !info.Mode().IsRegular():
		// Opening a FIFO or a device could block or never end.
		s.log("file refused", path, errNotRegular)
		return s.sendError(404, "Error: File not found")
	}
	if mime == "" {
		mime = BuiltinMIMEType(path)
	}
	f, info, err := openRegular(s.scope.Grants.DocRoot, name)
	if err != nil {
		s.log("cannot open the file", path, err)
		return s.sendError(500, "Error: Cannot open file")
	}
	defer f.Close()
	rangeValue, hasRange := requestHeader(s.conn.Info(), "Range")
	part := planPart(rangeValue, hasRange, info.Size())
	if part.status == 416 {
		return s.sendUnsatisfiable(part)
	}
	if err := s.sendHead(part, fileHeaders(info, mime, part), extra); err != nil {
		// As in CivetWeb, whose head calls then fail too, the file
		// still follows what the guest sent.
		s.log("cannot send the response head", path, err)
	}
	if s.conn.Info().Method != "HEAD" {
		s.copyBody(io.NewSectionReader(f, part.start, part.length), path)
	}
	return abi.CodeOK
}

// sendFileBody is mg_send_file_body: the bytes of path, as (part of) a
// response body. Like CivetWeb it returns -1 only if the file cannot be
// opened; a directory sends nothing.
func (s fileSender) sendFileBody(path string) int32 {
	name, info, err := statInRoot(s.scope.Grants, path)
	if err != nil {
		s.logMissing(path, err)
		return abi.CodeError
	}
	if info.IsDir() {
		return abi.CodeOK // CivetWeb opens a directory, then reads nothing from it
	}
	if !info.Mode().IsRegular() {
		s.log("file refused", path, errNotRegular)
		return abi.CodeError
	}
	f, _, err := openRegular(s.scope.Grants.DocRoot, name)
	if err != nil {
		s.log("cannot open the file", path, err)
		return abi.CodeError
	}
	defer f.Close()
	s.copyBody(f, path)
	return abi.CodeOK
}

// fileHeaders are CivetWeb's headers for a 200 or 206, in its order.
func fileHeaders(info fs.FileInfo, mime string, part filePart) []Header {
	lastModified, etag := fileValidators(info)
	h := []Header{
		{"Cache-Control", staticCacheControl},
		{"Content-Type", mime},
		{"Last-Modified", lastModified},
		{"Etag", etag},
		{"Content-Length", strconv.FormatInt(part.length, 10)},
		{"Accept-Ranges", "bytes"},
	}
	if part.contentRange != "" {
		h = append(h, Header{"Content-Range", part.contentRange})
	}
	return h
}

// sendHead starts the response and adds headers and then the guest's extra
// lines. As in CivetWeb a header the host refuses is left out and the rest
// is sent.
func (s fileSender) sendHead(part filePart, headers []Header, extra string) error {
	if err := s.conn.StartResponse(part.status); err != nil {
		return err
	}
	for _, h := range headers {
		_ = s.conn.AddHeader(h.Name, h.Value)
	}
	if extra != "" {
		_ = addHeaderLines(s.conn, extra)
	}
	return s.conn.SendHeaders()
}

// sendNotModified is CivetWeb's 304: cache headers and the validators only.
func (s fileSender) sendNotModified(info fs.FileInfo) int32 {
	lastModified, etag := fileValidators(info)
	h := []Header{{"Cache-Control", staticCacheControl}, {"Last-Modified", lastModified}, {"Etag", etag}}
	if err := sendHeaders(s.conn, 304, h); err != nil {
		s.log("cannot send the response head", "", err)
		return abi.CodeError
	}
	return abi.CodeOK
}

// sendUnsatisfiable answers a range past the end of the file with 416, the
// file's size, and CivetWeb's error text.
func (s fileSender) sendUnsatisfiable(part filePart) int32 {
	body := "Error 416: " + StatusText(416) + "\nError: Range not satisfiable"
	h := append(noCacheHeaders(s.conn),
		Header{"Content-Type", "text/plain; charset=utf-8"},
		Header{"Content-Range", part.contentRange},
		Header{"Content-Length", strconv.Itoa(len(body))})
	if err := sendHeaders(s.conn, 416, h); err != nil {
		s.log("cannot send the response head", "", err)
		return abi.CodeError
	}
	if s.conn.Info().Method != "HEAD" {
		_ = s.conn.Write([]byte(body))
	}
	return abi.CodeOK
}

func (s fileSender) sendError(status int, msg string) int32 {
	if err := SendError(s.conn, status, msg); err != nil {
		s.log("cannot send the error response", "", err)
		return abi.CodeError
	}
	return abi.CodeOK
}

// copyBody streams r to the response in fileChunk pieces, stopping at the
// request deadline or when the client is gone. Like CivetWeb it does not
// report a failure to the guest: the response head is already out.
func (s fileSender) copyBody(r io.Reader, path string) {
	buf := make([]byte, fileChunk)
	for {
		if err := s.ctx.Err(); err != nil {
			s.log("file transfer stopped", path, err)
			return
		}
		n, err := io.ReadFull(r, buf)
		if n > 0 {
			if werr := s.conn.Write(buf[:n]); werr != nil {
				s.log("file transfer stopped", path, werr)
				return
			}
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return
		}
		if err != nil {
			s.log("cannot read the file", path, err)
			return
		}
	}
}

// logMissing explains why path names no file the module may read. A file
// that is simply absent is not worth a warning.
func (s fileSender) logMissing(path string, err error) {
	var refused *pathError
	switch {
	case errors.Is(err, errNoDocRoot), errors.As(err, &refused):
		s.log("file refused", path, err)
	case errors.Is(err, fs.ErrNotExist):
		s.logAt(false, "file not found", path, err)
	default: // a symbolic link out of the root, a name too long...
		s.log("file refused", path, err)
	}
}

func (s fileSender) log(msg, path string, err error) { s.logAt(true, msg, path, err) }

// logAt writes one log line about path; the guest's path is cut
// short, and the error (which may name host paths) goes only here.
func (s fileSender) logAt(warn bool, msg, path string, err error) {
	if s.scope.Log == nil {
		return
	}
	args := []any{"request_id", s.scope.RequestID, "func", s.fn, "path", truncate(path, 256), "error", err.Error()}
	if warn {
		s.scope.Log.Warn(msg, args...)
	} else {
		s.scope.Log.Info(msg, args...)
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
