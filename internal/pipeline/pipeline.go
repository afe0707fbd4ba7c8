// Package pipeline turns reports into stored events: archive, parse,
// enrich, find owners, deduplicate, store.
//
// It streams with bounded memory whatever the report's size. The parser
// fills batches of events drawn from a fixed pool; a fixed number of
// workers enrich them and encode the rows; one writer goroutine stores
// them in transactions of BatchSize (one writer because SQLite has one,
// and on PostgreSQL large batches matter more than parallel writers).
// Deduplication is the store's: an event whose fingerprint (which
// includes the day of time.source) is already stored is counted as a
// duplicate, so re-ingesting a report creates no new events.
package pipeline

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"runtime"
	"time"

	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/enrich"
	"github.com/qalxan/qalxan/internal/feed"
	"github.com/qalxan/qalxan/internal/finding"
	"github.com/qalxan/qalxan/internal/storage"
)

// Sink stores batches of events; the one writer goroutine is its only
// caller. *storage.Store is one.
type Sink interface {
	InsertEvents(ctx context.Context, batch []storage.StoredEvent) (inserted, duplicates int, err error)
}

// Archive keeps the raw reports. *storage.Store is one.
type Archive interface {
	ArchiveReport(ctx context.Context, r storage.ArchivedReport, content io.Reader) (id int64, duplicate bool, err error)
	OpenReport(ctx context.Context, id int64) (*storage.ArchivedReport, io.ReadCloser, error)
	SetReportFeed(ctx context.Context, id int64, feed string) error
	MarkReportParsed(ctx context.Context, id int64, events, badRows int) error
	QuarantineReport(ctx context.Context, id int64, reason string) error
}

// Store is what the pipeline needs of storage.
type Store interface {
	Sink
	Archive
}

// Config sets a pipeline up. Only Store is required.
type Config struct {
	Store    Store
	Enricher *enrich.Enricher      // nil or off: no ASN/country enrichment
	Matcher  *constituency.Matcher // nil: no owners
	// OrgIDs maps the matcher's owner short names to organisation ids.
	OrgIDs    map[string]int64
	Workers   int // enrichment goroutines; default GOMAXPROCS
	BatchSize int // events per transaction; default 5000

	// Findings, when set, hears of every new owned event that reports a
	// security gap, one observation per owner, after each batch is
	// stored; Policy rates them and Critical names the organisations of
	// critical information infrastructure (see CII).
	Findings FindingSink
	Policy   finding.Policy
	Critical map[int64]bool

	Metrics *Metrics // nil: not counted
	// OnProgress, when set, hears how each report is getting on, a few
	// times a second and once when it is done.
	OnProgress func(Progress)
}

// Pipeline ingests reports. It is safe for concurrent use; each Ingest
// runs its own goroutines.
type Pipeline struct {
	cfg Config
}

// New returns a pipeline for cfg.
func New(cfg Config) *Pipeline {
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 5000
	}
	return &Pipeline{cfg: cfg}
}

// Input is one report to ingest.
type Input struct {
	Source  string      // the collector, for the archive ("file", "imap:cert") ...
	Feed    string      // feed name; empty: recognised from the file name and first bytes
	Report  feed.Report // FileName, Type, Observed; OnBad, when set, hears of each bad row
	Content io.Reader   // the report's bytes, read once into the archive
	// Meta is what the collector knows of the report (mail subject and
	// sender, URL, ETag, Shadowserver report id), kept in the archive.
	Meta map[string]string
}

// Stats is what one ingest did.
type Stats struct {
	ReportID        int64
	DuplicateReport bool // the archive already held this content
	Feed            string
	Rows            int
	Events          int // stored: new events
	Duplicates      int // already stored (same fingerprint)
	Bad             int
	BadRows         []feed.BadRow // the first feed.MaxBadRows
	Owned           int           // events with at least one owner
	// Findings the new events opened, refreshed (seen again) and reopened
	// (seen again after a fix), when the pipeline makes findings.
	FindingsOpened, FindingsRefreshed, FindingsReopened int
	Elapsed                                             time.Duration
}

// PerSecond is the rate of events parsed, stored or not.
func (s Stats) PerSecond() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Events+s.Duplicates) / s.Elapsed.Seconds()
}

// Add sums t into s (for a summary over several reports).
func (s *Stats) Add(t Stats) {
	s.Rows += t.Rows
	s.Events += t.Events
	s.Duplicates += t.Duplicates
	s.Bad += t.Bad
	s.Owned += t.Owned
	s.FindingsOpened += t.FindingsOpened
	s.FindingsRefreshed += t.FindingsRefreshed
	s.FindingsReopened += t.FindingsReopened
	s.Elapsed += t.Elapsed
	if room := feed.MaxBadRows - len(s.BadRows); room > 0 {
		s.BadRows = append(s.BadRows, t.BadRows[:min(room, len(t.BadRows))]...)
	}
}

// Ingest archives a report, then parses what was archived and stores its
// events. A report that cannot be parsed at all is quarantined with the
// reason and the error returned; bad rows are counted and the rest is
// stored. A report already in the archive is parsed again, and its events
// count as duplicates: nothing is stored twice.
func (p *Pipeline) Ingest(ctx context.Context, in Input) (Stats, error) {
	start := time.Now()
	prog := newProgress(p.cfg.OnProgress, in.Report.FileName)
	content := in.Content
	if prog != nil {
		content = countingReader{r: content, p: prog}
	}
	id, dup, err := p.cfg.Store.ArchiveReport(ctx, storage.ArchivedReport{
		Source: in.Source, Feed: in.Feed, FileName: in.Report.FileName, Meta: metaOf(in),
	}, content)
	if err != nil {
		p.cfg.Metrics.report("", outcomeFailed, 0)
		return Stats{}, err
	}
	st, err := p.process(ctx, id, in.Feed, in.Report, prog)
	st.DuplicateReport = dup
	st.Elapsed = time.Since(start)
	return st, err
}

func metaOf(in Input) map[string]string {
	if in.Report.FeedURL == "" {
		return in.Meta
	}
	m := maps.Clone(in.Meta)
	if m == nil {
		m = map[string]string{}
	}
	m["url"] = in.Report.FeedURL
	return m
}

// Process parses an archived report and stores its events: the second
// half of Ingest, and how a report is re-processed.
func (p *Pipeline) Process(ctx context.Context, reportID int64, feedName string, rep feed.Report) (Stats, error) {
	return p.process(ctx, reportID, feedName, rep, newProgress(p.cfg.OnProgress, rep.FileName))
}

func (p *Pipeline) process(ctx context.Context, reportID int64, feedName string, rep feed.Report, prog *progress) (st Stats, err error) {
	start := time.Now()
	outcome := outcomeFailed
	defer func() {
		p.cfg.Metrics.report(st.Feed, outcome, st.Bad)
		prog.tick(true)
	}()
	st = Stats{ReportID: reportID}
	rec, rc, err := p.cfg.Store.OpenReport(ctx, reportID)
	if err != nil {
		return st, err
	}
	defer rc.Close()
	prog.setPhase("parse")
	var content io.Reader = rc
	if prog != nil {
		content = countingReader{r: rc, p: prog}
	}
	if rep.FileName == "" {
		rep.FileName = rec.FileName
	}
	if rep.Observed.IsZero() {
		rep.Observed = rec.ReceivedAt
	}
	br := bufio.NewReaderSize(content, 64<<10)
	spec, err := pickFeed(feedName, rep.FileName, br)
	if err != nil {
		outcome = outcomeQuarantined
		return st, p.quarantine(ctx, reportID, err)
	}
	st.Feed = spec.Name
	if feedName == "" {
		if err := p.cfg.Store.SetReportFeed(ctx, reportID, spec.Name); err != nil {
			return st, err
		}
	}
	ps, err := p.run(ctx, spec, br, rep, &st, prog)
	st.Rows, st.Bad, st.BadRows = ps.Rows, ps.Bad, ps.BadRows
	st.Elapsed = time.Since(start)
	if err == nil && st.Events+st.Duplicates == 0 && st.Bad > 0 {
		// Every row bad is a report we cannot read (a changed format, say),
		// not an empty one: a person should look at it.
		b := st.BadRows[0]
		err = fmt.Errorf("no row gave an event (%d bad rows; line %d: %s)", st.Bad, b.Line, b.Reason)
	}
	switch {
	case err != nil && ctx.Err() != nil:
		return st, err // stopped, not the report's fault: leave it to be processed again
	case err != nil && st.Events+st.Duplicates == 0:
		outcome = outcomeQuarantined
		return st, p.quarantine(ctx, reportID, err)
	case err != nil:
		outcome = outcomePartial
		// Part of the report was stored; what was stored stays (re-processing
		// dedupes), and the report is marked with what it gave.
		if merr := p.cfg.Store.MarkReportParsed(ctx, reportID, st.Events+st.Duplicates, st.Bad); merr != nil {
			return st, errors.Join(err, merr)
		}
		return st, err
	}
	outcome = outcomeParsed
	return st, p.cfg.Store.MarkReportParsed(ctx, reportID, st.Events+st.Duplicates, st.Bad)
}

func pickFeed(name, fileName string, br *bufio.Reader) (feed.Spec, error) {
	if name != "" {
		return feed.Lookup(name)
	}
	head, _ := br.Peek(4096)
	return feed.Detect(fileName, head)
}

// quarantine records why a report could not be parsed, and returns that
// reason as the error.
func (p *Pipeline) quarantine(ctx context.Context, id int64, reason error) error {
	if err := p.cfg.Store.QuarantineReport(ctx, id, reason.Error()); err != nil {
		return errors.Join(reason, err)
	}
	return fmt.Errorf("report %d quarantined: %w", id, reason)
}
