package shadowserver

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/feed/feedtest"
)

// ignored lists the fields not compared with IntelMQ's output, and why.
var ignored = map[string]string{
	"feed.provider": "IntelMQ's collector sets it, not the parser; Qalxan's parser names the provider",
}

// TestConformance runs every Shadowserver sample against the events
// IntelMQ's current parser gives with the current schema (MANIFEST.md:
// X.head_parser_current_schema.json), and the two test_* samples against
// IntelMQ's test schema and expectations.
func TestConformance(t *testing.T) {
	inputs, _ := filepath.Glob("testdata/*.csv")
	if len(inputs) != 17 {
		t.Fatalf("got %d samples, want 17", len(inputs))
	}
	testSchema, err := os.ReadFile("testdata/intelmq-schema.json.test")
	if err != nil {
		t.Fatal(err)
	}
	ts, err := ParseSchema(testSchema)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range inputs {
		t.Run(filepath.Base(in), func(t *testing.T) {
			p := &Parser{}
			want := in + ".head_parser_current_schema.json"
			if strings.HasPrefix(filepath.Base(in), "test_") {
				p.Schema = ts
				want = in + ".expected.json"
			}
			feedtest.Run(t, p, feedtest.Case{
				Input:    in,
				Expected: want,
				Report:   feedtest.ReadReport(t, in+".report.json"),
				Ignore:   ignored,
			})
		})
	}
}
