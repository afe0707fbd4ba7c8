package ui

import (
	"net/http"
	"strings"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/monitor"
	"github.com/qalxan/qalxan/internal/storage"
)

// orgMonitorRow is one resource on the organisation's scorecard, its
// failing checks named in the reader's language.
type orgMonitorRow struct {
	storage.OrgMonitorResource
	Failing []string
	Weakest bool
}

type monitorOrgView struct {
	view
	Org       *constituency.Org
	Scorecard *storage.OrgMonitor
	Rows      []orgMonitorRow
}

// monitorOrg (GET /monitor/orgs/{short}) is an organisation's security
// scorecard: each monitored resource with its grade, failing checks and
// 30-day uptime, and the organisation graded by its weakest resource.
// Another agency's organisation is not found.
func (h *handler) monitorOrg(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !h.require(w, r, u, auth.ReadFindings) {
		return
	}
	o, ok := h.loadOrg(w, r, u)
	if !ok {
		return
	}
	m, err := h.Store.GetOrgMonitor(r.Context(), auth.ScopeFor(u), o.ID, h.Store.Now())
	if err != nil {
		h.fail(w, r, u, err)
		return
	}
	v := monitorOrgView{view: h.newView(w, r, u, "monitor.org_title", "monitor"), Org: o, Scorecard: m}
	v.Title += " " + o.ShortName
	for _, res := range m.Resources {
		row := orgMonitorRow{OrgMonitorResource: res, Weakest: res.ResourceID == m.Weakest}
		for _, id := range res.Failing {
			check, instance, _ := strings.Cut(id, "/")
			title := id
			if c, ok := monitor.Lookup(check); ok {
				title = c.TitleIn(v.Lang)
				if instance != "" {
					title += " (" + instance + ")"
				}
			}
			row.Failing = append(row.Failing, title)
		}
		v.Rows = append(v.Rows, row)
	}
	h.render(w, r, http.StatusOK, "monitor_org", &v)
}
