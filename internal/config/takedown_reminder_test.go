package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestTakedownReminderConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "qalxan.yaml")
	load := func(yaml string, env map[string]string) (Config, error) {
		t.Helper()
		os.WriteFile(path, []byte(yaml), 0o600)
		c, err := Load(path, func(k string) string { return env[k] })
		if err != nil {
			return c, err
		}
		return c, c.Validate()
	}
	c, err := load("", nil)
	if err != nil || c.Incidents.ReminderEvery() != 48*time.Hour {
		t.Errorf("default: got %s, %v; want 48h", c.Incidents.ReminderEvery(), err)
	}
	c, err = load("incidents:\n  takedown_reminder: 24h\n", nil)
	if err != nil || c.Incidents.ReminderEvery() != 24*time.Hour {
		t.Errorf("from the file: got %s, %v; want 24h", c.Incidents.ReminderEvery(), err)
	}
	for _, bad := range []string{"10m", "-1h", "800h"} {
		if _, err := load("incidents:\n  takedown_reminder: "+bad+"\n", nil); err == nil || !strings.Contains(err.Error(), "takedown_reminder") {
			t.Errorf("%s: got %v, want an error naming takedown_reminder", bad, err)
		}
	}
	if _, err := load("incidents:\n  takedown_reminder: soon\n", nil); err == nil {
		t.Error("a reminder of \"soon\": got no error")
	}
}
