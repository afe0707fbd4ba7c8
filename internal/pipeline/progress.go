package pipeline

import (
	"io"
	"sync/atomic"
	"time"
)

// Progress is where an ingest stands, for a progress bar.
type Progress struct {
	FileName string
	Phase    string // "archive" while the report is read into the archive, then "parse"
	Bytes    int64  // report bytes read so far in this phase
	Events   int    // events stored so far (new and duplicates)
	Elapsed  time.Duration
	Done     bool // the last call for this report
}

// progressEvery is how often OnProgress is called at most: often enough to
// look alive, rarely enough to cost nothing.
const progressEvery = 200 * time.Millisecond

// progress calls cfg.OnProgress at most every progressEvery. Its counters
// are atomics: the reader runs on the parser's goroutine, the writer on
// its own.
type progress struct {
	fn       func(Progress)
	fileName string
	start    time.Time
	phase    atomic.Pointer[string]
	bytes    atomic.Int64
	events   atomic.Int64
	lastCall atomic.Int64 // UnixNano of the last call
}

func newProgress(fn func(Progress), fileName string) *progress {
	if fn == nil {
		return nil
	}
	p := &progress{fn: fn, fileName: fileName, start: time.Now()}
	p.setPhase("archive")
	return p
}

func (p *progress) setPhase(ph string) {
	if p == nil {
		return
	}
	p.phase.Store(&ph)
	p.bytes.Store(0)
}

func (p *progress) read(n int) {
	if p == nil {
		return
	}
	p.bytes.Add(int64(n))
	p.tick(false)
}

func (p *progress) stored(n int) {
	if p == nil {
		return
	}
	p.events.Add(int64(n))
	p.tick(false)
}

// tick reports when progressEvery has passed since the last report (or
// always, when done). Concurrent ticks race benignly: at worst two calls
// close together.
func (p *progress) tick(done bool) {
	if p == nil {
		return
	}
	now := time.Now().UnixNano()
	last := p.lastCall.Load()
	if !done && now-last < int64(progressEvery) {
		return
	}
	if !done && !p.lastCall.CompareAndSwap(last, now) {
		return
	}
	p.fn(Progress{FileName: p.fileName, Phase: *p.phase.Load(), Bytes: p.bytes.Load(), Events: int(p.events.Load()),
		Elapsed: time.Since(p.start), Done: done})
}

// countingReader tells progress of the bytes read through it.
type countingReader struct {
	r io.Reader
	p *progress
}

func (c countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.p.read(n)
	return n, err
}
