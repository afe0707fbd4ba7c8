package shadowserver

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/event"
)

//go:embed schema/shadowserver-report_schema-intelmq.json
var embeddedSchema []byte

// Schema is Shadowserver's mapping of its report types to IntelMQ fields:
// the data that drives the parser.
type Schema struct {
	Created string                 // the file's _meta.date_created
	Reports map[string]*ReportType // by the schema's own key
	byFile  map[string]*ReportType // by file_name (what report file names carry)
	byFeed  map[string]*ReportType // by feed_name
}

// ReportType is one report's mapping.
type ReportType struct {
	Name     string // the schema key, e.g. "scan_rdp"
	FeedName string // e.g. "Accessible-RDP"
	FileName string // the report type as it appears in file names
	URL      string // Shadowserver's documentation page
	Constant []Constant
	Required []Mapping // the row is bad if these cannot be set
	Optional []Mapping // set when possible, otherwise kept in extra
}

// Constant is a field every event of the report type has.
type Constant struct{ Key, Value string }

// Mapping maps one CSV column to an event key through a named conversion.
type Mapping struct {
	Key     string // IntelMQ key; "extra." means extra.<column>; "" ignores the column
	Column  string
	Conv    string // conversion name, "" for none
	WithRow bool   // the conversion reads other columns of the row
}

// Embedded returns the schema built into the binary, parsed once.
var Embedded = sync.OnceValue(func() *Schema {
	s, err := ParseSchema(embeddedSchema)
	if err != nil {
		panic("shadowserver: embedded schema: " + err.Error())
	}
	return s
})

// SchemaFile is the name of a newer schema in the data directory, which
// replaces the embedded one ("qalxan feeds update-shadowserver-schema").
const SchemaFile = "shadowserver-schema.json"

var replaced atomic.Pointer[Schema]

// Default is the schema parsers use when they are given none: the one
// installed with Use, or the embedded one.
func Default() *Schema {
	if s := replaced.Load(); s != nil {
		return s
	}
	return Embedded()
}

// Use makes s the default schema; nil restores the embedded one.
func Use(s *Schema) { replaced.Store(s) }

// ParseSchema reads a schema file. Every conversion it names must be one
// this package implements, and every constant field must be valid: a
// newer schema that needs code we lack fails here, not row by row.
func ParseSchema(data []byte) (*Schema, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, errs.E(errs.Invalid, "shadowserver schema: %v", err)
	}
	s := &Schema{Reports: map[string]*ReportType{}, byFile: map[string]*ReportType{}, byFeed: map[string]*ReportType{}}
	for name, body := range raw {
		if name == "_meta" {
			var meta struct {
				Created string `json:"date_created"`
			}
			json.Unmarshal(body, &meta)
			s.Created = meta.Created
			continue
		}
		rt, err := parseReportType(name, body)
		if err != nil {
			return nil, errs.E(errs.Invalid, "shadowserver schema: report %q: %v", name, err)
		}
		s.Reports[name] = rt
		s.byFile[rt.FileName] = rt
		s.byFeed[rt.FeedName] = rt
	}
	if len(s.Reports) == 0 {
		return nil, errs.E(errs.Invalid, "shadowserver schema: no report types")
	}
	return s, nil
}

func parseReportType(name string, body []byte) (*ReportType, error) {
	var r struct {
		Constant map[string]string   `json:"constant_fields"`
		FeedName string              `json:"feed_name"`
		FileName string              `json:"file_name"`
		URL      string              `json:"url"`
		Required [][]json.RawMessage `json:"required_fields"`
		Optional [][]json.RawMessage `json:"optional_fields"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, err
	}
	if r.FileName == "" {
		r.FileName = name
	}
	if r.FeedName == "" {
		r.FeedName = name
	}
	rt := &ReportType{Name: name, FeedName: r.FeedName, FileName: r.FileName, URL: r.URL}
	var probe event.Event
	for k, v := range r.Constant {
		rt.Constant = append(rt.Constant, Constant{k, v})
	}
	// classification.type first: it sets the taxonomy, which a constant
	// taxonomy must then agree with.
	sort.Slice(rt.Constant, func(i, j int) bool {
		a, b := rt.Constant[i].Key, rt.Constant[j].Key
		if (a == "classification.type") != (b == "classification.type") {
			return a == "classification.type"
		}
		return a < b
	})
	for _, c := range rt.Constant {
		if err := probe.Set(c.Key, c.Value); err != nil {
			return nil, fmt.Errorf("constant field: %w", err)
		}
	}
	var err error
	if rt.Required, err = parseMappings(r.Required); err != nil {
		return nil, fmt.Errorf("required_fields: %w", err)
	}
	if rt.Optional, err = parseMappings(r.Optional); err != nil {
		return nil, fmt.Errorf("optional_fields: %w", err)
	}
	return rt, nil
}

func parseMappings(items [][]json.RawMessage) ([]Mapping, error) {
	out := make([]Mapping, 0, len(items))
	for _, it := range items {
		if len(it) < 2 || len(it) > 4 {
			return nil, fmt.Errorf("mapping %s: want 2 to 4 elements", it)
		}
		var m Mapping
		var ignore bool
		if err := json.Unmarshal(it[0], &m.Key); err != nil {
			// false: the column is deliberately ignored
			if json.Unmarshal(it[0], &ignore) != nil || ignore {
				return nil, fmt.Errorf("mapping %s: want a key or false", it)
			}
		}
		if err := json.Unmarshal(it[1], &m.Column); err != nil {
			return nil, fmt.Errorf("mapping %s: want a column name", it)
		}
		if len(it) > 2 {
			if err := json.Unmarshal(it[2], &m.Conv); err != nil {
				return nil, fmt.Errorf("mapping %s: want a conversion name", it)
			}
			if _, ok := conversions[m.Conv]; !ok {
				return nil, fmt.Errorf("unknown conversion %q", m.Conv)
			}
		}
		if len(it) > 3 {
			if err := json.Unmarshal(it[3], &m.WithRow); err != nil {
				return nil, fmt.Errorf("mapping %s: want a boolean", it)
			}
		}
		out = append(out, m)
	}
	return out, nil
}

// Names returns the report types' file names, sorted.
func (s *Schema) Names() []string {
	out := make([]string, 0, len(s.byFile))
	for n := range s.byFile {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Lookup finds a report type by its file name (scan_rdp), schema key or
// feed name (Accessible-RDP).
func (s *Schema) Lookup(name string) (*ReportType, bool) {
	if rt, ok := s.byFile[name]; ok {
		return rt, true
	}
	if rt, ok := s.Reports[name]; ok {
		return rt, true
	}
	rt, ok := s.byFeed[name]
	return rt, ok
}

// conversionNames lists the conversions the schema uses, sorted.
func (s *Schema) conversionNames() []string {
	set := map[string]bool{}
	for _, rt := range s.Reports {
		for _, ms := range [][]Mapping{rt.Required, rt.Optional} {
			for _, m := range ms {
				if m.Conv != "" {
					set[m.Conv] = true
				}
			}
		}
	}
	out := make([]string, 0, len(set))
	for n := range set {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
