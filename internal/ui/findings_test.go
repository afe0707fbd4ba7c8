package ui_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/finding"
	"github.com/qalxan/qalxan/internal/i18n"
	"github.com/qalxan/qalxan/internal/storage"
)

func withLinkKey(key []byte) fixtureOption { return func(d *uiDeps) { d.LinkKey = key } }

// addFinding opens a finding of the named fixture organisation on
// resource from the events whose data holds marker-0, marker-1 ...
// (addEvents), and returns its id.
func (f *fixture) addFinding(t testing.TB, org, resource, marker string, events int) int64 {
	t.Helper()
	ctx := context.Background()
	var obs []finding.Observation
	for i := range events {
		evs, err := f.store.ListEvents(ctx, auth.Everything, storage.EventFilter{Text: fmt.Sprintf(`"%s-%d"`, marker, i)})
		if err != nil || len(evs) != 1 {
			t.Fatalf("event %s-%d: got %d, %v; want one", marker, i, len(evs), err)
		}
		obs = append(obs, finding.Observation{OrgID: f.orgs[org].ID, Resource: resource, Identifier: "accessible-rdp",
			Taxonomy: "vulnerable", Type: "vulnerable-system", Source: "shadowserver", Seen: evs[0].TimeSource, EventID: evs[0].ID})
	}
	if _, _, _, err := f.store.ObserveFindings(ctx, finding.DefaultPolicy(), obs); err != nil {
		t.Fatal(err)
	}
	fs, _, err := f.store.ListFindings(ctx, auth.Everything, storage.FindingFilter{Resource: resource})
	if err != nil || len(fs) != 1 {
		t.Fatalf("finding on %s: got %d, %v; want one", resource, len(fs), err)
	}
	return fs[0].ID
}

// findingFixture has one finding of mdt (three events) and one of minfin.
func findingFixture(t *testing.T, opts ...fixtureOption) (f *fixture, mdt, minfin int64) {
	t.Helper()
	f = newFixture(t, opts...)
	f.addEvents(t, "mdt-rdp", "192.0.2.10", 3, "mdt")
	f.addEvents(t, "minfin-rdp", "198.51.100.20", 1, "minfin")
	return f, f.addFinding(t, "mdt", "192.0.2.10:3389", "mdt-rdp", 3), f.addFinding(t, "minfin", "198.51.100.20:3389", "minfin-rdp", 1)
}

var allFindingActions = []string{"acknowledge", "resolve", "dispute", "accept", "close", "reopen", "severity", "assign"}

func actionForm() url.Values {
	return url.Values{"reason": {"because"}, "until": {"2099-01-01"}, "severity": {"low"}, "assignee": {"analyst"}}
}

func TestFindingsTenancy(t *testing.T) {
	t.Parallel()
	f, mdt, minfin := findingFixture(t)
	officer := f.as(t, "mdt-officer")
	officer.get("/findings").want(t, http.StatusOK).
		contains(t, "192.0.2.10:3389", fmt.Sprintf(`href="/findings/%d"`, mdt), `href="/findings"`).
		lacks(t, "198.51.100.20", "minfin")
	officer.get("/findings?org=minfin").want(t, http.StatusBadRequest).lacks(t, "198.51.100.20")
	officer.get("/findings?q=198.51").want(t, http.StatusOK).lacks(t, "198.51.100.20:3389")
	officer.get(fmt.Sprintf("/findings/%d", mdt)).want(t, http.StatusOK).contains(t, "192.0.2.10:3389", "TLP:AMBER")
	// Another agency's finding is not there, for reading or for any action.
	officer.get(fmt.Sprintf("/findings/%d", minfin)).want(t, http.StatusNotFound).lacks(t, "198.51.100.20")
	officer.get(fmt.Sprintf("/findings/%d/events.csv", minfin)).want(t, http.StatusNotFound).lacks(t, "198.51.100.20")
	for _, a := range allFindingActions {
		officer.post(fmt.Sprintf("/findings/%d/%s", minfin, a), actionForm()).want(t, http.StatusNotFound)
	}
	officer.get("/findings/export.csv").want(t, http.StatusOK).contains(t, "192.0.2.10:3389").lacks(t, "198.51.100.20")
	if got, err := f.store.GetFinding(context.Background(), auth.Everything, minfin); err != nil || got.Status != finding.Open {
		t.Errorf("minfin's finding after the officer's attempts: %v, %v; want open", got, err)
	}

	// Staff see both; a partner has no findings at all.
	f.as(t, "analyst").get("/findings").want(t, http.StatusOK).contains(t, "192.0.2.10:3389", "198.51.100.20:3389", `href="/orgs/minfin"`)
	f.as(t, "analyst").get(fmt.Sprintf("/findings/%d", minfin)).want(t, http.StatusOK)
	f.as(t, "partner").get("/findings").want(t, http.StatusForbidden)
	f.as(t, "partner").get("/").want(t, http.StatusOK).lacks(t, `href="/findings"`)
	f.as(t, "auditor").get("/").want(t, http.StatusOK).contains(t, `href="/findings"`)
}

func TestFindingsFilter(t *testing.T) {
	t.Parallel()
	f, _, _ := findingFixture(t)
	analyst := f.as(t, "analyst")
	analyst.get("/findings?org=minfin").want(t, http.StatusOK).contains(t, "198.51.100.20:3389").lacks(t, "192.0.2.10:3389")
	analyst.get("/findings?status=resolved").want(t, http.StatusOK).lacks(t, "198.51.100.20:3389", "192.0.2.10:3389")
	analyst.get("/findings?status=active&q=192.0.2").want(t, http.StatusOK).contains(t, "192.0.2.10:3389").lacks(t, "198.51.100.20:3389")
	analyst.get("/findings?status=bogus").want(t, http.StatusBadRequest)
	analyst.get("/findings?severity=bogus").want(t, http.StatusBadRequest)
	exp := analyst.get("/findings/export.csv?org=mdt").want(t, http.StatusOK)
	rows, err := csv.NewReader(strings.NewReader(exp.body)).ReadAll()
	if err != nil || len(rows) != 2 || rows[0][0] != "id" || rows[1][1] != "mdt" || rows[1][2] != "192.0.2.10:3389" {
		t.Errorf("export: got %q, %v; want the header and mdt's finding", rows, err)
	}
	// A gap seen in 2020 (by monitoring: no events) is long past its due date.
	old := finding.Observation{OrgID: f.orgs["mdt"].ID, Resource: "https://portal.mdt.gov.az/login", Identifier: "monitor/tls-version",
		Source: "monitor", Seen: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}
	if _, _, _, err := f.store.ObserveFindings(context.Background(), finding.DefaultPolicy(), []finding.Observation{old}); err != nil {
		t.Fatal(err)
	}
	analyst.get("/findings?overdue=1").want(t, http.StatusOK).contains(t, "https://portal.mdt.gov.az/login", `class="badge overdue"`)
}

func TestFindingActionPermissions(t *testing.T) {
	t.Parallel()
	f, mdt, _ := findingFixture(t)
	officer := f.as(t, "mdt-officer")
	page := officer.get(fmt.Sprintf("/findings/%d", mdt)).want(t, http.StatusOK)
	page.contains(t, fmt.Sprintf(`action="/findings/%d/acknowledge"`, mdt), fmt.Sprintf(`action="/findings/%d/resolve"`, mdt),
		fmt.Sprintf(`action="/findings/%d/dispute"`, mdt))
	page.lacks(t, "/accept", "/severity", "/assign", "/close\"", "/reopen")
	for _, a := range []string{"accept", "close", "reopen", "severity", "assign"} {
		officer.post(fmt.Sprintf("/findings/%d/%s", mdt, a), actionForm()).want(t, http.StatusForbidden)
	}
	auditor := f.as(t, "auditor")
	auditor.get(fmt.Sprintf("/findings/%d", mdt)).want(t, http.StatusOK).lacks(t, "/acknowledge", "/severity")
	auditor.post(fmt.Sprintf("/findings/%d/acknowledge", mdt), nil).want(t, http.StatusForbidden)
	officer.post(fmt.Sprintf("/findings/%d/nonsense", mdt), nil).want(t, http.StatusNotFound)

	// Staff: change severity and assign, then accept the risk.
	analyst := f.as(t, "analyst")
	analyst.get(fmt.Sprintf("/findings/%d", mdt)).want(t, http.StatusOK).contains(t, "/accept", "/severity", "/assign")
	analyst.post(fmt.Sprintf("/findings/%d/severity", mdt), url.Values{"severity": {"low"}}).want(t, http.StatusBadRequest).
		contains(t, i18n.T("az", "err:say why the severity changes"))
	analyst.post(fmt.Sprintf("/findings/%d/severity", mdt), url.Values{"severity": {"low"}, "reason": {"behind a VPN"}}).
		redirectsTo(t, fmt.Sprintf("/findings/%d", mdt))
	analyst.post(fmt.Sprintf("/findings/%d/assign", mdt), url.Values{"assignee": {"nobody-here"}}).want(t, http.StatusBadRequest)
	analyst.post(fmt.Sprintf("/findings/%d/assign", mdt), url.Values{"assignee": {"analyst"}}).redirectsTo(t, fmt.Sprintf("/findings/%d", mdt))
	analyst.post(fmt.Sprintf("/findings/%d/accept", mdt), url.Values{"reason": {"legacy system"}}).want(t, http.StatusBadRequest).
		contains(t, i18n.T("az", "finding.bad_until"), "legacy system")
	analyst.post(fmt.Sprintf("/findings/%d/accept", mdt), url.Values{"reason": {"legacy system"}, "until": {"2099-06-30"}}).
		redirectsTo(t, fmt.Sprintf("/findings/%d", mdt))
	analyst.get(fmt.Sprintf("/findings/%d", mdt)).want(t, http.StatusOK).
		contains(t, "sev-low", "fstatus-accepted", "behind a VPN", "legacy system", `<span class="mono">analyst</span>`)
}

func TestFindingLifecycle(t *testing.T) {
	t.Parallel()
	f, mdt, _ := findingFixture(t)
	officer := f.as(t, "mdt-officer")
	path := fmt.Sprintf("/findings/%d", mdt)
	officer.post(path+"/acknowledge", nil).redirectsTo(t, path)
	officer.get(path).want(t, http.StatusOK).contains(t, i18n.T("az", "flash.finding_acknowledge"), "fstatus-acknowledged")
	// Marking fixed needs a comment; what was typed elsewhere is kept.
	officer.post(path+"/resolve", url.Values{"reason": {"  "}}).want(t, http.StatusBadRequest).
		contains(t, i18n.T("az", "finding.comment_required"))
	officer.post(path+"/dispute", url.Values{}).want(t, http.StatusBadRequest).
		contains(t, i18n.T("az", "err:say why this is a false positive"))
	officer.post(path+"/resolve", url.Values{"reason": {"RDP closed at the firewall"}}).redirectsTo(t, path)
	// A stale page's move the lifecycle refuses: the message, not a 500.
	illegal := officer.post(path+"/acknowledge", nil).want(t, http.StatusConflict)
	illegal.contains(t, html.EscapeString(i18n.T("az", "finding.cannot_move", i18n.T("az", "finding_status.resolved"), i18n.T("az", "finding_status.acknowledged"))))
	page := officer.get(path).want(t, http.StatusOK).contains(t, "fstatus-resolved", "RDP closed at the firewall", "mdt-officer")
	page.lacks(t, "/acknowledge\"", "/resolve\"")
	if strings.Count(page.body, `<span class="mono">mdt-officer</span>`) != 2 {
		t.Errorf("history: want two steps by mdt-officer\n%s", excerpt(page.body))
	}
	// English too.
	officer.lang = "en"
	f.as(t, "auditor").get(path).want(t, http.StatusOK).contains(t, "Finding #", "resolved", "History")
}

func TestFindingEventsCSV(t *testing.T) {
	t.Parallel()
	f, mdt, _ := findingFixture(t)
	resp := f.as(t, "mdt-officer").get(fmt.Sprintf("/findings/%d/events.csv", mdt)).want(t, http.StatusOK)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("content type %q, want text/csv", ct)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, fmt.Sprintf("qalxan-finding-%d-events.csv", mdt)) {
		t.Errorf("content disposition %q", cd)
	}
	rows, err := csv.NewReader(strings.NewReader(resp.body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[0][0] != "id" || rows[0][7] != "source.ip" {
		t.Fatalf("got %d rows (%q), want a header and 3 events", len(rows), rows)
	}
	for i, r := range rows[1:] {
		if r[7] != "192.0.2.10" || r[3] != "shadowserver" || !strings.Contains(r[12], fmt.Sprintf("mdt-rdp-%d", i)) {
			t.Errorf("row %d: %q", i+1, r)
		}
	}
	// The page lists the events with the download link.
	f.as(t, "mdt-officer").get(fmt.Sprintf("/findings/%d", mdt)).want(t, http.StatusOK).
		contains(t, fmt.Sprintf(`href="/findings/%d/events.csv"`, mdt), "192.0.2.10")
	// The download is audited.
	entries, err := f.store.ListAudit(context.Background(), storage.AuditFilter{Action: "finding.export"})
	if err != nil || len(entries) != 1 || entries[0].Actor != "mdt-officer" {
		t.Errorf("audit: got %v, %v; want one finding.export by mdt-officer", entries, err)
	}
}

func TestNoticeLink(t *testing.T) {
	t.Parallel()
	key := []byte("0123456789abcdef0123456789abcdef")
	f, mdt, minfin := findingFixture(t, withLinkKey(key))
	mdtID := f.orgs["mdt"].ID
	valid := auth.SignLink(key, mdtID, "soc@mdt.gov.az", time.Now().Add(30*24*time.Hour))

	c := f.anon(t)
	c.get("/n/"+valid).redirectsTo(t, "/findings")
	c.get("/findings").want(t, http.StatusOK).contains(t, "192.0.2.10:3389", "soc@mdt.gov.az").lacks(t, "198.51.100.20")
	c.get(fmt.Sprintf("/findings/%d", minfin)).want(t, http.StatusNotFound)
	c.get(fmt.Sprintf("/findings/%d/events.csv", minfin)).want(t, http.StatusNotFound)
	c.post(fmt.Sprintf("/findings/%d/acknowledge", minfin), nil).want(t, http.StatusNotFound)
	c.post(fmt.Sprintf("/findings/%d/accept", mdt), actionForm()).want(t, http.StatusForbidden)
	c.get("/admin/users").want(t, http.StatusForbidden)
	c.post(fmt.Sprintf("/findings/%d/acknowledge", mdt), nil).redirectsTo(t, fmt.Sprintf("/findings/%d", mdt))
	c.get(fmt.Sprintf("/findings/%d", mdt)).want(t, http.StatusOK).contains(t, `<span class="mono">link:soc@mdt.gov.az</span>`)
	hist, err := f.store.FindingHistory(context.Background(), auth.Everything, mdt)
	if err != nil || len(hist) == 0 || hist[len(hist)-1].Actor != "link:soc@mdt.gov.az" {
		t.Errorf("history: got %v, %v; want the last step by link:soc@mdt.gov.az", hist, err)
	}
	for _, action := range []string{"session.link", "finding.transition"} {
		entries, err := f.store.ListAudit(context.Background(), storage.AuditFilter{Action: action, Actor: "link:soc@mdt.gov.az"})
		if err != nil || len(entries) != 1 {
			t.Errorf("audit %s: got %d entries, %v; want one by link:soc@mdt.gov.az", action, len(entries), err)
		}
	}
	// Signing out ends the link's session.
	c.post("/logout", nil).want(t, http.StatusSeeOther)
	c.get("/findings").want(t, http.StatusSeeOther)

	p64, m64, _ := strings.Cut(valid, ".")
	for _, tc := range []struct {
		name, token string
		status      int
	}{
		{"expired", auth.SignLink(key, mdtID, "soc@mdt.gov.az", time.Now().Add(-time.Minute)), http.StatusGone},
		{"tampered signature", p64 + "." + strings.Repeat("A", len(m64)), http.StatusForbidden},
		{"other organisation", auth.SignLink(key, f.orgs["minfin"].ID, "x", time.Now().Add(time.Hour))[:len(p64)] + "." + m64, http.StatusForbidden},
		{"wrong key", auth.SignLink([]byte("another key of thirty-two bytes!"), mdtID, "soc@mdt.gov.az", time.Now().Add(time.Hour)), http.StatusForbidden},
		{"garbage", "not-a-token", http.StatusForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := f.anon(t)
			resp := c.get("/n/"+tc.token).want(t, tc.status)
			for _, ck := range resp.Cookies() {
				if ck.Name == auth.SessionCookie && ck.Value != "" {
					t.Errorf("refused link set a session cookie")
				}
			}
			c.get("/findings").want(t, http.StatusSeeOther)
		})
	}

	// A server without a key refuses every link.
	nokey := newFixture(t)
	nokey.anon(t).get("/n/"+valid).want(t, http.StatusForbidden)
}
