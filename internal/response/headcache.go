package response

import "bytes"

// HeadCache remembers the last raw head a Writer parsed without error, so
// that a guest sending the same head again (most handlers print the same
// status line and headers for every request) has it applied without parsing
// it again: one comparison instead of splitting, validating and
// canonicalizing every line, and no string allocation. Applying a cached
// head runs the same per-field steps as applying a parsed one, so the result
// is the same either way. Not safe for concurrent use: one per instance.
type HeadCache struct {
	raw    []byte // the head's bytes, through its blank line; nil for none
	status int
	fields []field // validated, canonical keys; hop-by-hop ones too
}

// field is one validated header line of a cached head.
type field struct{ key, value string }

// Reset forgets the cached head.
func (c *HeadCache) Reset() {
	c.raw, c.status = c.raw[:0], 0
	clear(c.fields) // drop the strings
	c.fields = c.fields[:0]
}

// lookup returns the cached head's status and fields if head is it.
func (c *HeadCache) lookup(head []byte) (status int, fields []field, ok bool) {
	if c == nil || len(c.raw) == 0 || !bytes.Equal(head, c.raw) {
		return 0, nil, false
	}
	return c.status, c.fields, true
}

// prefixLen is the cached head's length if buf starts with it, else 0. The
// cached head ends at its only blank line, so that is also where a head at
// the start of buf ends.
func (c *HeadCache) prefixLen(buf []byte) int {
	if c == nil || len(c.raw) == 0 || !bytes.HasPrefix(buf, c.raw) {
		return 0
	}
	return len(c.raw)
}

// begin starts recording the parse of a new head, forgetting the old one
// until store completes it.
func (c *HeadCache) begin() {
	if c != nil {
		c.Reset()
	}
}

// add records one field of the head being parsed.
func (c *HeadCache) add(key, value string) {
	if c != nil {
		c.fields = append(c.fields, field{key, value})
	}
}

// store completes the recording: head parsed without error.
func (c *HeadCache) store(head []byte, status int) {
	if c != nil {
		c.raw, c.status = append(c.raw[:0], head...), status
	}
}
