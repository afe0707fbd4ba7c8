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

// discardPipe empties the pipe r into /dev/null with splice(2) until it
// ends: the kernel releases the pipe's pages without copying them out,
// so the bench's reading costs next to no CPU and does not take it from
// the parse it measures (a million events are 3.2 GB of JSON; read into
// a buffer, even a megabyte at a time, they took the reader about two
// seconds of CPU on two cores). handled is false, with nothing read,
// when r is not a pipe or the kernel cannot splice it.
func discardPipe(r io.Reader) (handled bool, err error) {
	f, ok := r.(*os.File)
	if !ok {
		return false, nil
	}
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return false, nil
	}
	defer null.Close()
	rc, err := f.SyscallConn()
	if err != nil {
		return false, nil
	}
	for first := true; ; first = false {
		var n int64
		var serr error
		err := rc.Read(func(fd uintptr) bool {
			n, serr = unix.Splice(int(fd), nil, int(null.Fd()), nil, pipeSize, unix.SPLICE_F_MOVE|unix.SPLICE_F_NONBLOCK)
			return serr != unix.EAGAIN // not ready: wait for the pipe
		})
		switch {
		case err != nil:
			return true, err
		case serr != nil && first:
			return false, nil // read it instead
		case serr != nil:
			return true, serr
		case n == 0:
			return true, nil // the writer closed it
		}
	}
}
