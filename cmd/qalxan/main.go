// Command qalxan is the national CSIRT operations platform: one binary for
// the server, the demo and the administration commands.
package main

import "os"

func main() {
	setGCPercent(gcLean) // parse sets its own (gc.go)
	stop := startCPUProfile()
	code := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
