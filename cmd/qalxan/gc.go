package main

import (
	"os"
	"runtime/debug"
)

// How far the Go heap may grow past its live size before it is
// collected, in per cent, unless GOGC in the environment says otherwise.
const (
	// gcLean is for every command but parse. An ingest's live heap is
	// ~45 MB (batches of events in flight), and at Go's default of 100
	// its heap grew to twice that between collections, a third of the
	// 256 MB budget. Collection is ~1 % of ingest's CPU, so doubling it
	// costs little.
	gcLean = 50
	// gcParse is for parse, which keeps little alive (a few blocks of
	// the report and their events: 55 MB peak at GOGC 50) but allocates
	// fast:
	// at 50 the collector ran so often that its work and its write
	// barriers took a fifth of the CPU. At 400 a million rows parse in
	// 3.3–4.1 s of CPU instead of 4.7–4.9 s, and the peak RSS is ~120 MB
	// instead of 55 MB, whatever the report's size (docs/performance.md).
	gcParse = 400
)

// setGCPercent sets the collector's target to percent unless GOGC is set
// in the environment, which always decides.
func setGCPercent(percent int) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(percent)
	}
}
