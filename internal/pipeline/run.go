package pipeline

import (
	"context"
	"io"
	"sync"

	"github.com/qalxan/qalxan/internal/event"
	"github.com/qalxan/qalxan/internal/feed"
	"github.com/qalxan/qalxan/internal/finding"
	"github.com/qalxan/qalxan/internal/storage"
)

// chunkSize is how many events travel together between stages: large
// enough that channel operations are noise, small enough that the pool of
// chunks is a few megabytes.
const chunkSize = 256

// parsed is a chunk of events from the parser; first is the ordinal of
// its first event in the report.
type parsed struct {
	events []*event.Event
	first  int
}

// rows is a chunk ready for the writer.
type rows struct {
	rows  []storage.StoredEvent
	owned int
}

type written struct {
	inserted, duplicates, owned int
	opened, refreshed, reopened int // findings
	err                         error
}

// run parses r on the calling goroutine, enriches on cfg.Workers
// goroutines and writes on one; all of them have ended when it returns.
// The parser draws its chunks from a fixed pool that the workers refill,
// so a slow store slows the parser instead of filling memory.
func (p *Pipeline) run(ctx context.Context, spec feed.Spec, r io.Reader, rep feed.Report, st *Stats, prog *progress) (feed.Stats, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	pool := 2*p.cfg.Workers + 2
	free := make(chan []*event.Event, pool)
	for range pool {
		free <- make([]*event.Event, 0, chunkSize)
	}
	work := make(chan parsed, pool)
	out := make(chan rows, p.cfg.Workers)

	var workers sync.WaitGroup
	for range p.cfg.Workers {
		workers.Go(func() { p.work(ctx, spec, rep, st.ReportID, work, out, free) })
	}
	done := make(chan written, 1)
	go func() { done <- p.write(ctx, cancel, spec.Name, out, prog) }()

	var cur []*event.Event
	ordinal := 0 // events emitted so far: the stored line when the parser gives none
	send := func() error {
		select {
		case work <- parsed{events: cur, first: ordinal - len(cur) + 1}:
			cur = nil
			return nil
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
	emit := func(e *event.Event) error {
		if cur == nil {
			select {
			case cur = <-free:
			case <-ctx.Done():
				return context.Cause(ctx)
			}
		}
		n := len(cur)
		cur = cur[:n+1]
		if cur[n] == nil {
			cur[n] = event.New(e.Len() + 4) // room for the enrichment fields
		}
		cur[n].CopyFrom(e) // e is the parser's, reused for the next row
		ordinal++
		if n+1 == chunkSize {
			return send()
		}
		return nil
	}
	ps, err := spec.Parser.Parse(ctx, r, rep, emit)
	if err == nil && len(cur) > 0 {
		err = send()
	}
	close(work)
	workers.Wait()
	close(out)
	w := <-done
	st.Events, st.Duplicates, st.Owned = w.inserted, w.duplicates, w.owned
	st.FindingsOpened, st.FindingsRefreshed, st.FindingsReopened = w.opened, w.refreshed, w.reopened
	if w.err != nil {
		return ps, w.err // the cause; the parser saw only the cancellation
	}
	return ps, err
}

// work turns parsed chunks into rows and returns the chunks to the pool.
func (p *Pipeline) work(ctx context.Context, spec feed.Spec, rep feed.Report, reportID int64, in <-chan parsed, out chan<- rows, free chan<- []*event.Event) {
	var owners []int64
	perEvent := 1024 // JSON bytes per event, learnt from the previous chunk
	for c := range in {
		rs := rows{rows: make([]storage.StoredEvent, len(c.events))}
		// One buffer holds the chunk's JSON; rows point into it, so a
		// chunk costs a few allocations, not one per event.
		arena := make([]byte, 0, len(c.events)*perEvent*9/8)
		for i, e := range c.events {
			owners = p.enrich(e, owners[:0])
			start := len(arena)
			line := e.Line
			if line == 0 { // a parser that does not know its lines: the event's ordinal
				line = c.first + i
			}
			arena = p.row(spec, rep, e, line, owners, arena, &rs.rows[i])
			rs.rows[i].ReportID = reportID
			rs.rows[i].Data = arena[start:len(arena):len(arena)]
			if len(owners) > 0 {
				rs.owned++
			}
		}
		if len(c.events) > 0 {
			perEvent = len(arena)/len(c.events) + 1
		}
		free <- c.events[:0] // never blocks: the pool has room for every chunk
		select {
		case out <- rs:
		case <-ctx.Done():
			return
		}
	}
}

// write is the one goroutine that stores: it gathers rows into batches of
// cfg.BatchSize, one transaction each. On an error it cancels the run and
// returns, and the other stages stop on the cancellation.
func (p *Pipeline) write(ctx context.Context, cancel context.CancelCauseFunc, feedName string, in <-chan rows, prog *progress) (w written) {
	pending := make([]storage.StoredEvent, 0, p.cfg.BatchSize)
	var obs []finding.Observation
	flush := func() bool {
		if len(pending) == 0 {
			return true
		}
		ins, dup, err := p.cfg.Store.InsertEvents(ctx, pending)
		if err == nil && p.cfg.Findings != nil {
			// In order, after the events: the links need their ids.
			obs = p.observations(pending, obs[:0])
			err = p.observe(ctx, obs, &w)
		}
		clear(pending) // drop the references to the chunks' JSON
		pending = pending[:0]
		if err != nil {
			w.err = err
			cancel(err)
			return false
		}
		w.inserted += ins
		w.duplicates += dup
		p.cfg.Metrics.stored(feedName, ins, dup)
		prog.stored(ins + dup)
		return true
	}
	for c := range in {
		w.owned += c.owned
		pending = append(pending, c.rows...)
		if len(pending) >= p.cfg.BatchSize && !flush() {
			return w
		}
	}
	if ctx.Err() == nil {
		flush()
	}
	return w
}
