package hostfuncs

import (
	"io/fs"
	"strconv"
	"time"
)

// httpDate is the format of CivetWeb's Last-Modified (RFC 9110's IMF-fixdate).
const httpDate = "Mon, 02 Jan 2006 15:04:05 GMT"

// fileValidators are the Last-Modified and Etag values CivetWeb derives from
// a file's modification time (whole seconds) and size.
func fileValidators(info fs.FileInfo) (lastModified, etag string) {
	mtime := info.ModTime().Unix()
	lastModified = time.Unix(mtime, 0).UTC().Format(httpDate)
	etag = `"` + strconv.FormatUint(uint64(mtime), 16) + "." + strconv.FormatInt(info.Size(), 10) + `"`
	return lastModified, etag
}

// notModified is CivetWeb's test for a 304: If-None-Match equal to the
// whole Etag (ignoring case; no lists, no weak tags), or If-Modified-Since
// at or after the modification time.
func notModified(req *RequestInfo, info fs.FileInfo) bool {
	_, etag := fileValidators(info)
	if inm, ok := requestHeader(req, "If-None-Match"); ok && asciiEqualFold(inm, etag) {
		return true
	}
	ims, ok := requestHeader(req, "If-Modified-Since")
	return ok && info.ModTime().Unix() <= civetDate(ims)
}

// requestHeader is mg_get_header: the first field named name, ignoring case.
func requestHeader(req *RequestInfo, name string) (string, bool) {
	for _, h := range req.Headers {
		if asciiEqualFold(h.Name, name) {
			return h.Value, true
		}
	}
	return "", false
}

// civetDate parses a date as CivetWeb's parse_date_string does: four
// day-month-year-time layouts, the month a three-letter English name, years
// from 1970, out-of-range fields normalised as timegm does. Anything else is
// 0, the epoch.
func civetDate(s string) int64 {
	for _, layout := range []func(*cScanner) bool{
		func(sc *cScanner) bool { return sc.literal('/') },
		func(sc *cScanner) bool { sc.space(); return true },
		nil, // "Sun, 06 Nov 1994 08:49:37": a three-letter day, a comma
		func(sc *cScanner) bool { return sc.literal('-') },
	} {
		if t, ok := scanDate(s, layout); ok {
			return t
		}
	}
	return 0
}

// scanDate reads "%d<sep>%3s<sep>%d %d:%d:%d" where sep is read by sep, or,
// for a nil sep, "%*3s, %d %3s %d %d:%d:%d".
func scanDate(s string, sep func(*cScanner) bool) (int64, bool) {
	sc := &cScanner{s: s}
	if sep == nil {
		if _, ok := sc.word(3); !ok || !sc.literal(',') {
			return 0, false
		}
		sep = func(sc *cScanner) bool { sc.space(); return true }
	}
	day, ok := sc.integer()
	if !ok || !sep(sc) {
		return 0, false
	}
	month, ok := sc.word(3)
	if !ok || !sep(sc) {
		return 0, false
	}
	var clock [4]int64 // year, hour, minute, second
	for i := range clock {
		if i > 1 && !sc.literal(':') {
			return 0, false
		}
		if clock[i], ok = sc.integer(); !ok {
			return 0, false
		}
	}
	m := monthIndex(month)
	if m < 0 || clock[0] < 1970 {
		return 0, true // parsed, but CivetWeb then keeps its 0
	}
	return time.Date(int(clock[0]), time.Month(m+1), int(day), int(clock[1]), int(clock[2]), int(clock[3]), 0, time.UTC).Unix(), true
}

func monthIndex(name string) int {
	for i, m := range []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"} {
		if m == name {
			return i
		}
	}
	return -1
}
