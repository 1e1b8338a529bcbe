package reqinfo

import "strings"

// URLDecode decodes %XX escapes like CivetWeb's mg_url_decode: a '%' not
// followed by two hex digits is kept as is, and '+' becomes a space only in
// form encoding.
func URLDecode(s string, form bool) string {
	// Two IndexByte scans: ContainsAny walks a short string rune by rune.
	if strings.IndexByte(s, '%') < 0 && (!form || strings.IndexByte(s, '+') < 0) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
		case c == '+' && form:
			b.WriteByte(' ')
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// RemoveDotSegments cleans a decoded path the way CivetWeb derives local_uri
// from local_uri_raw: backslashes become slashes, RFC 3986 section 5.2.4
// removes "." and ".." segments, and then, as on Windows where "x." names
// "x", dots before a slash or at the end are dropped and "//" collapses.
// The result can never climb above the root.
func RemoveDotSegments(path string) string {
	if isClean(path) {
		return path // the common case, without copying
	}
	return removeDotSegments(path)
}

// isClean reports whether RemoveDotSegments would return path unchanged: it
// has no backslash, no "//", and no dot ending a segment (which every dot
// segment and every dropped dot has).
func isClean(path string) bool {
	// One pass: four substring searches cost more on the short paths
	// every request has.
	for i := 0; i < len(path); i++ {
		switch path[i] {
		case '\\':
			return false
		case '/':
			if i+1 < len(path) && path[i+1] == '/' {
				return false
			}
		case '.':
			if i+1 == len(path) || path[i+1] == '/' {
				return false
			}
		}
	}
	return true
}

func removeDotSegments(path string) string {
	in := strings.ReplaceAll(path, "\\", "/")
	var out []byte
	for in != "" {
		switch {
		case strings.HasPrefix(in, "../"):
			in = in[3:]
		case strings.HasPrefix(in, "./"):
			in = in[2:]
		case strings.HasPrefix(in, "/./"):
			in = in[2:]
		case in == "/.":
			in = "/"
		case strings.HasPrefix(in, "/../"):
			in = in[3:]
			out = dropLastSegment(out)
		case in == "/..":
			in = "/"
			out = dropLastSegment(out)
		case in == "." || in == "..":
			in = ""
		default:
			n := 1 + strings.IndexByte(in[1:]+"/", '/')
			out, in = append(out, in[:n]...), in[n:]
		}
	}
	return collapseDotsAndSlashes(out)
}

// dropLastSegment removes the last "/segment" from out (step 2c).
func dropLastSegment(out []byte) []byte {
	i := len(out) - 1
	for i > 0 && out[i] != '/' {
		i--
	}
	return out[:max(i, 0)]
}

// collapseDotsAndSlashes drops runs of dots that end a segment and merges
// repeated slashes.
func collapseDotsAndSlashes(p []byte) string {
	out := make([]byte, 0, len(p))
	for i := 0; i < len(p); {
		switch p[i] {
		case '.':
			j := i
			for j < len(p) && p[j] == '.' {
				j++
			}
			switch {
			case j == len(p):
			case p[j] == '/':
				if len(out) > 0 && out[len(out)-1] == '/' {
					out = out[:len(out)-1]
				}
			default:
				out = append(out, p[i:j]...)
			}
			i = j
		case '/':
			out = append(out, '/')
			for i < len(p) && p[i] == '/' {
				i++
			}
		default:
			out = append(out, p[i])
			i++
		}
	}
	return string(out)
}
