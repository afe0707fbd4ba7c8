// Package observed follows the streams of newly seen domains a CERT gets —
// certificate-transparency names (certstream JSON lines), lists of newly
// registered domains, passive DNS exports — and hands their domains, in
// batches, to whoever matches them against the protected brands.
//
// A source is a file that grows (followed from the offset of its last
// whole line, kept across restarts through a StateStore) or a URL
// published again and again (fetched on a schedule with a conditional GET,
// so an unchanged list costs one 304). Reading is at least once: a batch
// whose handling failed is read again next round, which the candidates'
// deduplication by registered domain makes harmless.
package observed

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/lookalike"
)

// Format is how a source writes its domains.
type Format string

const (
	// Lines is one domain or URL per line, or the first field of a CSV,
	// tab- or space-separated export (newly registered domains, passive
	// DNS); comments (#) and blank lines are skipped.
	Lines Format = "lines"
	// Certstream is one certstream JSON message per line: every name on
	// the certificate, and its issuer (a free one adds to the score).
	Certstream Format = "certstream"
)

// ParseFormat checks a format name; "" is Lines.
func ParseFormat(s string) (Format, error) {
	switch f := Format(s); f {
	case "":
		return Lines, nil
	case Lines, Certstream:
		return f, nil
	}
	return "", fmt.Errorf("format %q: want lines or certstream", s)
}

// DefaultEvery is how often a source is read when it sets no interval.
const DefaultEvery = time.Minute

// BatchSize is how many domains are handed on at once, and how often a
// followed file's offset is saved.
const BatchSize = 5000

// maxLine bounds one line: a certificate with a thousand names is long,
// anything longer is not a line of such a stream.
const maxLine = 1 << 20

// Source is one stream of observed domains: a Path or a URL.
type Source struct {
	Name   string
	Path   string // a file followed as it grows
	URL    string // a list fetched on a schedule
	Format Format
	Every  time.Duration // DefaultEvery when 0

	Client  *http.Client  // for URL; http.DefaultClient when nil
	Timeout time.Duration // per download; collect.DefaultTimeout when 0
	MaxBody int64         // per download; collect.DefaultMaxDownload when 0
}

// State is where a source got to.
type State struct {
	FileID       string // the file read (device and inode), to notice a rotation
	Offset       int64  // bytes of whole lines read
	ETag         string // of the last download read in full
	LastModified string
}

// StateStore keeps sources' states across restarts.
type StateStore interface {
	LoadState(ctx context.Context, name string) (State, error)
	// SaveState records st, and adds domains read and matched to the
	// source's counts.
	SaveState(ctx context.Context, name string, st State, domains, matched int) error
}

// Sink takes a batch of observations (each domain once per batch) and
// returns how many of them matched a brand.
type Sink func(ctx context.Context, obs []lookalike.Observation) (matched int, err error)

// Result is what one round read.
type Result struct {
	Domains int // observations handed to the sink
	Matched int // of which the sink said matched
	Skipped int // lines that held no domain (bad JSON, a bare address, too long)
}

// Validate checks a source before it runs.
func (s Source) Validate() error {
	if (s.Path == "") == (s.URL == "") {
		return fmt.Errorf("source %q: give either a file or a url", s.Name)
	}
	if _, err := ParseFormat(string(s.Format)); err != nil {
		return fmt.Errorf("source %q: %w", s.Name, err)
	}
	return nil
}

// Round reads what is new in the source and hands it to sink.
func (s *Source) Round(ctx context.Context, states StateStore, sink Sink) (Result, error) {
	if err := s.Validate(); err != nil {
		return Result{}, err
	}
	st, err := states.LoadState(ctx, s.Name)
	if err != nil {
		return Result{}, err
	}
	if s.Path != "" {
		return s.followFile(ctx, st, states, sink)
	}
	return s.fetchURL(ctx, st, states, sink)
}

// batcher gathers a round's observations, each domain once per batch,
// and hands them on.
type batcher struct {
	format Format
	sink   Sink
	obs    []lookalike.Observation
	seen   map[string]bool
	res    Result
}

func newBatcher(f Format, sink Sink) *batcher {
	return &batcher{format: f, sink: sink, seen: map[string]bool{}}
}

// line parses one line of the stream.
func (b *batcher) line(line []byte) {
	s := strings.TrimSpace(string(line))
	if s == "" || s[0] == '#' {
		return
	}
	if (b.format == Certstream) != (s[0] == '{') {
		b.res.Skipped++ // a domain in a certstream, or JSON in a list
		return
	}
	obs := lookalike.ParseLine(s)
	if len(obs) == 0 {
		b.res.Skipped++
	}
	for _, o := range obs {
		if o.Domain == "" || b.seen[o.Domain] {
			continue
		}
		b.seen[o.Domain] = true
		b.obs = append(b.obs, o)
	}
}

func (b *batcher) full() bool { return len(b.obs) >= BatchSize }

// flush hands the batch to the sink.
func (b *batcher) flush(ctx context.Context) error {
	if len(b.obs) == 0 {
		return nil
	}
	n, err := b.sink(ctx, b.obs)
	if err != nil {
		return err
	}
	b.res.Domains += len(b.obs)
	b.res.Matched += n
	b.obs, b.seen = b.obs[:0], map[string]bool{}
	return nil
}

// Run reads every source on its schedule until ctx ends; a failed round
// goes to onRound (for the log) and the source is read again at its next
// time. It returns when every source's round in progress has ended.
func Run(ctx context.Context, sources []Source, states StateStore, sink Sink, onRound func(name string, r Result, err error)) {
	done := make(chan struct{}, len(sources))
	for i := range sources {
		s := &sources[i]
		go func() {
			defer func() { done <- struct{}{} }()
			every := s.Every
			if every <= 0 {
				every = DefaultEvery
			}
			t := time.NewTicker(every)
			defer t.Stop()
			for {
				r, err := s.Round(ctx, states, sink)
				if ctx.Err() != nil {
					return
				}
				if onRound != nil {
					onRound(s.Name, r, err)
				}
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
			}
		}()
	}
	for range sources {
		<-done
	}
}

// errTooLong is a line over maxLine.
var errTooLong = errors.New("line too long")
