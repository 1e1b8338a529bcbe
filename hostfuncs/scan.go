package hostfuncs

import "math"

// cScanner reads a string the way C's sscanf reads it with the few
// directives CivetWeb uses to parse Range and date headers, so civetbox
// accepts exactly the values CivetWeb accepts.
type cScanner struct {
	s string
	i int
}

// isCSpace is C's isspace in the C locale.
func isCSpace(c byte) bool {
	return c == ' ' || (c >= '\t' && c <= '\r')
}

// space is a white-space directive: it skips any white space, even none.
func (sc *cScanner) space() {
	for sc.i < len(sc.s) && isCSpace(sc.s[sc.i]) {
		sc.i++
	}
}

// literal is an ordinary character directive: the next byte must be c.
func (sc *cScanner) literal(c byte) bool {
	if sc.i < len(sc.s) && sc.s[sc.i] == c {
		sc.i++
		return true
	}
	return false
}

// literals matches each byte of lit in turn.
func (sc *cScanner) literals(lit string) bool {
	for i := range len(lit) {
		if !sc.literal(lit[i]) {
			return false
		}
	}
	return true
}

// integer is %lld (and %d): white space, an optional sign, decimal digits.
// Like glibc it saturates a value that does not fit.
func (sc *cScanner) integer() (int64, bool) {
	sc.space()
	neg := false
	if sc.i < len(sc.s) && (sc.s[sc.i] == '+' || sc.s[sc.i] == '-') {
		neg = sc.s[sc.i] == '-'
		sc.i++
	}
	start := sc.i
	const limit = math.MaxInt64 + 1 // |math.MinInt64|
	var v uint64
	for sc.i < len(sc.s) && sc.s[sc.i] >= '0' && sc.s[sc.i] <= '9' {
		if v <= limit/10 {
			v = min(v*10+uint64(sc.s[sc.i]-'0'), limit)
		} else {
			v = limit
		}
		sc.i++
	}
	switch {
	case sc.i == start:
		return 0, false
	case neg && v == limit:
		return math.MinInt64, true
	case neg:
		return -int64(v), true
	}
	return int64(min(v, math.MaxInt64)), true
}

// word is %Ns: white space, then up to max bytes that are not white space.
func (sc *cScanner) word(max int) (string, bool) {
	sc.space()
	start := sc.i
	for sc.i < len(sc.s) && sc.i-start < max && !isCSpace(sc.s[sc.i]) {
		sc.i++
	}
	return sc.s[start:sc.i], sc.i > start
}
