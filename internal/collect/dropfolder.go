package collect

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/errs"
)

// DropFolder delivers the files that people and scripts drop into a
// directory. A file is taken once its size and modification time are the
// same in two rounds in a row, so a file still being copied in is left
// alone (fsnotify would tell us a file changed, not that the writer is
// done). Taken files are moved to done/; files that cannot be read, or that
// the handler rejects as invalid, are moved to failed/ with a NAME.reason
// file beside them saying why. Hidden files (".name") are ignored, which
// is how upload tools name files in transit.
type DropFolder struct {
	Source string // collector name; "drop" when empty
	Dir    string
	Now    func() time.Time

	seen map[string]fileState // what the previous round saw, by file name
}

type fileState struct {
	size int64
	mod  time.Time
}

var _ Collector = (*DropFolder)(nil)

func (d *DropFolder) Name() string { return orDefault(d.Source, "drop") }

// Collect takes the files that were stable since the previous round.
func (d *DropFolder) Collect(ctx context.Context, h Handler) error {
	for _, sub := range []string{"done", "failed"} {
		if err := os.MkdirAll(filepath.Join(d.Dir, sub), 0o750); err != nil {
			return fmt.Errorf("collect: drop folder: %w", err)
		}
	}
	entries, err := os.ReadDir(d.Dir)
	if err != nil {
		return fmt.Errorf("collect: drop folder: %w", err)
	}
	next := map[string]fileState{}
	var ready []string
	for _, e := range entries {
		if !e.Type().IsRegular() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue // gone since ReadDir
		}
		st := fileState{size: info.Size(), mod: info.ModTime()}
		if prev, ok := d.seen[e.Name()]; ok && prev == st {
			ready = append(ready, e.Name())
		}
		next[e.Name()] = st
	}
	sort.Strings(ready)
	var errList []error
	for _, name := range ready {
		if err := ctx.Err(); err != nil {
			d.seen = next
			return err
		}
		done, err := d.take(ctx, name, h)
		if done {
			delete(next, name)
		}
		if err != nil {
			errList = append(errList, err)
		}
	}
	d.seen = next
	return errors.Join(errList...)
}

// take hands one file to h and moves it away. done reports whether the
// file left the folder.
func (d *DropFolder) take(ctx context.Context, name string, h Handler) (done bool, err error) {
	path := filepath.Join(d.Dir, name)
	f, err := os.Open(path)
	if err != nil {
		return d.fail(name, fmt.Sprintf("cannot open: %v", err))
	}
	content := &errReader{r: f}
	err = h(ctx, Report{
		Name:       name,
		Source:     d.Name(),
		ReceivedAt: now(d.Now),
		Meta:       map[string]string{MetaPath: path},
		Content:    content,
	})
	f.Close()
	switch {
	case err == nil:
		if _, err := moveAside(path, filepath.Join(d.Dir, "done"), name); err != nil {
			return false, fmt.Errorf("collect: drop folder: %w", err)
		}
		return true, nil
	case content.err != nil:
		return d.fail(name, fmt.Sprintf("cannot read: %v", content.err))
	case errs.CodeOf(err) == errs.Invalid:
		return d.fail(name, err.Error())
	default:
		// Not the file's fault (the database is down, say): leave it to be
		// taken again next round.
		return false, fmt.Errorf("collect: drop folder: %s: %w", name, err)
	}
}

// fail moves a file to failed/ and writes the reason beside it.
func (d *DropFolder) fail(name, reason string) (bool, error) {
	dir := filepath.Join(d.Dir, "failed")
	// The file may be renamed to avoid a clash; the reason file follows
	// the name it got.
	dst, err := moveAside(filepath.Join(d.Dir, name), dir, name)
	if err != nil {
		return false, fmt.Errorf("collect: drop folder: %s: %s; moving it to failed/: %w", name, reason, err)
	}
	if err := os.WriteFile(dst+".reason", []byte(reason+"\n"), 0o640); err != nil {
		return true, fmt.Errorf("collect: drop folder: %s: write reason: %w", name, err)
	}
	return true, fmt.Errorf("collect: drop folder: %s moved to failed/: %s", name, reason)
}

// moveAside renames dir/../name into dir, adding -1, -2 ... before the
// extension when a file of that name is already there: a feed sending the
// same file name every day must not overwrite yesterday's. It returns the
// new path.
func moveAside(src, dir, name string) (string, error) {
	dst := filepath.Join(dir, name)
	for i := 1; ; i++ {
		if _, err := os.Lstat(dst); errors.Is(err, os.ErrNotExist) {
			break
		}
		ext := filepath.Ext(name)
		dst = filepath.Join(dir, strings.TrimSuffix(name, ext)+"-"+strconv.Itoa(i)+ext)
	}
	return dst, os.Rename(src, dst)
}

// errReader remembers a read error, to tell an unreadable file from a
// handler that refused the content.
type errReader struct {
	r   io.Reader
	err error
}

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF {
		e.err = err
	}
	return n, err
}
