package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/pipeline"
)

func TestProgressText(t *testing.T) {
	tests := []struct {
		p    pipeline.Progress
		size int64
		want string
	}{
		{pipeline.Progress{FileName: "r.csv", Phase: "archive", Bytes: 5_000_000}, 20_000_000, "r.csv: archiving 5.0 MB of 20.0 MB (25%)"},
		{pipeline.Progress{FileName: "r.csv", Phase: "parse", Bytes: 20_000_000, Events: 50_000, Elapsed: 2 * time.Second}, 20_000_000,
			"r.csv: parsing 20.0 MB of 20.0 MB (100%), 50000 events, 25000 events/s"},
		{pipeline.Progress{FileName: "-", Phase: "parse", Bytes: 1_500_000}, 0, "-: parsing 1.5 MB"},
	}
	for _, tc := range tests {
		if got := progressText(tc.p, tc.size); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}

func TestProgressLineClearsWhenDone(t *testing.T) {
	var b bytes.Buffer
	f := progressLine(&b, 0)
	f(pipeline.Progress{FileName: "r.csv", Phase: "parse", Bytes: 1})
	f(pipeline.Progress{Done: true})
	if !strings.HasSuffix(b.String(), "\r\033[K") || !strings.Contains(b.String(), "r.csv: parsing") {
		t.Errorf("got %q, want the status line then a cleared line", b.String())
	}
	if isTerminal(&b) {
		t.Error("a buffer is not a terminal")
	}
}
