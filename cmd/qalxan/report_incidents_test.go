package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/demo"
	"github.com/qalxan/qalxan/internal/stats"
)

func TestReportIncidents(t *testing.T) {
	dir := t.TempDir()
	dd := []string{"--data-dir", dir}
	if code, _, errOut := cli(t, "", append([]string{"org", "import", "testdata/registry.yaml"}, dd...)...); code != 0 {
		t.Fatalf("import: exit %d, %s", code, errOut)
	}
	now := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	s := openTestStore(t, dir+"/qalxan.db")
	if n, err := demo.LoadIncidents(context.Background(), s, now); err != nil || n == 0 {
		t.Fatalf("demo incidents: %d, %v", n, err)
	}
	s.Close()

	code, out, errOut := cli(t, "", append([]string{"report", "--incidents", "--period", "2026-09", "--lang", "en"}, dd...)...)
	if code != 0 || !strings.HasPrefix(out, "September 2026: ") || !strings.Contains(out, "incidents registered") ||
		!strings.Contains(out, "Time to triage") || !strings.Contains(out, "By type (RSIT)") || !strings.Contains(out, "fraud/") {
		t.Fatalf("text: exit %d, %q, %s", code, out, errOut)
	}
	code, out, _ = cli(t, "", append([]string{"report", "--incidents", "--period", "2026", "--format", "json"}, dd...)...)
	var r struct {
		Headline string `json:"headline"`
		stats.IncidentReport
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != 0 {
		t.Fatalf("json: exit %d, %v: %s", code, err, out)
	}
	// The demo's year holds about 300 incidents, a twelfth rejected.
	if r.Opened < 100 || r.TimeToTriage.Count == 0 || r.TimeToTriage.MedianHours == nil || r.TimeToTakedown.Count == 0 ||
		len(r.ByIdentifier) < 3 || len(r.ByChannel) < 4 || len(r.ByOrganisation) == 0 || !strings.HasPrefix(r.Headline, "2026: ") {
		t.Errorf("json: got opened %d, triage %+v, take-down %+v, %d identifiers, %d organisations, headline %q", r.Opened, r.TimeToTriage,
			r.TimeToTakedown, len(r.ByIdentifier), len(r.ByOrganisation), r.Headline)
	}
	code, out, _ = cli(t, "", append([]string{"report", "--incidents", "--period", "2026-Q3", "--format", "csv"}, dd...)...)
	if lines := strings.Split(out, "\n"); code != 0 || lines[0] != strings.Join(stats.IncidentCSVColumns, ",") || !strings.HasPrefix(lines[1], "summary,2026-Q3,") ||
		!strings.Contains(out, "\ntime_to_takedown,2026-Q3,") || !strings.Contains(out, "\nmonth,2026-09,") {
		t.Errorf("csv: exit %d, %q", code, out)
	}
	if code, _, errOut := cli(t, "", append([]string{"report", "--incidents", "--format", "pdf"}, dd...)...); code != 2 || !strings.Contains(errOut, "--format") {
		t.Errorf("bad format: got exit %d, %q; want 2", code, errOut)
	}
}
