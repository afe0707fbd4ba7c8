// Command qalxan is the national CSIRT operations platform: one binary for
// the server, the demo and the administration commands.
package main

import (
	"os"
	"runtime/debug"
)

func main() {
	// Collect garbage at half the live heap's growth, not all of it: an
	// ingest's live heap is ~45 MB (batches of events in flight), and at
	// Go's default its heap grew to twice that between collections, a
	// third of the 256 MB budget. Collection is ~1 % of ingest's CPU, so
	// doubling it costs little. GOGC in the environment still decides.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(50)
	}
	stop := startCPUProfile()
	code := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
