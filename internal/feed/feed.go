// Package feed is the catalogue of threat feeds Qalxan reads: each feed is
// a registered Spec with a Parser that streams a report into events.
// Providers live in subpackages and register themselves in init();
// package feed/all imports them all.
package feed

import (
	"context"
	"io"
	"time"

	"github.com/qalxan/qalxan/internal/event"
)

// Report is what the parser knows about the report it reads besides its
// bytes: where it came from and when it was collected.
type Report struct {
	FileName string    // the report's file name, which for some feeds names the report type
	Type     string    // the report type within the feed, when the feed has several and the caller knows it
	FeedName string    // feed.name for the events; empty for the feed's own default
	FeedURL  string    // feed.url, when collected from a URL
	Observed time.Time // time.observation: when the report was collected

	// OnBad, when set, is told of every row that gave no event.
	OnBad func(BadRow)
}

// BadRow is a row that could not be turned into an event. It never stops
// the rest of the report.
type BadRow struct {
	Line   int // 1-based line in the report where the row starts
	Reason string
}

// MaxBadRows bounds Stats.BadRows; the count goes on.
const MaxBadRows = 100

// Stats counts what a parse did.
type Stats struct {
	Rows    int      // data rows read (comments and headers excluded)
	Events  int      // events emitted
	Bad     int      // rows that gave no event
	BadRows []BadRow // the first MaxBadRows of them
}

// AddBad records a bad row in s and tells rep.OnBad.
func (s *Stats) AddBad(rep Report, b BadRow) {
	s.Bad++
	if len(s.BadRows) < MaxBadRows {
		s.BadRows = append(s.BadRows, b)
	}
	if rep.OnBad != nil {
		rep.OnBad(b)
	}
}

// Emit is called with each event. The event is only valid during the
// call: parsers reuse it for the next row (Clone it to keep it). An error
// from Emit stops the parse and is returned.
type Emit func(*event.Event) error

// Parser turns a report into events, streaming: memory does not grow with
// the report's size. Parse returns an error only when the report as a
// whole cannot be read (unknown report type, missing header, I/O error,
// ctx done, Emit failed); bad rows are counted in Stats.
type Parser interface {
	Parse(ctx context.Context, r io.Reader, rep Report, emit Emit) (Stats, error)
}

// ParserFunc adapts a function to Parser.
type ParserFunc func(ctx context.Context, r io.Reader, rep Report, emit Emit) (Stats, error)

func (f ParserFunc) Parse(ctx context.Context, r io.Reader, rep Report, emit Emit) (Stats, error) {
	return f(ctx, r, rep, emit)
}
