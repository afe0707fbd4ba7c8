package api

import (
	"net/http"
	"strings"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/storage"
)

// listMonitorRuns is the scorecard table: the latest monitoring run of
// every resource in the caller's scope (of one organisation with ?org=),
// most failures first. An agency sees its own resources only: the scope
// is in the query.
func (a *API) listMonitorRuns(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	sc := auth.ScopeFor(u)
	var orgID int64
	if key := strings.TrimSpace(r.URL.Query().Get("org")); key != "" {
		var err error
		if orgID, err = a.orgIDInScope(r, sc, key); err != nil {
			return err
		}
	}
	runs, err := a.d.Store.LatestMonitorRuns(r.Context(), sc, orgID)
	if err != nil {
		return err
	}
	a.writeJSON(w, r, http.StatusOK, page[storage.MonitorRun]{Items: nonNil(runs)})
	return nil
}

// resourceMonitor is one resource's monitoring history, newest first,
// with every check's result: the per-resource scorecard.
type resourceMonitor struct {
	Resource *constituency.Resource `json:"resource"`
	Runs     []storage.MonitorRun   `json:"runs"`
}

func (a *API) getResourceMonitor(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	res, err := a.resourceFor(r, u)
	if err != nil {
		return err
	}
	limit, err := queryInt(r.URL.Query(), "limit", 30, 1, 1000)
	if err != nil {
		return err
	}
	runs, err := a.d.Store.MonitorHistory(r.Context(), auth.ScopeFor(u), res.ID, limit)
	if err != nil {
		return err
	}
	a.writeJSON(w, r, http.StatusOK, resourceMonitor{Resource: res, Runs: nonNil(runs)})
	return nil
}
