package shadowserver

import "io"

// recorder keeps the bytes the CSV reader has read and not yet claimed, so
// that each record's original text can be recovered for raw (IntelMQ
// stores the line as the feed wrote it) by the reader's InputOffset. It
// holds one read-ahead buffer and the current record, whatever the
// report's size.
type recorder struct {
	r    io.Reader
	buf  []byte
	base int64 // input offset of buf[0]
}

func (rc *recorder) Read(p []byte) (int, error) {
	n, err := rc.r.Read(p)
	rc.buf = append(rc.buf, p[:n]...)
	return n, err
}

// take returns the input between offsets from and to and forgets what
// lies before to. The slice is valid until the next Read.
func (rc *recorder) take(from, to int64) []byte {
	if from < rc.base {
		from = rc.base
	}
	out := rc.buf[from-rc.base : to-rc.base]
	// Compact only when the claimed part is large: moving the unread
	// tail after every record would copy the read-ahead each time.
	if k := to - rc.base; k > 64<<10 && k > int64(len(rc.buf))/2 {
		out = append([]byte(nil), out...)
		rc.buf = rc.buf[:copy(rc.buf, rc.buf[k:])]
		rc.base = to
	}
	return out
}

// trimLine drops blank lines before a record and the line end after it.
func trimLine(b []byte) []byte {
	for len(b) > 0 && (b[0] == '\n' || b[0] == '\r') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}
