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

func TestReportCommand(t *testing.T) {
	dir := t.TempDir()
	dd := []string{"--data-dir", dir}
	if code, _, errOut := cli(t, "", append([]string{"org", "import", "testdata/registry.yaml"}, dd...)...); code != 0 {
		t.Fatalf("import: exit %d, %s", code, errOut)
	}
	now := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	s := openTestStore(t, dir+"/qalxan.db")
	n, loaded, err := demo.LoadHistory(context.Background(), s, now)
	if err != nil || !loaded || n == 0 {
		t.Fatalf("history: %d, %v, %v", n, loaded, err)
	}
	s.Close()

	code, out, errOut := cli(t, "", append([]string{"report", "--period", "2026-09", "--lang", "en"}, dd...)...)
	if code != 0 || !strings.HasPrefix(out, "September 2026: security gaps identified in ") || !strings.Contains(out, "compared to September 2025") ||
		!strings.Contains(out, "By organisation") || !strings.Contains(out, "mdt") || !strings.Contains(out, "2025-10") {
		t.Fatalf("text: exit %d, %q, %s", code, out, errOut)
	}
	code, out, _ = cli(t, "", append([]string{"report", "--period", "2026-09", "--format", "json", "--org", "mdt"}, dd...)...)
	var r struct {
		Headline              string        `json:"headline"`
		Period                string        `json:"period"`
		Org                   string        `json:"org"`
		ResourcesWithGaps     int           `json:"resources_with_gaps"`
		OrganisationsWithGaps int           `json:"organisations_with_gaps"`
		FindingsOpened        int           `json:"findings_opened"`
		FindingsClosed        *int          `json:"findings_closed"`
		VsPrevious            stats.Changes `json:"change_vs_previous"`
		VsYear                stats.Changes `json:"change_vs_year_earlier"`
		ByOrganisation        []stats.Row   `json:"by_organisation"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != 0 {
		t.Fatalf("json: exit %d, %v: %s", code, err, out)
	}
	if r.Period != "2026-09" || r.Org != "mdt" || r.OrganisationsWithGaps > 1 || r.FindingsClosed == nil || r.VsYear.Against.String() != "2025-09" ||
		r.VsPrevious.Against.String() != "2026-08" || len(r.ByOrganisation) != 1 || r.ByOrganisation[0].Key != "mdt" || !strings.HasPrefix(r.Headline, "Sentyabr 2026") {
		t.Errorf("json: got %+v", r)
	}
	code, out, _ = cli(t, "", append([]string{"report", "--period", "2026-Q3", "--format", "csv", "--lang", "ru"}, dd...)...)
	if lines := strings.Split(out, "\n"); code != 0 || lines[0] != strings.Join(stats.CSVColumns, ",") || !strings.HasPrefix(lines[1], "summary,2026-Q3,") ||
		!strings.HasPrefix(lines[2], "summary,2026-Q2,") || !strings.HasPrefix(lines[3], "summary,2025-Q3,") || !strings.Contains(out, "\nmonth,2026-09,") {
		t.Errorf("csv: exit %d, %q", code, out)
	}
	code, out, _ = cli(t, "", append([]string{"report", "--period", "2026", "--format", "md", "--lang", "ru"}, dd...)...)
	if code != 0 || !strings.HasPrefix(out, "# 2026 г.: выявлены уязвимости") || !strings.Contains(out, "| --- |") {
		t.Errorf("md: exit %d, %q", code, out)
	}

	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"report", "--period", "2026-13"}, 2, "--period"},
		{[]string{"report", "--format", "pdf"}, 2, "--format"},
		{[]string{"report", "--lang", "de"}, 2, "--lang"},
		{[]string{"report", "--tz", "Mars/Olympus"}, 2, "--tz"},
		{[]string{"report", "--org", "nowhere"}, 1, "nowhere"},
	} {
		code, _, errOut := cli(t, "", append(c.args, dd...)...)
		if code != c.code || !strings.Contains(errOut, c.want) || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
			t.Errorf("qalxan %v: got exit %d, %q; want exit %d and one line about %s", c.args, code, errOut, c.code, c.want)
		}
	}
}
