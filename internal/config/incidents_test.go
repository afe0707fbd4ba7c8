package config

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/incident"
)

func TestIncidentsConfig(t *testing.T) {
	dir := t.TempDir()
	pb := filepath.Join(dir, "playbooks.yaml")
	os.WriteFile(pb, []byte("playbooks:\n  - name: ours\n    match: [vishing]\n    steps: [{title: Call the bank, due: 2h}]\n"), 0o600)
	path := filepath.Join(dir, "qalxan.yaml")
	os.WriteFile(path, []byte("incidents:\n  severity:\n    cii: 6\n    thresholds: {medium: 3, high: 6, critical: 9}\n    sla: {critical: 12h}\n  playbooks: "+pb+"\n"), 0o600)
	c, err := Load(path, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	r, err := c.IncidentRules()
	if err != nil {
		t.Fatal(err)
	}
	p := r.Policy
	if p.CII != 6 || p.Thresholds[incident.High] != 6 || p.SLA[incident.Critical] != 12*time.Hour || p.SLA[incident.Low] != 30*24*time.Hour || p.PersonalData != 2 {
		t.Errorf("got policy %+v, want the file over the defaults", p)
	}
	if r.Region != "AZ" || len(r.Playbooks) != 1 || r.Playbooks[0].Steps[0].Due != 2*time.Hour {
		t.Errorf("got region %q playbooks %+v", r.Region, r.Playbooks)
	}
	os.WriteFile(path, []byte("incidents:\n  severity:\n    thresholds: {medium: 5, high: 3, critical: 9}\n"), 0o600)
	if c, err := Load(path, func(string) string { return "" }); err != nil || c.Validate() == nil {
		t.Error("thresholds out of order: got no error")
	}
}
