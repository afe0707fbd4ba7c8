package collect

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

// memSpool is how much of an archive is kept in memory; larger ones go to
// a temporary file, so memory stays flat whatever the attachment size.
const memSpool = 1 << 20

// spool makes r randomly readable, as ZIP needs (its directory is at the
// end). It refuses more than limit bytes. done releases the storage.
func spool(r io.Reader, limit int64) (ra io.ReaderAt, size int64, done func(), err error) {
	head, err := io.ReadAll(io.LimitReader(r, min(memSpool, limit)+1))
	if err != nil {
		return nil, 0, nil, err
	}
	if int64(len(head)) <= min(memSpool, limit) {
		return bytes.NewReader(head), int64(len(head)), func() {}, nil
	}
	if int64(len(head)) > limit {
		return nil, 0, nil, fmt.Errorf("archive larger than the limit of %d bytes: %w", limit, ErrTooLarge)
	}
	f, err := os.CreateTemp("", "qalxan-archive-*")
	if err != nil {
		return nil, 0, nil, err
	}
	done = func() {
		f.Close()
		os.Remove(f.Name())
	}
	n, err := io.Copy(f, io.MultiReader(bytes.NewReader(head), io.LimitReader(r, limit-int64(len(head))+1)))
	if err != nil {
		done()
		return nil, 0, nil, err
	}
	if n > limit {
		done()
		return nil, 0, nil, fmt.Errorf("archive larger than the limit of %d bytes: %w", limit, ErrTooLarge)
	}
	return f, n, done, nil
}
