package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMonitorContentChangeThreshold reads monitor.content_change_threshold
// from a file: the default, a value taken, a bad one refused by name.
func TestMonitorContentChangeThreshold(t *testing.T) {
	if got := Defaults().Monitor.ContentChangeThreshold; got != 0.5 {
		t.Errorf("default: got %v, want 0.5", got)
	}
	for _, tc := range []struct {
		yaml string
		want float64
		err  string
	}{
		{"monitor:\n  content_change_threshold: 0.3\n", 0.3, ""},
		{"monitor:\n  content_change_threshold: 1.2\n", 0, "content_change_threshold 1.2"},
		{"monitor:\n  content_change_threshold: -0.1\n", 0, "content_change_threshold -0.1"},
		{"monitor:\n  content_change_threshold: half\n", 0, "cannot unmarshal"},
	} {
		path := filepath.Join(t.TempDir(), "q.yaml")
		os.WriteFile(path, []byte(tc.yaml), 0o600)
		c, err := Load(path, func(string) string { return "" })
		if err == nil {
			err = c.Validate()
		}
		switch {
		case tc.err == "" && (err != nil || c.Monitor.ContentChangeThreshold != tc.want):
			t.Errorf("%q: got %v, %v; want %v", tc.yaml, c.Monitor.ContentChangeThreshold, err, tc.want)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%q: got %v, want an error containing %q", tc.yaml, err, tc.err)
		}
	}
}
