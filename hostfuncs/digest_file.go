package hostfuncs

import (
	"bufio"
	"crypto/md5"
	"crypto/subtle"
	"encoding/hex"
	"io"
	"os"
	"strings"
)

// includeDepth bounds ":include=" nesting in passwords files, as CivetWeb's
// INITIAL_DEPTH does, so a file including itself ends.
const includeDepth = 9

// passwordsLineMax is the longest line CivetWeb reads from a passwords
// file at once (its fgets buffer, less the NUL); a longer line is read as
// several.
const passwordsLineMax = 256 + 256 + 40 - 1

// openPasswordsFile opens name for reading in the document root, resolved
// as file serving resolves paths (rootName: relative, no "..", NUL or
// backslash; os.Root refuses symbolic links that lead outside).
func openPasswordsFile(g *Grants, name string) (*os.File, error) {
	if g == nil || g.DocRoot == nil {
		return nil, errNoDocRoot
	}
	rel, err := rootName(name)
	if err != nil {
		return nil, err
	}
	// A directory opens, and reads as no lines, as under CivetWeb.
	return g.DocRoot.Open(rel)
}

// passwordCheck is one request's credentials checked against passwords
// files (CivetWeb's read_auth_file).
type passwordCheck struct {
	scope  *Scope
	ah     authHeader
	method string
	realm  string
}

// readFile reads "user:realm:ha1" lines. The first line for the request's
// user and realm decides; lines starting with ":#" are comments and
// ":include=<path>" reads another file of the document root in place
// (where a failed check does not end the search, as in CivetWeb).
func (c *passwordCheck) readFile(r io.Reader, depth int) bool {
	if depth == 0 {
		return false
	}
	br := bufio.NewReader(r)
	for {
		line, ok := readPasswordsLine(br)
		if !ok {
			return false
		}
		if line == "" {
			continue
		}
		if rest, isSpecial := strings.CutPrefix(line, ":"); isSpecial {
			if c.special(rest, depth) {
				return true
			}
			continue
		}
		user, rest, ok1 := strings.Cut(line, ":")
		realm, ha1, ok2 := strings.Cut(rest, ":")
		if !ok1 || !ok2 {
			digestLog(c.scope, "mg_check_digest_access_authentication: syntax error in the passwords file", "line", line)
			continue
		}
		if user == *c.ah.user && realm == c.realm {
			return c.ah.matches(c.method, ha1)
		}
	}
}

// special handles a line that started with ':': a comment, an include, or
// a syntax error.
func (c *passwordCheck) special(rest string, depth int) bool {
	if strings.HasPrefix(rest, "#") {
		return false
	}
	name, isInclude := strings.CutPrefix(rest, "include=")
	if !isInclude {
		digestLog(c.scope, "mg_check_digest_access_authentication: syntax error in the passwords file", "line", ":"+rest)
		return false
	}
	f, err := openPasswordsFile(c.scope.Grants, name)
	if err != nil {
		digestLog(c.scope, "mg_check_digest_access_authentication: cannot open an included passwords file", "file", name, "error", err)
		return false
	}
	defer f.Close()
	return c.readFile(f, depth-1)
}

// readPasswordsLine reads a line as CivetWeb's fgets loop does: at most
// passwordsLineMax bytes, cut at a NUL, without trailing white space and
// control characters. ok is false at the end of the file.
func readPasswordsLine(br *bufio.Reader) (line string, ok bool) {
	var b []byte
	for len(b) < passwordsLineMax {
		c, err := br.ReadByte()
		if err != nil {
			break
		}
		b = append(b, c)
		if c == '\n' {
			break
		}
	}
	if len(b) == 0 {
		return "", false
	}
	if i := strings.IndexByte(string(b), 0); i >= 0 {
		b = b[:i]
	}
	return strings.TrimRightFunc(string(b), func(r rune) bool {
		return r <= ' ' || r == 0x7f
	}), true
}

// matches is CivetWeb's check_password: the response must be the MD5 of
// ha1:nonce:nc:cnonce:qop:MD5(method:uri), in hex of either case; nonce, nc,
// cnonce, qop and response must be present, uri may be missing (CivetWeb
// hashes it as empty) and is not compared with the request's.
func (ah authHeader) matches(method, ha1 string) bool {
	if ah.nonce == nil || ah.nc == nil || ah.cnonce == nil || ah.qop == nil || ah.response == nil {
		return false
	}
	if len(*ah.response) != 32 {
		return false
	}
	uri := ""
	if ah.uri != nil {
		uri = *ah.uri
	}
	ha2 := md5Hex(method + ":" + uri)
	want := md5Hex(ha1 + ":" + *ah.nonce + ":" + *ah.nc + ":" + *ah.cnonce + ":" + *ah.qop + ":" + ha2)
	return subtle.ConstantTimeCompare([]byte(asciiLower(*ah.response)), []byte(want)) == 1
}

func md5Hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// asciiLower lowers A-Z only, as strcasecmp does in the C locale.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
