package ui_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/finding"
	"github.com/qalxan/qalxan/internal/i18n"
	"github.com/qalxan/qalxan/internal/storage"
)

// addFindings stores n findings of the named organisation first seen in
// October 2026, half of them closed in the same month, and one in
// October 2025.
func (f *fixture) addFindings(t *testing.T, org, ip, identifier string, n int) {
	t.Helper()
	var fs []storage.HistoricFinding
	for i := range n {
		first := time.Date(2026, 10, 2+i, 8, 0, 0, 0, time.UTC)
		h := storage.HistoricFinding{Finding: finding.Finding{OrgID: f.orgs[org].ID, Resource: ip + ":" + string(rune('0'+i)), Identifier: identifier,
			Taxonomy: "vulnerable", Type: "vulnerable-system", Severity: finding.High, Status: finding.Notified, FirstSeen: first, LastSeen: first,
			DueAt: first.AddDate(0, 0, 7)}}
		if i%2 == 0 {
			h.Status, h.ResolvedAt, h.ClosedAt = finding.Closed, first.AddDate(0, 0, 2), first.AddDate(0, 0, 9)
		}
		fs = append(fs, h)
	}
	fs = append(fs, storage.HistoricFinding{Finding: finding.Finding{OrgID: f.orgs[org].ID, Resource: ip, Identifier: identifier,
		Severity: finding.High, Status: finding.Accepted, FirstSeen: time.Date(2025, 10, 5, 0, 0, 0, 0, time.UTC), LastSeen: time.Date(2025, 10, 5, 0, 0, 0, 0, time.UTC)}})
	if _, err := f.store.LoadFindingHistory(context.Background(), fs); err != nil {
		t.Fatal(err)
	}
}

func TestStatsPage(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.addFindings(t, "mdt", "192.0.2.10", "accessible-rdp", 4)
	f.addFindings(t, "minfin", "198.51.100.20", "open-redis-minfin", 3)

	analyst := f.as(t, "analyst")
	analyst.get("/stats?period=2026-10").want(t, http.StatusOK).
		contains(t, i18n.T("az", "stats.title"), `href="/orgs/mdt"`, `href="/orgs/minfin"`, "open-redis-minfin", "<svg class=\"chart\"",
			"Oktyabr 2026: 2 qurumun 7 informasiya resursunda", "/stats/export?period=2026-10", `aria-current="page"`)
	analyst.get("/stats?period=2026-10&org=minfin").want(t, http.StatusOK).
		contains(t, `href="/orgs/minfin"`, "1 qurumun 3 informasiya").lacks(t, `href="/orgs/mdt"`)
	csv := analyst.get("/stats/export?period=2026-10").want(t, http.StatusOK).contains(t, "summary,2026-10,,7,7,2,4", "organisation,mdt,", "month,2026-10,,7,,,4")
	if ct := csv.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("export Content-Type: got %q", ct)
	}
	analyst.get("/stats?period=2026-13").want(t, http.StatusBadRequest).contains(t, "2026-13")

	// The agency officer sees their own organisation's figures only, and
	// cannot widen them by naming another.
	officer := f.as(t, "mdt-officer")
	officer.get("/stats?period=2026-10").want(t, http.StatusOK).
		contains(t, `href="/orgs/mdt"`, "1 qurumun 4 informasiya", "accessible-rdp", `href="/stats"`).lacks(t, "minfin", "open-redis-minfin")
	officer.get("/stats?period=2026-10&org=minfin").want(t, http.StatusBadRequest).lacks(t, "open-redis-minfin", "198.51.100.20")
	officer.get("/stats/export?period=2026-10").want(t, http.StatusOK).contains(t, "organisation,mdt,").lacks(t, "minfin", "open-redis")

	// A partner CERT sees no findings, so no statistics and no link.
	f.as(t, "partner").get("/stats").want(t, http.StatusForbidden)
	f.as(t, "partner").get("/").want(t, http.StatusOK).lacks(t, `href="/stats"`)

	// The auditor reads English: the headline and labels follow.
	f.as(t, "auditor").get("/stats?period=2026-10").want(t, http.StatusOK).
		contains(t, "October 2026: security gaps identified in 7 information resources of 2 organisations; &#43;250 % compared to October 2025.", "Top identifiers")
}
