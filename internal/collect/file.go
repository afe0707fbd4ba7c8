package collect

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// Files delivers named files, for `qalxan ingest FILE...`. It leaves the
// files where they are.
type Files struct {
	Source string // collector name; "file" when empty
	Paths  []string
	Now    func() time.Time // clock; time.Now when nil
}

var _ Collector = (*Files)(nil)

func (f *Files) Name() string { return orDefault(f.Source, "file") }

// Collect hands each file to h in order and stops at the first error.
func (f *Files) Collect(ctx context.Context, h Handler) error {
	for _, p := range f.Paths {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := f.one(ctx, p, h); err != nil {
			return err
		}
	}
	return nil
}

func (f *Files) one(ctx context.Context, path string, h Handler) error {
	file, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("collect: %w", err)
	}
	defer file.Close()
	if st, err := file.Stat(); err == nil && st.IsDir() {
		return fmt.Errorf("collect: %s is a directory", path)
	}
	return h(ctx, Report{
		Name:       filepath.Base(path),
		Source:     f.Name(),
		ReceivedAt: now(f.Now),
		Meta:       map[string]string{MetaPath: path},
		Content:    file,
	})
}

// Stdin delivers one report read from a stream, for `qalxan ingest -`.
type Stdin struct {
	Source   string    // collector name; "stdin" when empty
	FileName string    // name to recognise the feed by; "-" when empty
	Reader   io.Reader // os.Stdin when nil
	Now      func() time.Time
}

var _ Collector = (*Stdin)(nil)

func (s *Stdin) Name() string { return orDefault(s.Source, "stdin") }

// Collect hands the stream to h once.
func (s *Stdin) Collect(ctx context.Context, h Handler) error {
	r := s.Reader
	if r == nil {
		r = os.Stdin
	}
	return h(ctx, Report{Name: orDefault(s.FileName, "-"), Source: s.Name(), ReceivedAt: now(s.Now), Content: r})
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func now(clock func() time.Time) time.Time {
	if clock == nil {
		return time.Now().UTC()
	}
	return clock().UTC()
}
