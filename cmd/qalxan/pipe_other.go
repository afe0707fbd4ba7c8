//go:build !linux

package main

import "io"

// growPipe does nothing where pipes cannot be resized (see pipe_linux.go).
func growPipe(io.Writer) {}

// discardPipe leaves the reading to drain where there is no splice(2).
func discardPipe(io.Reader) (handled bool, err error) { return false, nil }
