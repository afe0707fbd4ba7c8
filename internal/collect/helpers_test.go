package collect_test

import (
	"compress/flate"
	"context"
	"io"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/collect"
)

var ctx = context.Background()

var fixedNow = func() time.Time { return time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC) }

// got is a report as a handler saw it, content read.
type got struct {
	collect.Report
	Body string
}

// sink is a Handler that keeps what it is handed.
type sink struct {
	mu      sync.Mutex
	reports []got
	err     error // returned by every call when set
}

func (s *sink) handle(_ context.Context, r collect.Report) error {
	b, err := io.ReadAll(r.Content)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r.Content = nil
	s.reports = append(s.reports, got{Report: r, Body: string(b)})
	return s.err
}

func (s *sink) names() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, r := range s.reports {
		out = append(out, r.Name)
	}
	return out
}

func mustCollect(t *testing.T, c collect.Collector, h collect.Handler) {
	t.Helper()
	if err := c.Collect(ctx, h); err != nil {
		t.Fatalf("collect %s: %v", c.Name(), err)
	}
}

// pseudoRandom is incompressible, reproducible content.
func pseudoRandom(n int) string {
	b := make([]byte, n)
	rand.NewChaCha8([32]byte{1}).Read(b)
	return string(b)
}

func newFlate(w io.Writer) (*flate.Writer, error) { return flate.NewWriter(w, flate.BestCompression) }
