package ui

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/i18n"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/storage"
)

// incidentPageSize is the rows per page of the incident list.
const incidentPageSize = 100

type incidentListView struct {
	view
	Filter     incidentFilter
	Errors     map[string]string
	Statuses   []incident.Status
	Severities []incident.Severity
	Kinds      []incident.Kind
	Incidents  []incidentRow
	Total      int
	NextURL    string
	First      bool
	// Saved views (incident_views.go) and the export of what is shown.
	Views     []savedView
	ViewForm  *viewForm
	Query     string // the filter as a query string, for saving it
	ExportURL string
	Waiting   int // reports waiting for triage (staff)
}

type incidentRow struct {
	incident.Incident
	IsOverdue bool
}

// incidentFilter is the filter bar as typed, kept in the URL so a view
// can be bookmarked and shared. Status is a status, "open" or "".
type incidentFilter struct {
	Status, Severity, Identifier, Q, Kind, Observable, Overdue string
}

func parseIncidentFilter(q url.Values) incidentFilter {
	g := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	f := incidentFilter{Status: g("status"), Severity: g("severity"), Identifier: g("identifier"), Q: g("q"), Kind: g("kind"), Observable: g("observable")}
	if o := g("overdue"); o == "1" || o == "on" || o == "true" {
		f.Overdue = "1"
	}
	return f
}

// URL is /incidents with the filter, plus extra pairs ("cursor", id).
func (f incidentFilter) URL(extra ...string) string {
	v := url.Values{}
	for k, x := range map[string]string{"status": f.Status, "severity": f.Severity, "identifier": f.Identifier, "q": f.Q,
		"kind": f.Kind, "observable": f.Observable, "overdue": f.Overdue} {
		if x != "" {
			v.Set(k, x)
		}
	}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	if len(v) == 0 {
		return "/incidents"
	}
	return "/incidents?" + v.Encode()
}

// Active reports whether any filter is set.
func (f incidentFilter) Active() bool { return f != incidentFilter{} }

func (f incidentFilter) storage() (storage.IncidentFilter, map[string]string) {
	sf := storage.IncidentFilter{Identifier: f.Identifier, Text: f.Q, Overdue: f.Overdue != ""}
	bad := map[string]string{}
	switch f.Status {
	case "":
	case "open":
		sf.Open = true
	default:
		st, err := incident.ParseStatus(f.Status)
		if err != nil {
			bad["status"] = "incidents.bad_status"
		}
		sf.Statuses = []incident.Status{st}
	}
	if f.Severity != "" {
		sev, err := incident.ParseSeverity(f.Severity)
		if err != nil {
			bad["severity"] = "incidents.bad_severity"
		}
		sf.Severity = []incident.Severity{sev}
	}
	if f.Observable != "" {
		k, err := incident.ParseKind(f.Kind)
		if err != nil {
			bad["kind"] = "incidents.bad_kind"
		}
		sf.ObservableKind, sf.ObservableValue = k, f.Observable
	}
	return sf, bad
}

// incidentList (GET /incidents) lists the incidents in the user's scope,
// newest first: an agency those affecting its organisations.
func (h *handler) incidentList(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !h.require(w, r, u, auth.ReadIncidents) {
		return
	}
	h.renderIncidentList(w, r, u, http.StatusOK, nil)
}

func (h *handler) renderIncidentList(w http.ResponseWriter, r *http.Request, u *auth.User, status int, vf *viewForm) {
	q := r.URL.Query()
	f := parseIncidentFilter(q)
	sc := auth.ScopeFor(u)
	v := incidentListView{view: h.newView(w, r, u, "incidents.title", "incidents"), Filter: f, Total: -1,
		Statuses: incident.Statuses, Kinds: incident.Kinds, Errors: map[string]string{}}
	for s := incident.Critical; s >= incident.Low; s-- {
		v.Severities = append(v.Severities, s)
	}
	sf, bad := f.storage()
	rules := h.rules()
	before, _ := strconv.ParseInt(q.Get("cursor"), 10, 64)
	sf.BeforeID, sf.Limit = before, incidentPageSize
	var ins []incident.Incident
	var next int64
	var err error
	if len(bad) == 0 {
		ins, next, err = h.Store.ListIncidents(r.Context(), sc, rules, sf)
		if errs.Is(err, errs.Invalid) {
			bad["observable"] = "incidents.bad_observable"
			err = nil
		}
	}
	if err != nil {
		h.fail(w, r, u, err)
		return
	}
	if err := h.fillIncidentViews(r, u, f, &v, vf); err != nil {
		h.fail(w, r, u, err)
		return
	}
	if len(bad) > 0 {
		for field, key := range bad {
			v.Errors[field] = i18n.T(v.Lang, key)
		}
		h.render(w, r, http.StatusBadRequest, "incident_list", &v)
		return
	}
	now := h.Store.Now()
	for _, in := range ins {
		v.Incidents = append(v.Incidents, incidentRow{Incident: in, IsOverdue: in.Overdue(now)})
	}
	cctx, cancel := context.WithTimeout(r.Context(), eventCountBudget)
	if n, err := h.Store.CountIncidents(cctx, sc, rules, sf); err == nil {
		v.Total = n
	}
	cancel()
	v.First = before <= 0
	if next != 0 {
		v.NextURL = f.URL("cursor", strconv.FormatInt(next, 10))
	}
	h.render(w, r, status, "incident_list", &v)
}

// rules are the configured incident rules, or the defaults.
func (h *handler) rules() incident.Rules {
	if h.Incidents.Policy.Thresholds == nil {
		return incident.DefaultRules()
	}
	return h.Incidents
}
