package ui

import (
	"cmp"
	"net/http"
	"slices"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/storage"
)

// monitorSorts are the table's orders: worst grade first (the default),
// most failing checks first, by organisation.
var monitorSorts = []string{"grade", "failed", "org"}

type monitorListView struct {
	view
	Sort   string
	Sorts  []string
	Runs   []storage.MonitorRun
	Uptime map[int64]storage.Uptime // 30 days, by resource id
}

// monitorList (GET /monitor) is the constituency-wide scorecard table:
// each monitored resource's latest run, its grade and failing checks. An
// agency sees its own resources (the scope is in the query).
func (h *handler) monitorList(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !h.require(w, r, u, auth.ReadFindings) {
		return
	}
	runs, err := h.Store.LatestMonitorRuns(r.Context(), auth.ScopeFor(u), 0)
	if err != nil {
		h.fail(w, r, u, err)
		return
	}
	sort := r.URL.Query().Get("sort")
	if !slices.Contains(monitorSorts, sort) {
		sort = "grade"
	}
	slices.SortStableFunc(runs, func(a, b storage.MonitorRun) int {
		switch sort {
		case "failed":
			return cmp.Or(cmp.Compare(b.Failed, a.Failed), cmp.Compare(a.Score, b.Score))
		case "org":
			return cmp.Or(cmp.Compare(a.Org, b.Org), cmp.Compare(a.Target, b.Target))
		}
		// A site that did not answer (-1) sorts with the worst.
		return cmp.Or(cmp.Compare(a.Score, b.Score), cmp.Compare(b.Failed, a.Failed))
	})
	up, err := h.Store.MonitorUptimes(r.Context(), auth.ScopeFor(u), 0, h.Store.Now())
	if err != nil {
		h.fail(w, r, u, err)
		return
	}
	v := monitorListView{view: h.newView(w, r, u, "monitor.title", "monitor"), Sort: sort, Sorts: monitorSorts, Runs: runs, Uptime: up}
	h.render(w, r, http.StatusOK, "monitor_list", &v)
}
