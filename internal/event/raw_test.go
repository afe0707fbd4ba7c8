package event

import (
	"encoding/base64"
	"strings"
	"testing"
)

// TestRawJoined checks that a raw stored in two parts reads, copies and
// encodes as the same raw stored whole.
func TestRawJoined(t *testing.T) {
	for _, head := range []string{"", "abc", "abcdef"} {
		for _, tail := range []string{"", "h", "hi"} {
			for _, rest := range []string{"", "x", "xy", "xyz", "wxyz", "line,with \"quotes\"\u00e9"} {
				want := New(4)
				want.Set("source.port", "80")
				want.SetRaw([]byte(head + tail + rest))
				wantJSON := string(want.AppendJSON(nil))

				joined := func() *Event {
					e := New(4)
					e.Set("source.port", "80")
					e.SetRawJoined(base64.StdEncoding.EncodeToString([]byte(head)), tail, rest)
					return e
				}
				if got := string(joined().AppendJSON(nil)); got != wantJSON {
					t.Errorf("%q+%q+%q: AppendJSON got %s, want %s", head, tail, rest, got, wantJSON)
				}
				wantRaw, _ := want.Get("raw")
				if got, _ := joined().Get("raw"); got != wantRaw {
					t.Errorf("%q+%q+%q: Get got %q, want %q", head, tail, rest, got, wantRaw)
				}
				var fields []string
				for _, f := range joined().Fields() {
					fields = append(fields, f.Key+"="+f.Value)
				}
				if got := strings.Join(fields, " "); got != "raw="+wantRaw+" source.port=80" {
					t.Errorf("%q+%q+%q: Fields got %s", head, tail, rest, got)
				}
				var copied, merged, cloned Event
				copied.CopyFrom(joined())
				merged.Merge(joined())
				cloned = *joined().Clone()
				for name, e := range map[string]*Event{"CopyFrom": &copied, "Merge": &merged, "Clone": &cloned} {
					if got := string(e.AppendJSON(nil)); got != wantJSON {
						t.Errorf("%q+%q+%q: %s got %s, want %s", head, tail, rest, name, got, wantJSON)
					}
				}
			}
		}
	}
}
