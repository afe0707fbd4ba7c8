package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/finding"
)

func TestFindingsPolicy(t *testing.T) {
	c, err := Load("", func(string) string { return "" })
	if err != nil || len(c.Findings.Rules) == 0 || c.Findings.Quiet != finding.DefaultPolicy().Quiet {
		t.Fatalf("defaults: got %+v, %v", c.Findings, err)
	}
	path := filepath.Join(t.TempDir(), "q.yaml")
	os.WriteFile(path, []byte("findings:\n  rules:\n    - {match: accessible-rdp, severity: critical}\n  default: info\n  sla:\n    critical: 24h\n  quiet: 336h\n"), 0o600)
	if c, err = Load(path, func(string) string { return "" }); err != nil {
		t.Fatal(err)
	}
	p := c.Findings
	if len(p.Rules) != 1 || p.Rules[0].Severity != finding.Critical || p.Default != finding.Info || p.SLA[finding.Critical] != 24*time.Hour ||
		p.SLA[finding.High] != 7*24*time.Hour || p.Quiet != 14*24*time.Hour || !p.RaiseCritical {
		t.Fatalf("loaded: got %+v", p)
	}
	out, err := c.Redacted()
	if err != nil || !strings.Contains(string(out), "critical: 24h0m0s") || !strings.Contains(string(out), "match: accessible-rdp") {
		t.Fatalf("printed: %s, %v", out, err)
	}
	os.WriteFile(path, []byte("findings:\n  rules:\n    - {match: '[', severity: high}\n"), 0o600)
	if c, err = Load(path, func(string) string { return "" }); err == nil {
		err = c.Validate()
	}
	if err == nil || !strings.Contains(err.Error(), "bad pattern") {
		t.Fatalf("bad pattern: got %v", err)
	}
	os.WriteFile(path, []byte("findings:\n  default: severe\n"), 0o600)
	if _, err = Load(path, func(string) string { return "" }); err == nil {
		t.Fatal("unknown severity: got no error")
	}
}
