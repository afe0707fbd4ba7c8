package ui

import (
	"cmp"
	"net/http"
	"slices"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/storage"
)

type dashboardView struct {
	view
	*storage.Overview
	Sectors []bar // organisations per sector, largest first
	Kinds   []bar // resources per kind, in display order
	Waiting int   // reports waiting for triage (staff)
}

// bar is one row of a server-rendered bar chart; Width is in percent of
// the largest row, used as an SVG attribute (the CSP forbids style="").
type bar struct {
	Key   string
	Count int
	Width int
}

// dashboard (GET /) is the registry in numbers as the user's scope sees it,
// with what needs attention first.
func (h *handler) dashboard(w http.ResponseWriter, r *http.Request, u *auth.User) {
	ov, err := h.Store.Overview(r.Context(), auth.ScopeFor(u))
	if err != nil {
		h.fail(w, r, u, err)
		return
	}
	v := dashboardView{view: h.newView(w, r, u, "dashboard.title", "dashboard"), Overview: ov}
	for _, s := range constituency.Sectors {
		if n := ov.BySector[string(s)]; n > 0 {
			v.Sectors = append(v.Sectors, bar{Key: string(s), Count: n})
		}
	}
	slices.SortStableFunc(v.Sectors, func(a, b bar) int { return cmp.Compare(b.Count, a.Count) })
	for _, k := range constituency.ResourceKinds {
		v.Kinds = append(v.Kinds, bar{Key: string(k), Count: ov.ByKind[string(k)]})
	}
	scaleBars(v.Sectors)
	scaleBars(v.Kinds)
	if u.Role.Can(auth.ReadReports) {
		if v.Waiting, err = h.Store.WaitingReports(r.Context(), actor(r, u)); err != nil && !errs.Is(err, errs.Forbidden) {
			h.fail(w, r, u, err)
			return
		}
	}
	h.render(w, r, http.StatusOK, "dashboard", &v)
}

// scaleBars sets each bar's width relative to the largest; a non-zero count
// always gets a visible sliver.
func scaleBars(bars []bar) {
	top := 0
	for _, b := range bars {
		top = max(top, b.Count)
	}
	for i := range bars {
		if top > 0 && bars[i].Count > 0 {
			bars[i].Width = max(1, bars[i].Count*100/top)
		}
	}
}
