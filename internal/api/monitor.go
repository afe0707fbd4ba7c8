package api

import (
	"math"
	"net/http"
	"strings"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/monitor"
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
// with every check's result: the per-resource scorecard, with its
// availability over 30 days and its page content against the baseline.
type resourceMonitor struct {
	Resource     *constituency.Resource      `json:"resource"`
	Runs         []storage.MonitorRun        `json:"runs"`
	Availability storage.MonitorAvailability `json:"availability"`
	Content      *monitorContent             `json:"content,omitempty"`
}

// monitorContent is the content record with how alike the latest page is
// to the baseline, in percent (-1 when a fingerprint is unreadable).
type monitorContent struct {
	*storage.MonitorContent
	Changed    bool    `json:"changed"`
	Similarity float64 `json:"similarity_percent"`
}

// contentOf reads the content record of a resource in scope; nil before
// the first run that saw a page.
func (a *API) contentOf(r *http.Request, sc auth.Scope, id int64) (*monitorContent, error) {
	c, err := a.d.Store.GetMonitorContent(r.Context(), sc, id)
	if errs.Is(err, errs.NotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := &monitorContent{MonitorContent: c, Changed: c.Latest != c.Baseline, Similarity: -1}
	base, err1 := monitor.ParseFingerprint(c.Baseline)
	latest, err2 := monitor.ParseFingerprint(c.Latest)
	if err1 == nil && err2 == nil {
		out.Similarity = math.Round(1000*latest.Similarity(base)) / 10
	}
	return out, nil
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
	sc := auth.ScopeFor(u)
	runs, err := a.d.Store.MonitorHistory(r.Context(), sc, res.ID, limit)
	if err != nil {
		return err
	}
	out := resourceMonitor{Resource: res, Runs: nonNil(runs)}
	if out.Availability, err = a.d.Store.GetMonitorAvailability(r.Context(), sc, res.ID, a.d.Store.Now()); err != nil {
		return err
	}
	out.Availability.Samples = nonNil(out.Availability.Samples)
	if out.Content, err = a.contentOf(r, sc, res.ID); err != nil {
		return err
	}
	a.writeJSON(w, r, http.StatusOK, out)
	return nil
}

// acceptResourceContent makes the page the latest run saw the resource's
// content baseline (staff only: storage refuses a limited scope too).
func (a *API) acceptResourceContent(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	res, err := a.resourceFor(r, u)
	if err != nil {
		return err
	}
	if _, err := a.d.Store.AcceptMonitorContent(r.Context(), actor(r, u), res.ID); err != nil {
		return err
	}
	c, err := a.contentOf(r, auth.ScopeFor(u), res.ID)
	if err != nil {
		return err
	}
	a.writeJSON(w, r, http.StatusOK, c)
	return nil
}

// getOrgMonitor is an organisation's scorecard: each monitored resource
// with its grade, failing checks and 30-day uptime, and the organisation
// graded by its weakest resource. Another agency's organisation is not
// found; the scope is in every query.
func (a *API) getOrgMonitor(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	o, err := a.orgFor(r, u)
	if err != nil {
		return err
	}
	m, err := a.d.Store.GetOrgMonitor(r.Context(), auth.ScopeFor(u), o.ID, a.d.Store.Now())
	if err != nil {
		return err
	}
	m.Org = o.ShortName
	a.writeJSON(w, r, http.StatusOK, m)
	return nil
}
