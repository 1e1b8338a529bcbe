package main

import (
	"fmt"
	"io"
	"os"
)

// progressMin is the smallest upload that reports progress.
const progressMin = 1 << 20

// progress reports an upload on stderr: a terminal gets one line rewritten
// at each percent, anything else (a log, a CI job) a line at each 10%.
type progress struct {
	w    io.Writer
	name string
	tty  bool
	next int64 // the percentage of the next report
	open bool  // a terminal line waits for its newline
}

// newProgress returns nil for an upload too small to report on.
func newProgress(w io.Writer, name string, total int64) *progress {
	if total < progressMin {
		return nil
	}
	p := &progress{w: w, name: name, tty: isTerminal(w)}
	p.next = p.step()
	return p
}

func (p *progress) step() int64 {
	if p.tty {
		return 1
	}
	return 10
}

// report is the client's progress callback.
func (p *progress) report(sent, total int64) {
	pct := sent * 100 / total
	if pct < p.next {
		return
	}
	p.next = pct - pct%p.step() + p.step()
	if !p.tty {
		fmt.Fprintf(p.w, "uploading %s: %3d%% of %s\n", p.name, pct, formatSize(total))
		return
	}
	fmt.Fprintf(p.w, "\ruploading %s: %3d%% of %s", p.name, pct, formatSize(total))
	p.open = true
}

// end finishes a terminal line, so what follows starts on its own line.
func (p *progress) end() {
	if p != nil && p.open {
		fmt.Fprintln(p.w)
		p.open = false
	}
}

// callback is report, or nil when there is nothing to report.
func (p *progress) callback() func(sent, total int64) {
	if p == nil {
		return nil
	}
	return p.report
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
