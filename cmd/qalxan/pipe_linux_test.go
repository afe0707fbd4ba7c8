package main

import (
	"os"
	"strings"
	"testing"
)

// The bench empties parse's pipe with splice: to its end, every byte the
// writer wrote, and leaves what is not a pipe to drain's reads.
func TestDiscardPipeEmptiesIt(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	const total = 8 << 20
	written := make(chan int)
	go func() {
		buf := []byte(strings.Repeat("x", 64<<10))
		n := 0
		for n < total {
			m, err := w.Write(buf)
			n += m
			if err != nil {
				break
			}
		}
		w.Close()
		written <- n
	}()
	handled, err := discardPipe(r)
	r.Close() // a writer still writing fails now rather than waits
	if !handled || err != nil {
		t.Fatalf("discardPipe: handled %v, %v", handled, err)
	}
	if n := <-written; n != total {
		t.Errorf("the writer wrote %d bytes before the pipe ended, want %d", n, total)
	}
	if handled, _ := discardPipe(strings.NewReader("not a pipe")); handled {
		t.Error("discardPipe handled a strings.Reader")
	}
}
