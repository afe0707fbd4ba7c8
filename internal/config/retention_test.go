package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestPersonalDataRetention(t *testing.T) {
	path := filepath.Join(t.TempDir(), "qalxan.yaml")
	load := func(body string) (Config, error) {
		t.Helper()
		os.WriteFile(path, []byte(body), 0o600)
		c, err := Load(path, func(string) string { return "" })
		if err != nil {
			return c, err
		}
		return c, c.Validate()
	}
	c, err := load("incidents:\n  phone_region: AZ\n")
	if err != nil || c.Incidents.Retention() != 730*24*time.Hour {
		t.Errorf("unset: got %v, %v; want the default of 730 days", c.Incidents.Retention(), err)
	}
	c, err = load("incidents:\n  personal_data_retention: 8760h\n")
	if err != nil || c.Incidents.Retention() != 365*24*time.Hour {
		t.Errorf("8760h: got %v, %v; want a year", c.Incidents.Retention(), err)
	}
	for _, bad := range []string{"1h", "-48h", "1000000h"} {
		if _, err := load("incidents:\n  personal_data_retention: " + bad + "\n"); err == nil || !strings.Contains(err.Error(), "personal_data_retention") {
			t.Errorf("%s: got %v, want an error naming the key", bad, err)
		}
	}
	if _, err := load("incidents:\n  personal_data_retention: two years\n"); err == nil {
		t.Error("two years: got no error")
	}
}
