package main

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/config"
	"github.com/qalxan/qalxan/internal/demo"
	"github.com/qalxan/qalxan/internal/storage"
)

// TestDemoMonitor: the demo's simulated sites are registered and checked
// once, each showing the gap it was built with.
func TestDemoMonitor(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t, filepath.Join(t.TempDir(), "q.db"))
	if err := demo.Load(ctx, s); err != nil {
		t.Fatal(err)
	}
	sites, err := demoMonitor(ctx, config.Defaults(), s, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer sites.Close()
	runs, err := s.LatestMonitorRuns(ctx, auth.Everything, 0)
	if err != nil || len(runs) != len(sites.Sites) {
		t.Fatalf("runs: got %d, %v; want one per simulated site (%d)", len(runs), err, len(sites.Sites))
	}
	grades := map[string]string{}
	for _, r := range runs {
		grades[r.Org] = r.Grade
	}
	if grades["mdt"] != "A+" || grades["moj"] == "A+" {
		t.Errorf("grades: got %v; want the well-configured site A+ and the bare one lower", grades)
	}
	want := map[string]string{"mof": "monitor/tls-cert-expired", "moh": "monitor/exposed-git", "moj": "monitor/header-csp", "moe": "monitor/spf-all"}
	for org, id := range want {
		o, _ := s.GetOrgByShortName(ctx, auth.Everything, org)
		fs, _, err := s.ListFindings(ctx, auth.Everything, storage.FindingFilter{OrgID: o.ID, Identifier: id, Limit: 10})
		if err != nil || len(fs) != 1 || fs[0].Source != "monitor" {
			t.Errorf("%s: got %+v, %v; want one %s finding", org, fs, err, id)
		}
	}
}
