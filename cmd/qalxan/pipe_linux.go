package main

import (
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// pipeSize is the buffer growPipe asks for: Linux's default limit for
// an unprivileged process (/proc/sys/fs/pipe-max-size).
const pipeSize = 1 << 20

// growPipe asks the kernel for a bigger buffer when w is a pipe. parse
// writes hundreds of megabytes of JSON; through the default 64 KB pipe
// every 256 KB batch takes several round trips between this process and
// the reader, each a system call and a wake-up on both sides. Failure is
// not an error: a smaller pipe works, only slower.
func growPipe(w io.Writer) {
	f, ok := w.(*os.File)
	if !ok {
		return
	}
	if fi, err := f.Stat(); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		return
	}
	if rc, err := f.SyscallConn(); err == nil {
		rc.Control(func(fd uintptr) { unix.FcntlInt(fd, unix.F_SETPIPE_SZ, pipeSize) })
	}
}
