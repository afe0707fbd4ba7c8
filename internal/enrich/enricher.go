package enrich

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"path/filepath"
	"strings"
)

// Config names the data files to enrich from, in order of precedence: for
// each field, the first file that knows it wins (see Chain). Paths ending
// in ".mmdb" are MaxMind DB files; ".csv" and ".csv.gz" are IP-range files.
type Config struct {
	Files  []string
	Logger *slog.Logger // nil: slog.Default()
}

// Enricher looks addresses up in the configured sources. With no sources it
// is off: every lookup misses, which is cheaper than the caller checking.
type Enricher struct {
	src     Chain
	closers []io.Closer
}

// New opens the configured files. New(nil), or a Config without files,
// returns an enricher that is off, and says so once in the log so an
// operator wondering about empty ASN columns finds why. Any file that fails
// to open fails New: a configured source silently missing would look like
// bad data.
func New(cfg *Config) (*Enricher, error) {
	var c Config
	if cfg != nil {
		c = *cfg
	}
	log := c.Logger
	if log == nil {
		log = slog.Default()
	}
	e := &Enricher{}
	for _, path := range c.Files {
		src, err := openSource(path)
		if err != nil {
			e.Close()
			return nil, err
		}
		e.src = append(e.src, src)
		if cl, ok := src.(io.Closer); ok {
			e.closers = append(e.closers, cl)
		}
		log.Info("enrichment source", "source", fmt.Sprint(src))
	}
	if len(e.src) == 0 {
		log.Info("IP enrichment is off: no MMDB or IP-range files configured; events get no ASN or country")
	}
	return e, nil
}

// NewFromSources builds an enricher over sources already open, in order of
// precedence; closing it does not close them.
func NewFromSources(sources ...IPSource) *Enricher {
	return &Enricher{src: Chain(sources)}
}

func openSource(path string) (IPSource, error) {
	lower := strings.ToLower(path)
	switch {
	case strings.HasSuffix(lower, ".mmdb"):
		return OpenMMDB(path)
	case strings.HasSuffix(lower, ".csv"), strings.HasSuffix(lower, ".csv.gz"):
		t, err := OpenRanges(path)
		if err != nil {
			return nil, err
		}
		return rangeFile{t, path}, nil
	}
	return nil, fmt.Errorf("enrich: %s: unknown kind of file %q: want .mmdb, .csv or .csv.gz", path, filepath.Ext(path))
}

// rangeFile names a RangeTable for logs.
type rangeFile struct {
	*RangeTable
	path string
}

func (r rangeFile) String() string {
	s := fmt.Sprintf("ranges %s (%d ranges from %d lines", r.path, r.Len(), r.Lines())
	if r.Skipped() > 0 {
		s += fmt.Sprintf(", %d bad lines skipped, first %v", r.Skipped(), r.BadLines()[0])
	}
	return s + ")"
}

// Enabled reports whether any source is configured.
func (e *Enricher) Enabled() bool { return e != nil && len(e.src) > 0 }

// Lookup implements IPSource. A nil *Enricher is off, like New(nil).
func (e *Enricher) Lookup(a netip.Addr) (IPInfo, bool) {
	if e == nil || len(e.src) == 0 {
		return IPInfo{}, false
	}
	return e.src.Lookup(a)
}

// Close releases the files New opened. Lookups must have finished.
func (e *Enricher) Close() error {
	var errs []error
	for _, c := range e.closers {
		errs = append(errs, c.Close())
	}
	e.closers = nil
	return errors.Join(errs...)
}
