package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/monitor"
	"github.com/qalxan/qalxan/internal/storage"
)

var monitorSeed sync.Mutex

// matrixMonitorRuns gives org's first resource two monitoring runs, the
// second on a changed page, once per fixture: the monitoring routes of
// the matrix then have a scorecard, an availability and a content
// baseline to show or refuse.
func matrixMonitorRuns(f *fixture, org *constituency.Org) {
	monitorSeed.Lock()
	defer monitorSeed.Unlock()
	res := org.Resources[0]
	if _, err := f.store.GetMonitorContent(ctx, auth.Everything, res.ID); !errs.Is(err, errs.NotFound) {
		return
	}
	pages := []string{"<p>" + org.Name + ": services, news and contacts for citizens and businesses.</p>", "<h1>Site moved</h1>"}
	for i, p := range pages {
		run := storage.MonitorRun{OrgID: org.ID, ResourceID: res.ID, Target: res.Value, StartedAt: time.Now().UTC().Add(time.Duration(i-2) * time.Hour),
			Score: 70 - 10*i, Grade: "B", Up: true, TTFBMS: int64(40 + i), Failed: i, Content: monitor.FingerprintOf([]byte(p)).String(),
			Results: json.RawMessage(fmt.Sprintf(`[{"check":"content-changed","status":%q}]`, map[int]string{0: "pass", 1: "fail"}[i]))}
		if err := f.store.SaveMonitorRun(ctx, &run); err != nil {
			panic(err)
		}
	}
}

// TestMonitorAPI: the resource scorecard carries availability and the
// content record; the organisation scorecard grades by the weakest
// resource; staff accept a new baseline, an agency may not.
func TestMonitorAPI(t *testing.T) {
	f := newFixture(t)
	matrixMonitorRuns(f, f.own)
	res := f.own.Resources[0].ID

	var rm struct {
		Availability storage.MonitorAvailability `json:"availability"`
		Content      struct {
			Changed    bool    `json:"changed"`
			Similarity float64 `json:"similarity_percent"`
			BaselineAt string  `json:"baseline_at"`
		} `json:"content"`
	}
	resp := f.do(t, request{path: fmt.Sprintf("/api/v1/resources/%d/monitor", res), as: agency})
	if resp.status != http.StatusOK || json.Unmarshal([]byte(resp.body), &rm) != nil {
		t.Fatalf("resource monitor: got %d %s", resp.status, resp.body)
	}
	if rm.Availability.Uptime7.Runs != 2 || rm.Availability.Uptime7.Percent != 100 || rm.Availability.TTFBP50 != 40 || len(rm.Availability.Samples) != 2 {
		t.Errorf("availability: got %+v", rm.Availability)
	}
	if !rm.Content.Changed || rm.Content.Similarity != 0 || rm.Content.BaselineAt == "" {
		t.Errorf("content: got %+v; want changed, 0%% similar", rm.Content)
	}

	var om storage.OrgMonitor
	resp = f.do(t, request{path: fmt.Sprintf("/api/v1/orgs/%s/monitor", f.own.ShortName), as: agency})
	if resp.status != http.StatusOK || json.Unmarshal([]byte(resp.body), &om) != nil {
		t.Fatalf("org monitor: got %d %s", resp.status, resp.body)
	}
	if om.Org != f.own.ShortName || om.Score != 60 || om.Weakest != res || len(om.Resources) != 1 || len(om.Resources[0].Failing) != 1 ||
		om.Resources[0].Failing[0] != "content-changed" || om.Resources[0].Uptime.Runs != 2 {
		t.Errorf("org monitor: got %+v", om)
	}
	if resp := f.do(t, request{path: fmt.Sprintf("/api/v1/orgs/%d/monitor", f.other.ID), as: agency}); resp.status != http.StatusNotFound {
		t.Errorf("another org's scorecard: got %d, want 404", resp.status)
	}

	accept := fmt.Sprintf("/api/v1/resources/%d/monitor/baseline", res)
	if resp := f.do(t, request{method: http.MethodPost, path: accept, as: agency}); resp.status != http.StatusForbidden {
		t.Errorf("agency accepts: got %d, want 403", resp.status)
	}
	resp = f.do(t, request{method: http.MethodPost, path: accept, as: analyst})
	if resp.status != http.StatusOK || json.Unmarshal([]byte(resp.body), &rm.Content) != nil || rm.Content.Changed || rm.Content.Similarity != 100 {
		t.Fatalf("analyst accepts: got %d %s; want the baseline equal to the latest", resp.status, resp.body)
	}
	if resp := f.do(t, request{method: http.MethodPost, path: fmt.Sprintf("/api/v1/resources/%d/monitor/baseline", f.other.Resources[0].ID), as: analyst}); resp.status != http.StatusNotFound {
		t.Errorf("accept a resource never seen: got %d %s, want 404", resp.status, resp.body)
	}
}
