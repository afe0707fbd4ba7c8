package shadowserver

import (
	"context"
	"encoding/base64"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/qalxan/qalxan/internal/event"
	"github.com/qalxan/qalxan/internal/feed"
)

// blockSize is how much of a report one goroutine takes at a time: a
// couple of thousand rows, so handing blocks around costs nothing next to
// building their events, and the blocks in flight stay a few megabytes.
const blockSize = 256 << 10

// block is a run of whole CSV records and the line its first byte is on.
type block struct {
	data []byte
	line int
}

// built is what one block gave: its events in order (the slice is reused
// from block to block), its bad rows, and how many rows it had.
type built struct {
	events []*event.Event
	n      int
	bad    []feed.BadRow
	rows   int
	err    error // reading the report failed here
	data   []byte
}

// rowReader turns the blocks after the header into events: the blocks
// are cut by the CSVChunker, built by workers in parallel, and handed to
// emit in order. Each worker has its own copy of the compiled report's
// per-row state.
type rowReader struct {
	c         *compiledReport
	rawPrefix []byte // the header line and "\n": raw is base64(rawPrefix + line), as IntelMQ has it

	// Emitted batches and block buffers for reuse. Free lists, not
	// sync.Pools: a pool is emptied by every garbage collection, and
	// here, with collections every few hundred milliseconds, that meant
	// allocating a block's events and their field slices again and again.
	// The blocks in flight are bounded (see run), so are these.
	batches chan *built
	buffers chan []byte
}

type job struct {
	block
	out chan *built // capacity 1: a worker never waits on it
}

func (rr *rowReader) run(ctx context.Context, workers int, chunks *feed.CSVChunker, first block, rep feed.Report, emit feed.Emit) (feed.Stats, error) {
	var st feed.Stats
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()

	work := make(chan job)
	order := make(chan chan *built, 2*workers)
	// In flight at most: the order queue, one block per worker, one being
	// emitted and one being cut.
	rr.batches = make(chan *built, 3*workers+2)
	rr.buffers = make(chan []byte, 3*workers+2)
	wg.Go(func() { rr.cut(ctx, chunks, first, work, order) })
	for range workers {
		w := rr.newWorker()
		wg.Go(func() {
			for j := range work {
				j.out <- w.build(j.block, rep, rr.batch())
			}
		})
	}

	for out := range order {
		var b *built
		select {
		case b = <-out:
		case <-ctx.Done():
			return st, ctx.Err()
		}
		if b.err != nil {
			return st, fmt.Errorf("shadowserver %s: %w", rr.c.rt.Name, b.err)
		}
		st.Rows += b.rows
		for _, bad := range b.bad {
			st.AddBad(rep, bad)
		}
		for _, e := range b.events[:b.n] {
			if err := emit(e); err != nil {
				return st, err
			}
			st.Events++
		}
		rr.recycle(b)
	}
	return st, ctx.Err()
}

// cut hands the blocks to the workers, and each block's result channel to
// the emitter in the report's order. It stops when the report ends or ctx
// is done.
func (rr *rowReader) cut(ctx context.Context, chunks *feed.CSVChunker, next block, work chan<- job, order chan<- chan *built) {
	defer close(order)
	defer close(work)
	for {
		out := make(chan *built, 1)
		select {
		case order <- out:
		case <-ctx.Done():
			return
		}
		select {
		case work <- job{next, out}:
		case <-ctx.Done():
			return
		}
		var buf []byte
		select {
		case buf = <-rr.buffers:
		default:
		}
		data, line, err := chunks.Next(buf)
		if err == io.EOF {
			return
		}
		if err != nil {
			out := make(chan *built, 1)
			out <- &built{err: err}
			select {
			case order <- out:
			case <-ctx.Done():
			}
			return
		}
		next = block{data, line}
	}
}

func (rr *rowReader) batch() *built {
	select {
	case b := <-rr.batches:
		return b
	default:
		return &built{}
	}
}

func (rr *rowReader) recycle(b *built) {
	if b.data != nil {
		select {
		case rr.buffers <- b.data[:0]:
		default:
		}
	}
	b.n, b.bad, b.rows, b.data = 0, b.bad[:0], 0, nil
	select {
	case rr.batches <- b:
	default:
	}
}

// worker builds the rows of one block at a time.
type worker struct {
	c       compiledReport // a copy: pending, fields and present are per row
	prefix  string         // rawPrefix's bytes after its whole 3-byte groups
	headB64 string         // base64 of rawPrefix's whole 3-byte groups, shared by every row
	row     []string       // a short row's fields, padded to the header's length
}

func (rr *rowReader) newWorker() *worker {
	whole := len(rr.rawPrefix) / 3 * 3
	w := &worker{c: *rr.c, prefix: string(rr.rawPrefix[whole:]), headB64: base64.StdEncoding.EncodeToString(rr.rawPrefix[:whole])}
	w.c.pending = make([]bool, len(rr.c.pending))
	if w.c.plan != nil {
		w.c.slots = w.c.plan.newSlots()
	}
	return w
}

// build parses one block's rows into b.
func (w *worker) build(bl block, rep feed.Report, b *built) *built {
	b.data = bl.data
	// One string for the block, which its events' values are substrings
	// of: one allocation and copy per block, not one per row, and the
	// buffer goes back to be read into again.
	rows := feed.NewCSVBlock(string(bl.data), bl.line)
	header := len(w.c.pending)
	for {
		fields, line, raw, err := rows.Next()
		if err == io.EOF {
			return b
		}
		b.rows++
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				b.err = err
				return b
			}
			b.bad = append(b.bad, feed.BadRow{Line: pe.StartLine, Reason: pe.Err.Error()})
			continue
		}
		// Like Python's DictReader, which IntelMQ uses: columns missing
		// at the end of a short row have no value; cells beyond the
		// header are dropped.
		w.c.present = min(len(fields), header)
		if len(fields) < header {
			// Into the worker's own slice: appending to the reader's
			// (reused, no room to spare) allocated a new one every row.
			w.row = append(w.row[:0], fields...)
			for len(w.row) < header {
				w.row = append(w.row, "")
			}
			fields = w.row
		}
		fields = fields[:header]
		if b.n == len(b.events) {
			b.events = append(b.events, event.New(48))
		}
		e := b.events[b.n]
		if err := w.c.build(e, fields, rawText{w.headB64, w.prefix, raw}); err != nil {
			b.bad = append(b.bad, feed.BadRow{Line: line, Reason: err.Error()})
			continue
		}
		e.Line = line
		e.Sort() // here, in parallel, not in the emitter (a no-op after a plan)
		b.n++
	}
}

// trimLine drops blank lines before a record and the line end after it.
func trimLine(b []byte) []byte {
	for len(b) > 0 && (b[0] == '\n' || b[0] == '\r') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}
