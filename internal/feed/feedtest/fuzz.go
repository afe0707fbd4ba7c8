package feedtest

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/qalxan/qalxan/internal/event"
	"github.com/qalxan/qalxan/internal/feed"
)

// Fuzz runs p over fuzzed reports seeded with the sample files: it must
// not panic, every event must encode to valid JSON, and every row must be
// either an event or a bad row.
func Fuzz(f *testing.F, p feed.Parser, rep feed.Report, seeds ...string) {
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		st, err := p.Parse(context.Background(), bytes.NewReader(data), rep, func(e *event.Event) error {
			if b := e.AppendJSON(nil); !json.Valid(b) {
				t.Fatalf("invalid JSON event %s", b)
			}
			return nil
		})
		if err == nil && st.Events+st.Bad != st.Rows {
			t.Fatalf("rows %d, but events %d + bad %d", st.Rows, st.Events, st.Bad)
		}
	})
}
