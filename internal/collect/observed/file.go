package observed

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
)

// followFile reads the file's whole lines after the saved offset. A file
// that is another one now (rotated: another inode) or shorter than the
// offset (truncated) is read from its start. A last line without its
// newline is left for the next round: the writer is still writing it.
func (s *Source) followFile(ctx context.Context, st State, states StateStore, sink Sink) (Result, error) {
	f, err := os.Open(s.Path)
	if err != nil {
		return Result{}, fmt.Errorf("observed: %s: %w", s.Name, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return Result{}, fmt.Errorf("observed: %s: %w", s.Name, err)
	}
	if fi.IsDir() {
		return Result{}, fmt.Errorf("observed: %s: %s is a directory", s.Name, s.Path)
	}
	id := fileID(fi)
	if st.FileID != id || fi.Size() < st.Offset {
		st.FileID, st.Offset = id, 0
	}
	if fi.Size() == st.Offset {
		return Result{}, nil
	}
	if _, err := f.Seek(st.Offset, io.SeekStart); err != nil {
		return Result{}, fmt.Errorf("observed: %s: %w", s.Name, err)
	}
	b := newBatcher(s.Format, sink)
	saved := Result{}
	save := func() error {
		if err := b.flush(ctx); err != nil {
			return fmt.Errorf("observed: %s: %w", s.Name, err)
		}
		if err := states.SaveState(ctx, s.Name, st, b.res.Domains-saved.Domains, b.res.Matched-saved.Matched); err != nil {
			return err
		}
		saved = b.res
		return nil
	}
	r := bufio.NewReaderSize(f, 64<<10)
	var long []byte // a line longer than the reader's buffer, so far
	var pending int64
	tooLong := false
	for {
		if err := ctx.Err(); err != nil {
			return b.res, err
		}
		chunk, err := r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			pending += int64(len(chunk))
			if len(long)+len(chunk) > maxLine {
				tooLong, long = true, nil
			} else if !tooLong {
				long = append(long, chunk...)
			}
			continue
		}
		if errors.Is(err, io.EOF) {
			break // no newline yet: not a whole line
		}
		if err != nil {
			return b.res, fmt.Errorf("observed: %s: %w", s.Name, err)
		}
		st.Offset += pending + int64(len(chunk))
		switch {
		case tooLong:
			b.res.Skipped++
		case long != nil:
			b.line(append(long, chunk...))
		default:
			b.line(chunk)
		}
		pending, long, tooLong = 0, nil, false
		if b.full() {
			if err := save(); err != nil {
				return b.res, err
			}
		}
	}
	return b.res, save()
}
