package ui

import (
	"net/http"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/storage"
)

// orgPageSize is the rows per page: enough that most constituencies fit in
// a few pages, few enough that the page stays quick.
const orgPageSize = 100

type orgListView struct {
	view
	Filter  orgFilter
	Sectors []constituency.Sector
	Orgs    []storage.OrgSummary
	Next    string // cursor of the next page, "" on the last
	First   bool   // this is the first page
}

// orgList (GET /orgs) lists the organisations in the user's scope.
func (h *handler) orgList(w http.ResponseWriter, r *http.Request, u *auth.User) {
	q := r.URL.Query()
	f := parseOrgFilter(q)
	after := q.Get("after")
	orgs, next, err := h.Store.ListOrgs(r.Context(), auth.ScopeFor(u), f.storage(after, orgPageSize))
	if err != nil {
		h.fail(w, r, u, err)
		return
	}
	v := orgListView{
		view:   h.newView(w, r, u, "orgs.title", "orgs"),
		Filter: f, Sectors: constituency.Sectors, Orgs: orgs, Next: next, First: after == "",
	}
	h.render(w, r, http.StatusOK, "org_list", &v)
}
