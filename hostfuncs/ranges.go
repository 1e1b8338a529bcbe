package hostfuncs

import "fmt"

// filePart is what a response sends of a file: all of it (200), one range
// (206), or nothing because the range is not satisfiable (416).
type filePart struct {
	status        int
	start, length int64
	contentRange  string // the Content-Range value; "" for a 200
}

// scanRange reads a Range value as CivetWeb does, with
// sscanf(value, "bytes=%lld-%lld"): n is the number of integers read. Only
// the first range of a list counts; "bytes=-500" reads as first = -500.
func scanRange(value string) (first, last int64, n int) {
	sc := &cScanner{s: value}
	if !sc.literals("bytes=") {
		return 0, 0, 0
	}
	var ok bool
	if first, ok = sc.integer(); !ok {
		return 0, 0, 0
	}
	if !sc.literal('-') {
		return first, 0, 1
	}
	if last, ok = sc.integer(); !ok {
		return first, 0, 1
	}
	return first, last, 2
}

// planPart decides what to send of a file of the given size for a Range
// header (hasRange false: none). It serves the ranges CivetWeb serves, with
// the same bytes, but keeps to RFC 9110 where CivetWeb's arithmetic breaks
// the response:
//   - a range starting at or past the end is 416 with "bytes */size"
//     (CivetWeb sends a 206 with a negative or zero Content-Length);
//   - a last position past the end is cut to the end (CivetWeb announces one
//     byte more than the file holds, so the client waits for it);
//   - last < first is ignored, as a malformed range (CivetWeb announces a
//     negative or zero length).
//
// Like CivetWeb it ignores a suffix range ("bytes=-500") and anything it
// cannot read, and sends the whole file with 200.
func planPart(rangeValue string, hasRange bool, size int64) filePart {
	whole := filePart{status: 200, length: size}
	if !hasRange {
		return whole
	}
	first, last, n := scanRange(rangeValue)
	if n <= 0 || first < 0 || last < 0 {
		return whole
	}
	if first >= size {
		return filePart{status: 416, contentRange: fmt.Sprintf("bytes */%d", size)}
	}
	end := size - 1
	if n == 2 {
		if last < first {
			return whole
		}
		end = min(end, last)
	}
	return filePart{status: 206, start: first, length: end - first + 1,
		contentRange: fmt.Sprintf("bytes %d-%d/%d", first, end, size)}
}
