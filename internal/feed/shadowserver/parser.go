package shadowserver

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"path"
	"regexp"
	"runtime"
	"strings"

	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/event"
	"github.com/qalxan/qalxan/internal/feed"
)

// Parser parses any Shadowserver CSV report the schema describes.
type Parser struct {
	Schema     *Schema // nil: the embedded schema
	ReportType string  // fixed report type; empty: from the report's file or feed name
	Workers    int     // goroutines building events; 0: one per CPU

	plain bool // build every row without a plan (tests compare the two ways)
}

func (p *Parser) workers() int {
	if p.Workers > 0 {
		return p.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// fileNameRE is how Shadowserver names report files
// (2026-11-20-scan_rdp-az-geo.csv): the report type is the first run of
// word characters after the optional date. It is IntelMQ's expression.
var fileNameRE = regexp.MustCompile(`^(?:\d{4}-\d{2}-\d{2}-)?(\w+)(-\w+)*\.csv$`)

// TypeFromFileName returns the report type a file name carries, or "".
func TypeFromFileName(name string) string {
	m := fileNameRE.FindStringSubmatch(path.Base(strings.ReplaceAll(name, "\\", "/")))
	if m == nil {
		return ""
	}
	return m[1]
}

func (p *Parser) schema() *Schema {
	if p.Schema != nil {
		return p.Schema
	}
	return Default()
}

// Resolve finds the report type of a report: the parser's fixed type, the
// type in the file name, or the feed name.
func (p *Parser) Resolve(rep feed.Report) (*ReportType, error) {
	s := p.schema()
	want := p.ReportType
	if want == "" {
		want = rep.Type
	}
	if want == "" {
		want = TypeFromFileName(rep.FileName)
	}
	if want == "" && rep.FeedName != "" {
		if rt, ok := s.Lookup(rep.FeedName); ok {
			return rt, nil
		}
	}
	if want == "" {
		return nil, errs.E(errs.Invalid, "shadowserver: cannot tell the report type from file name %q; name it with --report", rep.FileName)
	}
	if rt, ok := s.Lookup(want); ok {
		return rt, nil
	}
	msg := fmt.Sprintf("shadowserver: unknown report type %q", want)
	if near := feed.Closest(want, s.Names(), 3); len(near) > 0 {
		msg += "; closest known: " + strings.Join(near, ", ")
	}
	return nil, errs.E(errs.Invalid, "%s", msg)
}

// Parse implements feed.Parser. The rows are built into events by
// several goroutines at once (see rows.go); emit sees them in the report's
// order, from the calling goroutine.
func (p *Parser) Parse(ctx context.Context, r io.Reader, rep feed.Report, emit feed.Emit) (feed.Stats, error) {
	var st feed.Stats
	rt, err := p.Resolve(rep)
	if err != nil {
		return st, err
	}
	chunks := feed.NewCSVChunker(r, blockSize)
	first, _, err := chunks.Next(nil)
	if err == io.EOF {
		return st, nil // an empty report has no events
	}
	if err != nil {
		return st, fmt.Errorf("shadowserver %s: %w", rt.Name, err)
	}
	hr := csv.NewReader(bytes.NewReader(first))
	hr.LazyQuotes = true
	header, err := hr.Read()
	if err == io.EOF {
		return st, nil // only blank lines
	}
	if err != nil {
		return st, errs.E(errs.Invalid, "shadowserver %s: header: %v", rt.Name, err)
	}
	header[0] = strings.TrimPrefix(header[0], "\ufeff")
	headerEnd := int(hr.InputOffset())
	c, err := compile(rt, header, rep)
	if err != nil {
		return st, err
	}
	if p.plain {
		c.plan, c.slots = nil, nil
	}
	rows := &rowReader{c: c, rawPrefix: append(trimLine(first[:headerEnd]), '\n')}
	return rows.run(ctx, p.workers(), chunks, block{data: first[headerEnd:], line: 1 + bytes.Count(first[:headerEnd], []byte{'\n'})}, rep, emit)
}

// target is where a mapping puts its value.
type target uint8

const (
	toKey    target = iota // a harmonization key
	toExtra                // extra.<name>
	toIgnore               // nowhere (the schema's false)
)

// compiled is a mapping resolved against one report's header.
type compiled struct {
	m      Mapping
	col    int
	target target
	key    *event.Key
	extra  string
	extraK event.ExtraKey // extra, checked once (see plan)
	conv   conversion
}

// compiledReport is a report type resolved against one report's header:
// column indexes, keys and conversions looked up once, not per row.
type compiledReport struct {
	rt       *ReportType
	cols     map[string]int
	required []compiled
	optional []compiled
	base     *event.Event     // fields every event of the report has
	constant *event.Event     // the schema's constant fields, set last
	extraCol []string         // extra.<column> for each column
	extraKey []event.ExtraKey // the same, checked once (see plan)
	pending  []bool           // per row: column not used by a mapping yet
	fields   []string         // the current row, for conversions that read it
	present  int              // columns the current row has; the rest are absent
	plan     *plan            // nil: build the plain way
	slots    *slots           // the plan's per-row values (per worker, as pending is)
}

func compile(rt *ReportType, header []string, rep feed.Report) (*compiledReport, error) {
	c := &compiledReport{rt: rt, cols: make(map[string]int, len(header)),
		base: event.New(8), constant: event.New(8),
		extraCol: make([]string, len(header)), pending: make([]bool, len(header))}
	for i, h := range header {
		if _, dup := c.cols[h]; !dup {
			c.cols[h] = i
		}
		c.extraCol[i] = event.ExtraPrefix + h
		c.extraKey = append(c.extraKey, event.NewExtraKey(c.extraCol[i]))
	}
	var err error
	if c.required, err = c.resolve(rt.Required, true); err != nil {
		return nil, err
	}
	if c.optional, err = c.resolve(rt.Optional, false); err != nil {
		return nil, err
	}
	feedName := rep.FeedName
	if feedName == "" {
		feedName = rt.FeedName
	}
	set := func(k, v string) {
		if err == nil && v != "" {
			err = c.base.Set(k, v)
		}
	}
	set("feed.name", feedName)
	set("feed.provider", "Shadowserver")
	set("feed.documentation", rt.URL)
	set("feed.url", rep.FeedURL)
	if !rep.Observed.IsZero() {
		set("time.observation", event.FormatTime(rep.Observed))
	}
	for _, k := range rt.Constant {
		if err == nil {
			err = c.constant.Set(k.Key, k.Value)
		}
	}
	if err != nil {
		return nil, errs.E(errs.Invalid, "shadowserver %s: %v", rt.Name, err)
	}
	if c.plan = c.makePlan(); c.plan != nil {
		c.slots = c.plan.newSlots()
	}
	return c, nil
}

func (c *compiledReport) resolve(ms []Mapping, required bool) ([]compiled, error) {
	out := make([]compiled, 0, len(ms))
	for _, m := range ms {
		col, ok := c.cols[m.Column]
		if !ok {
			if required {
				return nil, errs.E(errs.Invalid, "shadowserver %s: required column %q not in the header: the report format changed or this is not a %s report", c.rt.Name, m.Column, c.rt.Name)
			}
			continue // an optional column this report does not have
		}
		cm := compiled{m: m, col: col, conv: conversions[m.Conv]}
		switch {
		case m.Key == "":
			cm.target = toIgnore
		case m.Key == event.ExtraPrefix:
			cm.target, cm.extra = toExtra, event.ExtraPrefix+m.Column
		case event.IsExtra(m.Key):
			cm.target, cm.extra = toExtra, m.Key
		default:
			if k, ok := event.LookupKey(m.Key); ok {
				cm.target, cm.key = toKey, k
			} else {
				// Not an IntelMQ key (product.*, severity): IntelMQ keeps
				// such values in extra under the key's name.
				cm.target, cm.extra = toExtra, event.ExtraPrefix+m.Key
			}
		}
		if cm.target == toExtra {
			cm.extraK = event.NewExtraKey(cm.extra)
		}
		out = append(out, cm)
	}
	return out, nil
}

// rawText is a row's raw: base64(head64 decoded + tail + rest), see
// event.SetRawJoined.
type rawText struct {
	head64 string // the encoded whole 3-byte groups of the header line and its "\n", the same for every row
	tail   string // the rest of them, not encoded
	rest   string // the row
}

// get implements row for conversions that read other columns.
func (c *compiledReport) get(column string) (string, bool) {
	i, ok := c.cols[column]
	if !ok || i >= c.present {
		return "", false
	}
	return c.fields[i], true
}

// build fills e from one row, with IntelMQ's semantics: required fields
// must convert and validate; an optional value that does not validate is
// kept in extra under its column name; columns no mapping used go to
// extra as they are.
func (c *compiledReport) build(e *event.Event, fields []string, raw rawText) error {
	if c.plan != nil {
		return c.buildPlanned(e, fields, raw, c.slots)
	}
	c.fields = fields
	e.CopyFrom(c.base)
	for i := range c.pending {
		c.pending[i] = true
	}
	for i := range c.required {
		m := &c.required[i]
		v, err := c.convert(m)
		if err != nil {
			return err
		}
		if v.kind == none {
			continue
		}
		if err := c.set(e, m, v); err != nil {
			return err
		}
		c.pending[m.col] = false
	}
	for i := range c.optional {
		m := &c.optional[i]
		v, err := c.convert(m)
		if err != nil {
			return err
		}
		if v.kind == none || c.set(e, m, v) == nil {
			c.pending[m.col] = false
		}
	}
	e.Merge(c.constant)
	e.SetRawJoined(raw.head64, raw.tail, raw.rest)
	for i, p := range c.pending {
		if p && fields[i] != "" {
			e.SetExtraString(c.extraCol[i], fields[i])
		}
	}
	return nil
}

func (c *compiledReport) convert(m *compiled) (value, error) {
	if m.col >= c.present {
		return value{}, nil
	}
	raw := c.fields[m.col]
	if m.conv == nil {
		return text(raw), nil
	}
	v, err := m.conv(raw, c)
	if err != nil {
		return v, fmt.Errorf("column %s: %s: %v", m.m.Column, m.m.Conv, err)
	}
	return v, nil
}

func (c *compiledReport) set(e *event.Event, m *compiled, v value) error {
	switch m.target {
	case toKey:
		return e.SetKey(m.key, v.String())
	case toExtra:
		switch v.kind {
		case integer:
			e.SetExtraInt(m.extra, v.i)
		case float:
			e.SetField(event.ExtraNumber(m.extra, v.s)) // SetExtraFloat, formatted already
		case boolean:
			e.SetExtraBool(m.extra, v.bool())
		default:
			e.SetExtraString(m.extra, v.s)
		}
	}
	return nil
}

// looksLikeCSV reports whether head starts with a quoted or plain header
// row naming a timestamp column, as every Shadowserver report does.
func looksLikeCSV(head []byte) bool {
	line, _, _ := bytes.Cut(head, []byte("\n"))
	return bytes.Contains(line, []byte("timestamp")) && bytes.Contains(line, []byte(","))
}
