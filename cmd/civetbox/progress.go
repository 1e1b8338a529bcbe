package main

import (
	"fmt"
	"io"
	"os"
)

// progressMin is the smallest upload that reports progress.
const progressMin = 1 << 20

// newProgress returns an upload progress callback that writes to w, or nil
// for a small upload. A terminal gets one line rewritten at each percent;
// anything else (a log, a CI job) a line at each 10%.
func newProgress(w io.Writer, name string, total int64) func(sent, total int64) {
	if total < progressMin {
		return nil
	}
	step, end := int64(10), "\n"
	if isTerminal(w) {
		step, end = 1, ""
	}
	next := step // the percentage of the next report
	return func(sent, total int64) {
		pct := sent * 100 / total
		if pct < next {
			return
		}
		next = pct - pct%step + step
		if end == "" {
			fmt.Fprint(w, "\r")
		}
		fmt.Fprintf(w, "uploading %s: %3d%% of %s%s", name, pct, formatSize(total), end)
		if end == "" && sent == total {
			fmt.Fprintln(w)
		}
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
