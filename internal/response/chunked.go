package response

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
)

// maxChunkLine bounds a chunk-size or trailer line the guest writes.
const maxChunkLine = 4096

// errBadChunk reports guest-written chunk framing that is not HTTP/1.1
// chunked encoding.
var errBadChunk = errors.New("response: malformed chunked framing from guest")

type chunkState byte

const (
	chunkSize    chunkState = iota // reading "<hex>[;ext]\r\n"
	chunkData                      // inside a chunk's data
	chunkDataEnd                   // expecting "\r\n" after the data
	chunkTrailer                   // after the last chunk: trailer lines until a blank one
	chunkDone                      // body complete
)

// chunkDecoder removes the chunked framing a guest writes, in a stream: data
// is handed to emit as sub-slices of the input, without copying.
type chunkDecoder struct {
	state     chunkState
	line      []byte   // partial size or trailer line
	remaining uint64   // data bytes left in the current chunk
	completed bool     // a chunk ended during the last feed
	trailers  []string // trailer lines after the last chunk
}

// maxTrailers bounds the trailer lines kept from a guest.
const maxTrailers = 64

// feed consumes p and passes chunk data to emit.
func (d *chunkDecoder) feed(p []byte, emit func([]byte) error) error {
	d.completed = false
	for len(p) > 0 {
		var err error
		switch d.state {
		case chunkSize, chunkDataEnd, chunkTrailer:
			p, err = d.feedLine(p)
		case chunkData:
			n := min(uint64(len(p)), d.remaining)
			if err = emit(p[:n]); err == nil {
				d.remaining -= n
				p = p[n:]
				if d.remaining == 0 {
					d.state = chunkDataEnd
				}
			}
		case chunkDone:
			return fmt.Errorf("%w: %d bytes after the last chunk", errBadChunk, len(p))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// feedLine collects one line and acts on it when complete.
func (d *chunkDecoder) feedLine(p []byte) ([]byte, error) {
	i := bytes.IndexByte(p, '\n')
	if i < 0 {
		if len(d.line)+len(p) > maxChunkLine {
			return nil, fmt.Errorf("%w: line longer than %d bytes", errBadChunk, maxChunkLine)
		}
		d.line = append(d.line, p...)
		return nil, nil
	}
	if len(d.line)+i > maxChunkLine { // the same limit however the line was split
		return nil, fmt.Errorf("%w: line longer than %d bytes", errBadChunk, maxChunkLine)
	}
	line := p[:i]
	if len(d.line) > 0 {
		d.line = append(d.line, line...)
		line = d.line
	}
	err := d.endLine(bytes.TrimSuffix(line, []byte("\r")))
	d.line = d.line[:0]
	return p[i+1:], err
}

func (d *chunkDecoder) endLine(line []byte) error {
	switch d.state {
	case chunkDataEnd:
		if len(line) != 0 {
			return fmt.Errorf("%w: chunk data longer than its size", errBadChunk)
		}
		d.state, d.completed = chunkSize, true
	case chunkTrailer:
		switch {
		case len(line) == 0:
			d.state = chunkDone
		case len(d.trailers) < maxTrailers:
			d.trailers = append(d.trailers, string(line))
		}
	default:
		return d.sizeLine(line)
	}
	return nil
}

func (d *chunkDecoder) sizeLine(line []byte) error {
	if i := bytes.IndexByte(line, ';'); i >= 0 {
		line = line[:i] // chunk extensions carry nothing we forward
	}
	size, err := strconv.ParseUint(string(bytes.TrimRight(line, " \t")), 16, 62)
	if err != nil {
		return fmt.Errorf("%w: chunk size %q", errBadChunk, truncate(line))
	}
	d.remaining = size
	d.state = chunkData
	if size == 0 {
		d.state, d.completed = chunkTrailer, true
	}
	return nil
}

// done reports whether the last chunk and trailer have been seen.
func (d *chunkDecoder) done() bool { return d.state == chunkDone }

// midChunk reports whether the stream stopped with chunk data still owed.
func (d *chunkDecoder) midChunk() bool { return d.state == chunkData }

func truncate(b []byte) []byte {
	if len(b) > 32 {
		return b[:32]
	}
	return b
}
