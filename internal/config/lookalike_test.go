package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLookalikeConfig(t *testing.T) {
	file := filepath.Join(t.TempDir(), "qalxan.yaml")
	os.WriteFile(file, []byte(`lookalike:
  threshold: 70
  incident_threshold: 110
  sources:
    - {name: ct, file: /var/lib/certstream/ct.jsonl, format: certstream}
    - {name: nrd, url: "https://feeds.example/nrd.txt?api_key=s3cret", interval: 6h}
`), 0o600)
	c, err := Load(file, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("valid configuration: %v", err)
	}
	l := c.Lookalike
	if l.Threshold != 70 || l.IncidentThreshold != 110 || len(l.Sources) != 2 || l.ConfirmTimeout != 15*time.Second {
		t.Fatalf("got %+v", l)
	}
	if l.Sources[0].Every() != time.Minute || l.Sources[1].Every() != 6*time.Hour {
		t.Errorf("intervals: got %s and %s, want 1m and 6h", l.Sources[0].Every(), l.Sources[1].Every())
	}
	out, _ := c.Redacted()
	if strings.Contains(string(out), "s3cret") {
		t.Errorf("redacted configuration shows the source's key:\n%s", out)
	}

	for name, tc := range map[string]struct {
		change func(*Lookalike)
		want   string
	}{
		"threshold":          {func(l *Lookalike) { l.Threshold = 0 }, "lookalike.threshold"},
		"incident below":     {func(l *Lookalike) { l.IncidentThreshold = 10 }, "lookalike.incident_threshold"},
		"resolver":           {func(l *Lookalike) { l.Resolver = "8.8.8.8" }, "lookalike.resolver"},
		"timeout":            {func(l *Lookalike) { l.ConfirmTimeout = 0 }, "lookalike.confirm_timeout"},
		"chromium":           {func(l *Lookalike) { l.Chromium = "/no/such/browser" }, "lookalike.chromium"},
		"both file and url":  {func(l *Lookalike) { l.Sources[0].URL = "https://x.example/" }, "either file or url"},
		"neither":            {func(l *Lookalike) { l.Sources[0].File = "" }, "either file or url"},
		"bad url":            {func(l *Lookalike) { l.Sources[1].URL = "ftp://x/" }, "not an http(s) URL"},
		"format":             {func(l *Lookalike) { l.Sources[0].Format = "csv" }, `format "csv"`},
		"name twice":         {func(l *Lookalike) { l.Sources[1].Name = "ct" }, "name used twice"},
		"bad name":           {func(l *Lookalike) { l.Sources[1].Name = "New Domains" }, "name: want lower-case"},
		"interval too short": {func(l *Lookalike) { l.Sources[1].Interval = time.Millisecond }, "interval"},
	} {
		c2 := c
		l := c.Lookalike
		l.Sources = append([]LookalikeSource(nil), l.Sources...)
		tc.change(&l)
		c2.Lookalike = l
		if err := c2.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error about %s", name, err, tc.want)
		}
	}
	// 0 is "open no incident by itself".
	c.Lookalike.IncidentThreshold = 0
	if err := c.Validate(); err != nil {
		t.Errorf("incident_threshold 0: %v", err)
	}
}
