package hostfuncs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"math"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/civetbox/civetbox/abi"
	"github.com/civetbox/civetbox/internal/guestmem"
	"github.com/civetbox/civetbox/runtime/engine"
)

// MaxUploads bounds the upload files one guest call may have open at once;
// upload_open fails beyond it.
const MaxUploads = 16

// uploadTempPrefix starts the names of files being written. They are
// renamed to their final name only when complete, so a reader (or a crash)
// never sees a half-written file under that name.
const uploadTempPrefix = ".civetbox-upload-"

// upload is one file upload_open created.
type upload struct {
	f          *os.File
	tmp, final string // relative to the upload directory
}

// uploadTable holds a call's open uploads; a handle is an index.
type uploadTable [MaxUploads]*upload

// uploadOpen implements abi.FuncUploadOpen: upload_open(path, path_len) ->
// handle / -1.
func uploadOpen(ctx context.Context, mem engine.Memory, stack []uint64) {
	s := scopeOf(ctx, abi.FuncUploadOpen)
	_ = connOf(ctx, abi.FuncUploadOpen)
	name := str(mem, guestmem.Region{Func: abi.FuncUploadOpen, Param: "path", Ptr: u32(stack[0]), Len: u32(stack[1])})
	h, err := s.openUpload(name)
	if err != nil {
		s.uploadLog(abi.FuncUploadOpen, name, err)
		stack[0] = i32(abi.CodeError)
		return
	}
	stack[0] = i32(int32(h))
}

// uploadWrite implements abi.FuncUploadWrite: upload_write(handle, buf,
// len) -> len / -1.
func uploadWrite(ctx context.Context, mem engine.Memory, stack []uint64) {
	s := scopeOf(ctx, abi.FuncUploadWrite)
	_ = connOf(ctx, abi.FuncUploadWrite)
	buf := view(mem, guestmem.Region{Func: abi.FuncUploadWrite, Param: "buf", Ptr: u32(stack[1]), Len: u32(stack[2])})
	u := s.uploads.get(int32(stack[0]))
	switch {
	case u == nil:
		s.uploadLog(abi.FuncUploadWrite, "", errBadHandle)
		stack[0] = i32(abi.CodeError)
	case len(buf) > math.MaxInt32:
		s.uploadLog(abi.FuncUploadWrite, u.final, errors.New("write larger than 2 GiB"))
		stack[0] = i32(abi.CodeError)
	default:
		if _, err := u.f.Write(buf); err != nil {
			s.uploadLog(abi.FuncUploadWrite, u.final, err)
			stack[0] = i32(abi.CodeError)
			return
		}
		stack[0] = i32(int32(len(buf)))
	}
}

// uploadClose implements abi.FuncUploadClose: upload_close(handle, keep) ->
// 0 / -1. keep != 0 renames the file into place; 0 removes it.
func uploadClose(ctx context.Context, _ engine.Memory, stack []uint64) {
	s := scopeOf(ctx, abi.FuncUploadClose)
	_ = connOf(ctx, abi.FuncUploadClose)
	h := int32(stack[0])
	u := s.uploads.get(h)
	if u == nil {
		s.uploadLog(abi.FuncUploadClose, "", errBadHandle)
		stack[0] = i32(abi.CodeError)
		return
	}
	s.uploads[h] = nil
	if err := u.finish(s.Grants.Uploads, u32(stack[1]) != 0); err != nil {
		s.uploadLog(abi.FuncUploadClose, u.final, err)
		stack[0] = i32(abi.CodeError)
		return
	}
	stack[0] = i32(abi.CodeOK)
}

var errBadHandle = errors.New("no such upload handle")

// openUpload creates a temporary file next to name in the upload directory,
// creating missing parent directories as CivetWeb's mg_store_body does.
func (s *Scope) openUpload(name string) (int, error) {
	if s.Grants == nil || s.Grants.Uploads == nil {
		return 0, errors.New("no upload directory granted")
	}
	if err := checkUploadPath(name); err != nil {
		return 0, err
	}
	h := s.uploads.free()
	if h < 0 {
		return 0, errors.New("too many open uploads")
	}
	root := s.Grants.Uploads
	dir := path.Dir(name)
	if dir != "." {
		if err := root.MkdirAll(dir, 0o755); err != nil {
			return 0, err
		}
	}
	tmp := path.Join(dir, uploadTempPrefix+randomName())
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return 0, err
	}
	s.uploads[h] = &upload{f: f, tmp: tmp, final: name}
	return h, nil
}

// finish closes the file and moves it to its final name (keep) or removes
// it. A file that cannot be completed is removed.
func (u *upload) finish(root *os.Root, keep bool) error {
	err := u.f.Close()
	if keep && err == nil {
		err = root.Rename(u.tmp, u.final)
	}
	if !keep || err != nil {
		if rmErr := root.Remove(u.tmp); rmErr != nil && !errors.Is(rmErr, os.ErrNotExist) {
			err = errors.Join(err, rmErr)
		}
	}
	return err
}

// release discards the uploads the guest call left open: the runtime calls
// it after every guest call, so an aborted request (trap, timeout, forgotten
// close) never leaves a file under its final name.
func (s *Scope) release() {
	for h, u := range s.uploads {
		if u == nil {
			continue
		}
		s.uploads[h] = nil
		err := u.finish(s.Grants.Uploads, false)
		if s.Log != nil {
			s.Log.Warn("upload left open by the guest; discarded", "request_id", s.RequestID,
				"path", u.final, "error", err)
		}
	}
}

// checkUploadPath refuses guest paths that are not plain relative paths
// inside the upload directory; os.Root also stops symbolic links leading
// out of it.
func checkUploadPath(name string) error {
	switch {
	case name == "":
		return errors.New("empty path")
	case strings.ContainsAny(name, "\x00\\"):
		return errors.New("path contains NUL or backslash")
	case strings.HasPrefix(name, "/"):
		return errors.New("absolute path")
	}
	for seg := range strings.SplitSeq(name, "/") {
		switch seg {
		case "..":
			return errors.New(`path contains ".."`)
		case "":
			return errors.New("path has an empty segment or ends with /")
		}
	}
	if path.Base(name) == "." {
		return errors.New("path names a directory")
	}
	if !filepath.IsLocal(name) {
		return errors.New("path is not local")
	}
	return nil
}

func (t *uploadTable) get(h int32) *upload {
	if h < 0 || int(h) >= len(t) {
		return nil
	}
	return t[h]
}

func (t *uploadTable) free() int {
	for h, u := range t {
		if u == nil {
			return h
		}
	}
	return -1
}

func randomName() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand panics instead)
	return hex.EncodeToString(b[:]) + ".tmp"
}

// uploadLog explains a failed upload call; the guest only gets -1.
func (s *Scope) uploadLog(fn, name string, err error) {
	if s.Log != nil {
		s.Log.Warn("upload failed", "request_id", s.RequestID, "func", fn, "path", name, "error", err)
	}
}
