package hostfuncs

import "strings"

// authHeaderMax is how much of an Authorization value after "Digest "
// CivetWeb parses (its MG_BUF_LEN buffer, less the NUL).
const authHeaderMax = 8192 - 1

// authHeader holds the fields of a Digest Authorization header CivetWeb
// uses; nil means the field is missing.
type authHeader struct {
	user, uri, cnonce, response, qop, nc, nonce *string
}

// parseAuthHeader reads the request's first Authorization header the way
// CivetWeb's parse_auth_header does, including its quirks: the scheme
// "Digest " is matched case-insensitively; field names are case-sensitive;
// a quoted value may escape a '"' with a backslash; an unquoted value ends
// at a comma or a space; a repeated field overrides the earlier one. It
// fails without a username or a nonce (the nonce itself is checked
// separately).
func parseAuthHeader(headers []Header) (authHeader, bool) {
	var ah authHeader
	value, found := firstHeader(headers, "Authorization")
	if !found || len(value) < 7 || !strings.EqualFold(value[:7], "Digest ") {
		return ah, false
	}
	s := value[7:]
	if len(s) > authHeaderMax {
		s = s[:authHeaderMax]
	}
	for {
		s = strings.TrimLeftFunc(s, isCSpaceRune)
		var name, val string
		name, s = skipQuoted(s, "=", " ", 0)
		if strings.HasPrefix(s, `"`) {
			val, s = skipQuoted(s[1:], `"`, " ", '\\')
			s = strings.TrimPrefix(s, ",")
		} else {
			val, s = skipQuoted(s, ", ", " ", 0)
		}
		if name == "" {
			break
		}
		if field := ah.field(name); field != nil {
			*field = &val
		}
	}
	return ah, ah.user != nil && ah.nonce != nil
}

// field returns where the value of the named field goes, nil for a field
// CivetWeb ignores.
func (ah *authHeader) field(name string) **string {
	switch name {
	case "username":
		return &ah.user
	case "cnonce":
		return &ah.cnonce
	case "response":
		return &ah.response
	case "uri":
		return &ah.uri
	case "qop":
		return &ah.qop
	case "nc":
		return &ah.nc
	case "nonce":
		return &ah.nonce
	}
	return nil
}

// skipQuoted is CivetWeb's skip_quoted: the word runs to the first byte in
// delims (or the end); a delimiter preceded by the quote byte (0: none)
// belongs to the word, without that quote byte. The rest starts after the
// delimiter and the ws bytes that follow it.
func skipQuoted(s, delims, ws string, quote byte) (word, rest string) {
	end := indexAnyOrLen(s, delims, 0)
	word = s[:end]
	for quote != 0 && word != "" && word[len(word)-1] == quote {
		if end == len(s) {
			word = word[:len(word)-1]
			break
		}
		next := indexAnyOrLen(s, delims, end+1)
		word = word[:len(word)-1] + s[end:next]
		end = next
	}
	if end == len(s) {
		return word, ""
	}
	return word, strings.TrimLeft(s[end+1:], ws)
}

// indexAnyOrLen is the index of the first byte of s at or after from that
// is in chars, or len(s).
func indexAnyOrLen(s, chars string, from int) int {
	if i := strings.IndexAny(s[from:], chars); i >= 0 {
		return from + i
	}
	return len(s)
}

// isCSpaceRune is isCSpace for strings.TrimFunc and friends.
func isCSpaceRune(r rune) bool { return r < 0x80 && isCSpace(byte(r)) }

// firstHeader returns the value of the first header named name (any case),
// as CivetWeb's mg_get_header does.
func firstHeader(headers []Header, name string) (string, bool) {
	for _, h := range headers {
		if strings.EqualFold(h.Name, name) {
			return h.Value, true
		}
	}
	return "", false
}
