package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
)

// startCPUProfile writes a CPU profile of this process into the directory
// named by QALXAN_CPUPROFILE_DIR, one file per process (bench runs parse and
// ingest as children, and each should be profiled on its own). It is an
// environment variable, not a flag, so it reaches those children unchanged.
func startCPUProfile() (stop func()) {
	dir := os.Getenv("QALXAN_CPUPROFILE_DIR")
	if dir == "" {
		return func() {}
	}
	name := filepath.Join(dir, fmt.Sprintf("cpu-%d.prof", os.Getpid()))
	f, err := os.Create(name)
	if err != nil {
		fmt.Fprintf(os.Stderr, "qalxan: cpu profile: %v\n", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintf(os.Stderr, "qalxan: cpu profile: %v\n", err)
		f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
