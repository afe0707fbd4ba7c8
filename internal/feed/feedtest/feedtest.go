// Package feedtest is the conformance suite every feed parser passes: a
// parser run over a real sample must give the events IntelMQ's parser gives
// for it, field by field, except for fields the feed's test lists with a
// reason.
package feedtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/event"
	"github.com/qalxan/qalxan/internal/feed"
)

// Case is one sample and the events expected from it.
type Case struct {
	Input    string      // the sample report
	Expected string      // a JSON array of IntelMQ events
	Report   feed.Report // the envelope; see ReadReport
	// Ignore lists fields (path.Match patterns) not compared, each with
	// the reason. time.observation is always ignored: it is when the test
	// ran, not part of the data.
	Ignore map[string]string
	// WantBad is the number of rows the parser must reject.
	WantBad int
}

// ReadReport reads the report envelope IntelMQ's test gave its parser (the
// samples' X.report.json, field input_report_without_raw).
func ReadReport(t testing.TB, file string) feed.Report {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var env struct {
		Report map[string]string `json:"input_report_without_raw"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	r := feed.Report{
		FileName: env.Report["extra.file_name"],
		FeedName: env.Report["feed.name"],
		FeedURL:  env.Report["feed.url"],
	}
	if s := env.Report["time.observation"]; s != "" {
		if r.Observed, err = time.Parse(time.RFC3339, s); err != nil {
			t.Fatalf("%s: time.observation: %v", file, err)
		}
	}
	return r
}

// Parse runs p over the file and returns the events as JSON objects.
func Parse(t testing.TB, p feed.Parser, file string, rep feed.Report) ([]map[string]any, feed.Stats) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	lastLine := 0
	st, err := p.Parse(context.Background(), bytes.NewReader(data), rep, func(e *event.Event) error {
		// The stored event points into the raw archive by its line: every
		// parser must say where each row starts, in increasing order
		// (a row may give several events, so equal lines are fine).
		if e.Line <= 0 || e.Line < lastLine {
			return fmt.Errorf("event %d: line %d after line %d, want a 1-based line in report order", len(got), e.Line, lastLine)
		}
		lastLine = e.Line
		m, err := decode(e.AppendJSON(nil))
		if err != nil {
			return fmt.Errorf("event %d is not valid JSON: %w", len(got), err)
		}
		got = append(got, m)
		return nil
	})
	if err != nil {
		t.Fatalf("%s: parse: %v", file, err)
	}
	if st.Events != len(got) {
		t.Errorf("%s: stats say %d events, got %d", file, st.Events, len(got))
	}
	return got, st
}

// Run checks one case.
func Run(t *testing.T, p feed.Parser, c Case) {
	t.Helper()
	got, st := Parse(t, p, c.Input, c.Report)
	if st.Bad != c.WantBad {
		t.Errorf("%s: got %d bad rows %v, want %d", c.Input, st.Bad, st.BadRows, c.WantBad)
	}
	data, err := os.ReadFile(c.Expected)
	if err != nil {
		t.Fatal(err)
	}
	var want []map[string]any
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatalf("%s: %v", c.Expected, err)
	}
	if len(got) != len(want) {
		t.Errorf("%s: got %d events, want %d", c.Input, len(got), len(want))
	}
	for i := 0; i < len(got) && i < len(want); i++ {
		for _, d := range Diff(got[i], want[i], c.Ignore) {
			t.Errorf("%s: event %d: %s", path.Base(c.Input), i, d)
		}
	}
}

// Diff lists the fields where got and want differ, ignoring the fields
// matched by ignore, time.observation and IntelMQ's "__type" marker.
func Diff(got, want map[string]any, ignore map[string]string) []string {
	keys := map[string]bool{}
	for k := range got {
		keys[k] = true
	}
	for k := range want {
		keys[k] = true
	}
	var out []string
	for k := range keys {
		if k == "__type" || k == "time.observation" || ignored(k, ignore) {
			continue
		}
		g, gok := got[k]
		w, wok := want[k]
		switch {
		case !gok:
			out = append(out, fmt.Sprintf("%s: missing, want %v", k, show(w)))
		case !wok:
			out = append(out, fmt.Sprintf("%s: got %v, want no such field", k, show(g)))
		case !reflect.DeepEqual(g, w):
			out = append(out, fmt.Sprintf("%s: got %v, want %v", k, show(g), show(w)))
		}
	}
	sort.Strings(out)
	return out
}

func ignored(key string, ignore map[string]string) bool {
	for p := range ignore {
		if ok, _ := path.Match(p, key); ok {
			return true
		}
	}
	return false
}

func show(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// decode reads one object with numbers as float64, so 8080 and 8080.0
// compare equal, as they do in IntelMQ's (Python's) comparison.
func decode(b []byte) (map[string]any, error) {
	var m map[string]any
	err := json.Unmarshal(b, &m)
	return m, err
}
