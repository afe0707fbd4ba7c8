package ui_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/monitor"
	"github.com/qalxan/qalxan/internal/storage"
)

// TestMonitorScorecards: the table and a resource's scorecard, each in the
// reader's scope, the failing checks with their remediation.
func TestMonitorScorecards(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	results, _ := json.Marshal([]monitor.Result{
		{Check: "exposed-git", Status: monitor.Fail, Evidence: "https://mdt.gov.az/.git/config answers 200"},
		{Check: "hsts", Status: monitor.Pass, Evidence: "Strict-Transport-Security: max-age=31536000"},
	})
	save := func(org string) int64 {
		o := f.orgs[org]
		r := o.Resources[0]
		run := storage.MonitorRun{OrgID: o.ID, ResourceID: r.ID, Target: r.Value, StartedAt: time.Now().UTC(), Score: 75, Grade: "B",
			Passed: 1, Failed: 1, Results: results}
		if err := f.store.SaveMonitorRun(ctx, &run); err != nil {
			t.Fatal(err)
		}
		return r.ID
	}
	mdt, minfin := save("mdt"), save("minfin")
	mdtPath, minfinPath := "/monitor/"+strconv.FormatInt(mdt, 10), "/monitor/"+strconv.FormatInt(minfin, 10)

	admin := f.as(t, "admin")
	admin.get("/monitor").want(t, http.StatusOK).contains(t, `href="/monitor/orgs/mdt"`, `href="/monitor/orgs/minfin"`, "B")
	admin.get(mdtPath).want(t, http.StatusOK).contains(t, "Açıq Git repozitoriyası yoxdur", "/.git/", "Strict-Transport-Security")

	officer := f.as(t, "mdt-officer")
	officer.get("/monitor").want(t, http.StatusOK).contains(t, `href="/monitor/orgs/mdt"`).lacks(t, "minfin")
	officer.get(mdtPath).want(t, http.StatusOK)
	officer.get(minfinPath).want(t, http.StatusNotFound).lacks(t, f.orgs["minfin"].Resources[0].Value)
	officer.get("/monitor/x").want(t, http.StatusNotFound)

	f.as(t, "auditor").get(mdtPath).want(t, http.StatusOK).contains(t, "No exposed Git repository", "Deny access to /.git/")
	f.as(t, "partner").get("/monitor").want(t, http.StatusForbidden)
}
