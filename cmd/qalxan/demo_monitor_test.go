package main

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/config"
	"github.com/qalxan/qalxan/internal/demo"
	"github.com/qalxan/qalxan/internal/storage"
)

// TestDemoMonitor: the demo's simulated sites are registered and checked
// twice, each showing the gap it was built with, and the second round
// the site that went down and the page that was replaced.
func TestDemoMonitor(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t, filepath.Join(t.TempDir(), "q.db"))
	if err := demo.Load(ctx, s); err != nil {
		t.Fatal(err)
	}
	sites, err := demoMonitor(ctx, config.Defaults(), s, slog.New(slog.NewTextHandler(testLogWriter{t}, nil)))
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
	// The first round's gaps, and the second round's: mof's site did not
	// answer, moj's page was replaced.
	want := [][2]string{{"mof", "monitor/tls-cert-expired"}, {"moh", "monitor/exposed-git"}, {"moj", "monitor/header-csp"}, {"moe", "monitor/spf-all"},
		{"moj", "monitor/content-changed"}, {"mof", "monitor/https-reachable"}}
	for _, r := range runs {
		av, err := s.GetMonitorAvailability(ctx, auth.Everything, r.ResourceID, time.Now())
		if err != nil || av.Uptime7.Runs != 2 {
			t.Fatalf("%s: got %+v, %v; want two runs of history", r.Org, av.Uptime7, err)
		}
		wantUp := map[string]int{"mof": 1, "moe": 0}[r.Org] // moe is a mail domain: no web site
		if _, ok := map[string]bool{"mof": true, "moe": true}[r.Org]; !ok {
			wantUp = 2
		}
		if av.Uptime7.Up != wantUp || r.Up != (wantUp == 2) {
			t.Errorf("%s: %d of 2 runs up, latest up %v; want %d", r.Org, av.Uptime7.Up, r.Up, wantUp)
		}
	}
	for _, w := range want {
		org, id := w[0], w[1]
		o, _ := s.GetOrgByShortName(ctx, auth.Everything, org)
		fs, _, err := s.ListFindings(ctx, auth.Everything, storage.FindingFilter{OrgID: o.ID, Identifier: id, Limit: 10})
		if err != nil || len(fs) != 1 || fs[0].Source != "monitor" {
			t.Errorf("%s: got %+v, %v; want one %s finding", org, fs, err, id)
		}
	}
}

type testLogWriter struct{ t *testing.T }

func (w testLogWriter) Write(b []byte) (int, error) { w.t.Log(string(b)); return len(b), nil }
