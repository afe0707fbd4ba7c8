package ui_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/monitor"
	"github.com/qalxan/qalxan/internal/storage"
)

// TestMonitorAvailabilityAndContent: a resource's scorecard shows its
// uptime, response-time percentiles and sparkline, and how far its page
// moved from the content baseline; staff (only) accept the new content.
func TestMonitorAvailabilityAndContent(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	mdt := f.orgs["mdt"]
	res := mdt.Resources[0]
	before := monitor.FingerprintOf([]byte("<p>Ministry of digital development and transport: services, news, contacts and open data for citizens.</p>"))
	after := monitor.FingerprintOf([]byte("<h1>Hacked by nobody</h1><p>greetings to all our friends</p>"))
	now := time.Now().UTC()
	// Six runs over six days: the fourth did not answer; the last saw a new page.
	for i := range 6 {
		run := storage.MonitorRun{OrgID: mdt.ID, ResourceID: res.ID, Target: res.Value, StartedAt: now.Add(time.Duration(i-6) * 24 * time.Hour),
			Score: 90, Grade: "A", Up: i != 3, TTFBMS: int64(100 * (i + 1)), Content: before.String()}
		if i == 3 {
			run.Score, run.Grade, run.Content = -1, "", ""
		}
		if i == 5 {
			run.Content = after.String()
		}
		if err := f.store.SaveMonitorRun(ctx, &run); err != nil {
			t.Fatal(err)
		}
	}
	path := "/monitor/" + strconv.FormatInt(res.ID, 10)
	accept := path + "/baseline"

	page := f.as(t, "auditor").get(path).want(t, http.StatusOK)
	page.contains(t, "Uptime, 7 days", "83.3%", "(5/6)", "p50 300 ms", "p90 600 ms", `<svg class="sparkline"`, `<rect class="down"`,
		"Latest content similar to the baseline: <strong>0%</strong>").lacks(t, `action="`+accept+`"`)
	if n := strings.Count(page.body, "<polyline"); n != 2 {
		t.Errorf("sparkline: got %d lines, want 2 (before and after the outage)", n)
	}

	officer := f.as(t, "mdt-officer")
	officer.get(path).want(t, http.StatusOK).contains(t, `<svg class="sparkline"`).lacks(t, `action="`+accept+`"`)
	officer.post(accept, nil).want(t, http.StatusForbidden)
	minfin := f.orgs["minfin"].Resources[0].ID
	officer.post("/monitor/"+strconv.FormatInt(minfin, 10)+"/baseline", nil).want(t, http.StatusNotFound)
	f.as(t, "auditor").post(accept, nil).want(t, http.StatusForbidden)
	f.as(t, "partner").post(accept, nil).want(t, http.StatusForbidden)
	if c, _ := f.store.GetMonitorContent(ctx, auth.Everything, res.ID); c.Baseline != before.String() {
		t.Fatal("the baseline changed after refused attempts")
	}

	analyst := f.as(t, "analyst")
	analyst.get(path).want(t, http.StatusOK).contains(t, `action="`+accept+`"`)
	analyst.post(accept, nil).redirectsTo(t, path+"#content")
	analyst.get(path).want(t, http.StatusOK).contains(t, "analyst").lacks(t, `action="`+accept+`"`)
	if c, _ := f.store.GetMonitorContent(ctx, auth.Everything, res.ID); c.Baseline != after.String() || c.AcceptedBy != "analyst" {
		t.Errorf("after accepting: got baseline %.16s… by %q, want the latest by analyst", c.Baseline, c.AcceptedBy)
	}
	// A resource never checked has no content section and no sparkline.
	other := mdt.Resources[2].ID
	f.as(t, "auditor").get("/monitor/"+strconv.FormatInt(other, 10)).want(t, http.StatusOK).lacks(t, `<svg class="sparkline"`, "Page content")
	analyst.post("/monitor/"+strconv.FormatInt(other, 10)+"/baseline", nil).want(t, http.StatusNotFound)
}

// TestMonitorOrgScorecard: an organisation's scorecard lists its
// resources with their failing checks and uptime and is graded by the
// weakest; another agency's is not found, a partner's forbidden.
func TestMonitorOrgScorecard(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	save := func(org string, i, score int, grade string, up bool, results string) {
		o := f.orgs[org]
		r := o.Resources[i]
		run := storage.MonitorRun{OrgID: o.ID, ResourceID: r.ID, Target: r.Value, StartedAt: time.Now().UTC().Add(-time.Hour), Score: score, Grade: grade,
			Up: up, TTFBMS: 30, Results: []byte(results)}
		if err := f.store.SaveMonitorRun(ctx, &run); err != nil {
			t.Fatal(err)
		}
	}
	save("mdt", 0, 95, "A", true, `[{"check":"caa","status":"fail"}]`)
	save("mdt", 2, 45, "C-", true, `[{"check":"exposed-git","status":"fail"},{"check":"open-port","instance":"rdp","status":"fail"},{"check":"hsts","status":"pass"}]`)
	save("minfin", 0, 20, "F", true, `[]`)

	page := f.as(t, "auditor").get("/monitor/orgs/mdt").want(t, http.StatusOK)
	page.contains(t, "Organisation grade (its weakest resource): <strong>C- (45)</strong>", "No exposed Git repository", "(rdp)", "(weakest)",
		"100.0%", `href="/monitor/`+strconv.FormatInt(f.orgs["mdt"].Resources[2].ID, 10)+`"`, `href="/orgs/mdt"`).lacks(t, "minfin")

	officer := f.as(t, "mdt-officer")
	officer.get("/monitor/orgs/mdt").want(t, http.StatusOK).contains(t, "C- (45)")
	officer.get("/monitor/orgs/minfin").want(t, http.StatusNotFound).lacks(t, "F (20)", f.orgs["minfin"].Resources[0].Value)
	officer.get("/monitor/orgs/nosuch").want(t, http.StatusNotFound)
	f.as(t, "partner").get("/monitor/orgs/mdt").want(t, http.StatusForbidden)
	f.as(t, "partner").get("/monitor/orgs/minfin").want(t, http.StatusForbidden)
	// The organisation's page links to it, for those who read findings.
	f.as(t, "auditor").get("/orgs/mdt").want(t, http.StatusOK).contains(t, `href="/monitor/orgs/mdt"`)
	f.as(t, "partner").get("/orgs/bsu").want(t, http.StatusOK).lacks(t, `href="/monitor/orgs/bsu"`)
	// The constituency table links each organisation to its scorecard.
	f.as(t, "admin").get("/monitor").want(t, http.StatusOK).contains(t, `href="/monitor/orgs/mdt"`, `href="/monitor/orgs/minfin"`, `<td class="num">100.0%</td>`)
	// An organisation with nothing monitored yet: an empty scorecard.
	f.as(t, "admin").get("/monitor/orgs/azerenerji").want(t, http.StatusOK).contains(t, "<strong>—</strong>")
}
