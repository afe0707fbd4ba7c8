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

// TestCompareKeysAsStored checks that CompareKeys orders names as the
// fields made for them are stored, "extra." alone included.
func TestCompareKeysAsStored(t *testing.T) {
	e := New(0)
	for _, kv := range [][2]string{
		{"extra.", "x"}, {"extra.a", "x"}, {"raw", "eA=="}, {"classification.type", "scanner"},
		{"feed.name", "x"}, {"extra.z", "x"}, {"time.source", "2026-01-01T00:00:00Z"}, {"comment", "x"},
	} {
		if strings.HasPrefix(kv[0], ExtraPrefix) {
			e.SetExtraString(kv[0], kv[1])
		} else if err := e.Set(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	var stored []string
	for _, f := range e.Fields() {
		stored = append(stored, f.Key)
	}
	for i := 1; i < len(stored); i++ {
		if CompareKeys(stored[i-1], stored[i]) >= 0 {
			t.Errorf("CompareKeys(%q, %q) >= 0, but the event stores them in that order", stored[i-1], stored[i])
		}
	}
}
