package hostfuncs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// MaxFilePath is the longest guest file path the host accepts, in bytes:
// CivetWeb's path buffers (UTF8_PATH_MAX) hold no more, and no file
// system path is longer (PATH_MAX).
const MaxFilePath = 4095

// errNoDocRoot is a file function called by a module granted no document
// root.
var errNoDocRoot = errors.New("no document root is granted to this module")

// pathError is a guest path the host refuses before looking at the file
// system: it could name something outside the document root.
type pathError struct{ reason string }

func (e *pathError) Error() string { return "path refused: " + e.reason }

// rootName turns a guest path into a name inside the document root. Guest
// paths are relative to the root: "./" + a request's local_uri (what
// mg_get_option(ctx, "document_root") + local_uri gives in civetbox) or a
// plain relative path. Everything that could lead out, or that the host
// file system would read differently from a POSIX one, is refused: "..",
// absolute paths, NUL bytes, backslashes and overlong paths. Symbolic
// links are left to os.Root, which refuses those that lead out.
func rootName(path string) (string, error) {
	switch {
	case path == "":
		return "", &pathError{"empty path"}
	case len(path) > MaxFilePath:
		return "", &pathError{fmt.Sprintf("longer than %d bytes", MaxFilePath)}
	case strings.IndexByte(path, 0) >= 0:
		return "", &pathError{"NUL byte"}
	case strings.IndexByte(path, '\\') >= 0:
		return "", &pathError{"backslash"}
	}
	name := path
	if rest, ok := strings.CutPrefix(path, "./"); ok {
		// "." + "/dir//file": the slashes after the root are CivetWeb's
		// document_root + local_uri, not an absolute path.
		name = strings.TrimLeft(rest, "/")
	} else if strings.HasPrefix(path, "/") {
		return "", &pathError{"absolute path"}
	}
	for seg := range strings.SplitSeq(name, "/") {
		if seg == ".." {
			return "", &pathError{"parent directory segment (..)"}
		}
	}
	if name == "" {
		name = "."
	}
	return name, nil
}

// statInRoot resolves a guest path in the grants' document root and stats
// what it names.
func statInRoot(g *Grants, path string) (name string, info fs.FileInfo, err error) {
	if g == nil || g.DocRoot == nil {
		return "", nil, errNoDocRoot
	}
	if name, err = rootName(path); err != nil {
		return "", nil, err
	}
	info, err = g.DocRoot.Stat(name)
	return name, info, err
}

// openRegular opens name in root for reading and checks that it is (still)
// a regular file, returning what the open file says about itself.
func openRegular(root *os.Root, name string) (*os.File, fs.FileInfo, error) {
	f, err := root.Open(name)
	if err != nil {
		return nil, nil, err
	}
	info, err := f.Stat()
	if err == nil && !info.Mode().IsRegular() {
		err = fmt.Errorf("%s is not a regular file (%s)", name, info.Mode().Type())
	}
	if err != nil {
		_ = f.Close()
		return nil, nil, err
	}
	return f, info, nil
}
