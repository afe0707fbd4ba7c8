package genericcsv

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/qalxan/qalxan/internal/event"
)

// Config describes a partner's CSV feed: which column is which event
// field, and the constants its events share. The names of the options are
// those of IntelMQ's generic CSV parser, so an IntelMQ bot's parameters
// decode into a Config as they are (JSON or YAML).
type Config struct {
	Name        string   `yaml:"name" json:"name"`         // feed name, lower case, for --feed
	Provider    string   `yaml:"provider" json:"provider"` // feed.provider
	Description string   `yaml:"description" json:"description"`
	DocURL      string   `yaml:"documentation" json:"documentation"`
	FileNames   []string `yaml:"file_names" json:"file_names"` // path.Match patterns that identify its reports

	// Columns names the event key of each column, in order; "" or
	// "__IGNORE__" skips a column, "a|b" tries a, then b (a value that is
	// not valid for a is tried as b: "source.ip|source.fqdn").
	Columns Columns `yaml:"columns" json:"columns"`
	// Format is "csv" (the default) or "json": an array of objects, one
	// object per line, or objects one after another.
	Format string `yaml:"format" json:"format"`
	// Fields maps a JSON record's members to event keys (format json):
	// "attributes.ip": "source.ip". A dotted name reaches into nested
	// objects; a key list "a|b" tries each in turn, as for columns.
	Fields    map[string]string `yaml:"fields" json:"fields"`
	Delimiter string            `yaml:"delimiter" json:"delimiter"` // one character; default ","
	// SkipHeader drops the first data row (a row of column names).
	SkipHeader bool `yaml:"skip_header" json:"skip_header"`

	// Type is classification.type for every event, unless a column sets
	// it; TypeTranslation maps the feed's own words in that column to
	// types.
	Type            string            `yaml:"type" json:"type"`
	TypeTranslation map[string]string `yaml:"type_translation" json:"type_translation"`
	// ConstantFields are set on every event.
	ConstantFields map[string]string `yaml:"constant_fields" json:"constant_fields"`
	// DefaultURLProtocol is put before a URL without a scheme
	// ("www.example.com/x" becomes "http://www.example.com/x").
	DefaultURLProtocol string `yaml:"default_url_protocol" json:"default_url_protocol"`
	// TimeFormat says how time columns are written: "" for any common
	// form, "timestamp" (Unix seconds), "epoch_millis", "windows_nt"
	// (100 ns ticks since 1601), or "layout|" and a Go time layout.
	TimeFormat string `yaml:"time_format" json:"time_format"`
}

// Columns is a list of column keys, written as a list or, as IntelMQ also
// takes it, one comma-separated string.
type Columns []string

func (c *Columns) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		*c = splitColumns(s)
		return nil
	}
	return json.Unmarshal(b, (*[]string)(c))
}

func (c *Columns) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*c = splitColumns(n.Value)
		return nil
	}
	return n.Decode((*[]string)(c))
}

func splitColumns(s string) Columns {
	var out Columns
	for _, c := range strings.Split(s, ",") {
		out = append(out, strings.TrimSpace(c))
	}
	return out
}

// column is a compiled Columns entry: the keys to try, none to skip.
type column []*event.Key

// compile checks c and resolves its keys, so that a mistake in a partner
// feed's configuration shows when it is loaded, not on its first report.
func (c Config) compile() ([]column, rune, error) {
	switch c.Format {
	case "", "csv":
	case "json":
		return nil, 0, c.checkTimeFormat()
	default:
		return nil, 0, fmt.Errorf("feed %q: format %q: want csv or json", c.Name, c.Format)
	}
	if len(c.Columns) == 0 {
		return nil, 0, fmt.Errorf("feed %q: no columns", c.Name)
	}
	delim := ','
	if c.Delimiter != "" {
		r := []rune(c.Delimiter)
		if len(r) != 1 || r[0] == '"' || r[0] == '\n' || r[0] == '\r' {
			return nil, 0, fmt.Errorf("feed %q: delimiter %q: want one character", c.Name, c.Delimiter)
		}
		delim = r[0]
	}
	cols := make([]column, len(c.Columns))
	for i, spec := range c.Columns {
		if spec == "" || spec == "__IGNORE__" {
			continue
		}
		for _, name := range strings.Split(spec, "|") {
			k, err := lookupKey(strings.TrimSpace(name))
			if err != nil {
				return nil, 0, fmt.Errorf("feed %q: column %d: %v", c.Name, i+1, err)
			}
			cols[i] = append(cols[i], k)
		}
	}
	return cols, delim, c.checkTimeFormat()
}

func (c Config) checkTimeFormat() error {
	switch f := c.TimeFormat; {
	case f == "", f == "timestamp", f == "epoch_millis", f == "windows_nt", strings.HasPrefix(f, "layout|"):
		return nil
	default:
		return fmt.Errorf("feed %q: time_format %q: want timestamp, epoch_millis, windows_nt or layout|LAYOUT", c.Name, f)
	}
}

// jsonField is a compiled Fields entry: where the value is in a record,
// and the keys to try.
type jsonField struct {
	name string   // as configured, for messages
	path []string // members, outermost first
	keys column
}

// compileFields resolves the Fields of a JSON feed, in a fixed order.
func (c Config) compileFields() ([]jsonField, error) {
	if len(c.Fields) == 0 {
		return nil, fmt.Errorf("feed %q: format json needs fields (record member: event key)", c.Name)
	}
	out := make([]jsonField, 0, len(c.Fields))
	for name, spec := range c.Fields {
		f := jsonField{name: name, path: strings.Split(name, ".")}
		for _, k := range strings.Split(spec, "|") {
			key, err := lookupKey(strings.TrimSpace(k))
			if err != nil {
				return nil, fmt.Errorf("feed %q: field %q: %v", c.Name, name, err)
			}
			f.keys = append(f.keys, key)
		}
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b jsonField) int { return strings.Compare(a.name, b.name) })
	return out, nil
}

// lookupKey finds a harmonization key; any extra.* name is one (held as
// a JSON string).
func lookupKey(name string) (*event.Key, error) {
	if k, ok := event.LookupKey(name); ok {
		return k, nil
	}
	return nil, fmt.Errorf("unknown event key %q", name)
}
