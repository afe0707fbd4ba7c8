package main

import (
	"fmt"
	"io"
	"os"

	"github.com/qalxan/qalxan/internal/pipeline"
)

// isTerminal tells whether w is a terminal: progress is drawn only there,
// so logs and pipes get the summary alone.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progressLine returns an OnProgress function that redraws one status
// line on w for a report of size bytes (0 when unknown), and clears it
// when the report is done, before the summary is printed.
func progressLine(w io.Writer, size int64) func(pipeline.Progress) {
	return func(p pipeline.Progress) {
		if p.Done {
			fmt.Fprint(w, "\r\033[K")
			return
		}
		fmt.Fprint(w, "\r\033[K"+progressText(p, size))
	}
}

// progressText is the status line's text.
func progressText(p pipeline.Progress, size int64) string {
	verb := "archiving"
	if p.Phase == "parse" {
		verb = "parsing"
	}
	s := fmt.Sprintf("%s: %s %.1f MB", p.FileName, verb, float64(p.Bytes)/1e6)
	if size > 0 {
		s += fmt.Sprintf(" of %.1f MB (%d%%)", float64(size)/1e6, min(100, p.Bytes*100/size))
	}
	if p.Events > 0 && p.Elapsed > 0 {
		s += fmt.Sprintf(", %d events, %.0f events/s", p.Events, float64(p.Events)/p.Elapsed.Seconds())
	}
	return s
}
