package main

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/event"
)

func TestEventWriterKeepsOrderAndCopies(t *testing.T) {
	var out strings.Builder
	ew := newEventWriter(&out)
	e := event.New(4)
	const n = writerBatch/16*writerBatches*2 + 7 // several rounds of every batch (lines of 16 bytes or more), and a partial one
	for i := range n {
		e.Reset() // the parser reuses its event: the writer must have copied it
		e.Set("source.port", strconv.Itoa(i+1))
		if err := ew.Emit(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := ew.Close(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != n {
		t.Fatalf("got %d lines, want %d", len(lines), n)
	}
	for i, l := range lines {
		if want := `{"source.port":` + strconv.Itoa(i+1) + `}`; l != want {
			t.Fatalf("line %d: got %s, want %s", i, l, want)
		}
	}
}

type failingWriter struct{ n int }

var errDiskFull = errors.New("disk full")

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.n += len(p); w.n > 1<<17 {
		return 0, errDiskFull
	}
	return len(p), nil
}

func TestEventWriterStopsOnWriteError(t *testing.T) {
	ew := newEventWriter(&failingWriter{})
	e := event.New(4)
	e.Set("event_description.text", strings.Repeat("x", 100))
	var err error
	for i := 0; i < 1_000_000 && err == nil; i++ {
		err = ew.Emit(e)
	}
	if !errors.Is(err, errWriterFailed) {
		t.Fatalf("Emit: got %v, want errWriterFailed", err)
	}
	if err := ew.Close(); !errors.Is(err, errDiskFull) {
		t.Errorf("Close: got %v, want the write error", err)
	}
}
