package feedtest

import (
	"strings"
	"testing"
)

func TestDiff(t *testing.T) {
	got := map[string]any{"source.ip": "192.0.2.1", "source.port": 80.0, "extra.x": "a", "time.observation": "now", "feed.provider": "P"}
	want := map[string]any{"__type": "Event", "source.ip": "192.0.2.2", "source.port": 80.0, "extra.y": "b", "time.observation": "then"}
	d := Diff(got, want, map[string]string{"feed.*": "test"})
	joined := strings.Join(d, "\n")
	for _, s := range []string{"source.ip: got \"192.0.2.1\", want \"192.0.2.2\"", "extra.x: got \"a\", want no such field", "extra.y: missing, want \"b\""} {
		if !strings.Contains(joined, s) {
			t.Errorf("Diff: got\n%s\nwant a line %q", joined, s)
		}
	}
	if len(d) != 3 {
		t.Errorf("Diff: got %d differences, want 3 (ports equal, time.observation, __type and feed.* ignored)", len(d))
	}
}
