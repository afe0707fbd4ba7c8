// Package genericcsv reads partner feeds in CSV whose column mapping is
// configuration (Config), not code: a national CERT adds a partner's feed
// by describing its columns.
package genericcsv

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/event"
	"github.com/qalxan/qalxan/internal/feed"
)

// Parser parses the reports of one configured feed.
type Parser struct {
	cfg    Config
	cols   []column    // format csv
	fields []jsonField // format json
	delim  rune
	base   *event.Event // the constants
}

// New checks c and returns its parser.
func New(c Config) (*Parser, error) {
	cols, delim, err := c.compile()
	if err != nil {
		return nil, err
	}
	var fields []jsonField
	if c.Format == "json" {
		if fields, err = c.compileFields(); err != nil {
			return nil, err
		}
	}
	base := event.New(8)
	if err := base.Set("classification.type", c.Type); err != nil {
		return nil, fmt.Errorf("feed %q: type: %v", c.Name, err)
	}
	if err := base.Set("feed.provider", c.Provider); err != nil {
		return nil, err
	}
	names := make([]string, 0, len(c.ConstantFields))
	for k := range c.ConstantFields {
		names = append(names, k)
	}
	sort.Strings(names) // classification.type before its taxonomy
	for _, k := range names {
		if err := base.Set(k, c.ConstantFields[k]); err != nil {
			return nil, fmt.Errorf("feed %q: constant_fields: %v", c.Name, err)
		}
	}
	for from, to := range c.TypeTranslation {
		if err := event.New(2).Set("classification.type", to); err != nil {
			return nil, fmt.Errorf("feed %q: type_translation %q: %v", c.Name, from, err)
		}
	}
	return &Parser{cfg: c, cols: cols, fields: fields, delim: delim, base: base}, nil
}

// Register adds the feed c describes to the catalogue.
func Register(c Config) error {
	p, err := New(c)
	if err != nil {
		return err
	}
	if c.Name == "" || c.Name != strings.ToLower(c.Name) {
		return fmt.Errorf("feed name %q: want a lower-case name", c.Name)
	}
	if _, err := feed.Lookup(c.Name); err == nil {
		return fmt.Errorf("feed %q already exists", c.Name)
	}
	format := "csv"
	if c.Format == "json" {
		format = "json"
	}
	feed.Register(feed.Spec{
		Name: c.Name, Provider: c.Provider, DocURL: c.DocURL, Format: format,
		Description: c.Description, FileNames: c.FileNames, Details: p.details, Parser: p,
	})
	return nil
}

// Parse implements feed.Parser.
func (p *Parser) Parse(ctx context.Context, r io.Reader, rep feed.Report, emit feed.Emit) (feed.Stats, error) {
	var st feed.Stats
	base := event.New(8)
	if err := feed.SetCommon(rep, base); err != nil {
		return st, err
	}
	if rep.FeedName == "" && p.cfg.Name != "" {
		if err := base.Set("feed.name", p.cfg.Name); err != nil {
			return st, err
		}
	}
	base.Merge(p.base)
	if p.fields != nil {
		return p.parseJSON(ctx, r, rep, base, emit)
	}
	e := event.New(20)
	var raw strings.Builder
	header := p.cfg.SkipHeader
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), feed.MaxLine)
	for n := 1; sc.Scan(); n++ {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return st, err
			}
		}
		// Comments and blank lines, however indented, are not rows.
		if t := strings.TrimSpace(sc.Text()); t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if header {
			header = false
			continue
		}
		st.Rows++
		rd := csv.NewReader(strings.NewReader(sc.Text()))
		rd.Comma, rd.LazyQuotes = p.delim, true
		rec, err := rd.Read()
		if err == nil {
			e.CopyFrom(base)
			err = p.row(e, rec)
		}
		if err != nil {
			st.AddBad(rep, feed.BadRow{Line: n, Reason: err.Error()})
			continue
		}
		// IntelMQ's raw is the row as its csv writer gives it back.
		raw.Reset()
		w := csv.NewWriter(&raw)
		_ = w.Write(rec) // a strings.Builder does not fail
		w.Flush()
		e.SetRaw([]byte(raw.String()))
		e.Line = n
		if err := emit(e); err != nil {
			return st, err
		}
		st.Events++
	}
	if err := sc.Err(); err != nil {
		return st, fmt.Errorf("line %d: %w", st.Rows+1, err)
	}
	return st, nil
}

func (p *Parser) row(e *event.Event, rec []string) error {
	if len(rec) < len(p.cols) {
		return fmt.Errorf("%d columns, want %d", len(rec), len(p.cols))
	}
	for i, keys := range p.cols {
		v := strings.TrimSpace(rec[i])
		if len(keys) == 0 || event.IsIgnored(v) {
			continue
		}
		var err error
		for _, k := range keys {
			if err = e.SetKey(k, p.value(k, v)); err == nil {
				break
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// value rewrites v as its key needs: a type through type_translation, a
// URL with the default scheme, a time in the configured format.
func (p *Parser) value(k *event.Key, v string) string {
	switch {
	case k.Name == "classification.type":
		if t, ok := p.cfg.TypeTranslation[v]; ok {
			return t
		}
	case k.Type == event.URL && p.cfg.DefaultURLProtocol != "" && !strings.Contains(v, "://"):
		return p.cfg.DefaultURLProtocol + v
	case k.Type == event.DateTime && p.cfg.TimeFormat != "":
		if t, ok := p.time(v); ok {
			return event.FormatTime(t)
		}
	}
	return v
}

func (p *Parser) time(v string) (time.Time, bool) {
	f := p.cfg.TimeFormat
	if layout, ok := strings.CutPrefix(f, "layout|"); ok {
		t, err := time.Parse(layout, v)
		return t, err == nil
	}
	n, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
		return time.Time{}, false
	}
	switch f {
	case "timestamp":
		return time.UnixMicro(int64(math.Round(n * 1e6))), true
	case "epoch_millis":
		return time.UnixMilli(int64(n)), true
	case "windows_nt": // 100 ns ticks since 1601-01-01
		return time.Date(1601, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(n/864e9)).
			Add(time.Duration(math.Mod(n, 864e9)) * 100), true
	}
	return time.Time{}, false
}

// details describes the mapping for "qalxan feeds show".
func (p *Parser) details(string) (string, error) {
	var b strings.Builder
	if p.fields != nil {
		fmt.Fprintf(&b, "format json, time_format %q\n", p.cfg.TimeFormat)
		for _, f := range p.fields {
			fmt.Fprintf(&b, "field %-24s %s\n", f.name, p.cfg.Fields[f.name])
		}
		fmt.Fprintf(&b, "constant   classification.type = %s\n", p.cfg.Type)
		return b.String(), nil
	}
	fmt.Fprintf(&b, "delimiter %q, skip_header %v, time_format %q\n", string(p.delim), p.cfg.SkipHeader, p.cfg.TimeFormat)
	for i, c := range p.cfg.Columns {
		if c == "" {
			c = "__IGNORE__"
		}
		fmt.Fprintf(&b, "column %-3d %s\n", i+1, c)
	}
	fmt.Fprintf(&b, "constant   classification.type = %s\n", p.cfg.Type)
	return b.String(), nil
}
