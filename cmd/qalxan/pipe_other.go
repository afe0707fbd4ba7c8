//go:build !linux

package main

import "io"

// growPipe does nothing where pipes cannot be resized (see pipe_linux.go).
func growPipe(io.Writer) {}
