package ui

import (
	"net/http"
	"strconv"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/i18n"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/tlp"
)

type incidentView struct {
	view
	Incident    incident.Incident
	Overdue     bool
	Journal     []incident.Entry
	Tasks       []incident.Task
	Observables []incident.Observable
	Evidence    []incident.Evidence // nil for partners, who do not see files
	Takedowns   []incident.Takedown
	Next        []incident.Status // the moves the state machine allows now
	Kinds       []incident.Kind
	Labels      []tlp.Label
	Severities  []incident.Severity
	Failed      string // the action whose form is shown again with its errors
	Form        *form
	// The page's forms for changing the case (incident_edit.go).
	Links       []incident.Link
	Custody     map[int64][]incident.CustodyEntry // evidence id → its chain of custody
	Files       bool                              // the user may see evidence files (not partners)
	TargetKinds []incident.TargetKind
	PAPs        []incident.PAP
	LinkKinds   []incident.LinkKind
}

// F is the form of action name: the failed one with what was typed, or an
// empty one.
func (v *incidentView) F(name string) *form {
	if name == v.Failed && v.Form != nil {
		return v.Form
	}
	return newForm(nil)
}

// incidentView (GET /incidents/{id}) shows an incident: the header with
// reference, status, severity (and the criteria behind it), TLP, PAP and
// owner; the moves the user may make; tasks, observables with how many
// other incidents name them, and the journal. One outside the scope is
// not found.
func (h *handler) incidentView(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !h.require(w, r, u, auth.ReadIncidents) {
		return
	}
	id, ok := pathID(r, "id")
	if !ok {
		h.notFound(w, r, u)
		return
	}
	h.renderIncident(w, r, u, id, http.StatusOK, "", nil)
}

func (h *handler) renderIncident(w http.ResponseWriter, r *http.Request, u *auth.User, id int64, status int, failed string, fm *form) {
	ctx, sc := r.Context(), auth.ScopeFor(u)
	in, err := h.Store.GetIncident(ctx, sc, h.rules(), id)
	if err != nil {
		h.fail(w, r, u, err)
		return
	}
	v := incidentView{view: h.newView(w, r, u, "incidents.title", "incidents"), Incident: *in, Overdue: in.Overdue(h.Store.Now()),
		Kinds: incident.Kinds, Labels: tlp.All, Failed: failed, Form: fm}
	v.Title = i18n.T(v.Lang, "incident.title", in.Ref)
	if u.Role.Can(auth.WriteIncidents) {
		v.Next = in.Status.Next()
		for s := incident.Critical; s >= incident.Low; s-- {
			v.Severities = append(v.Severities, s)
		}
	}
	if v.Journal, err = h.Store.IncidentJournal(ctx, sc, id); err != nil {
		h.fail(w, r, u, err)
		return
	}
	if v.Tasks, err = h.Store.IncidentTasks(ctx, sc, id); err != nil {
		h.fail(w, r, u, err)
		return
	}
	if v.Observables, err = h.Store.IncidentObservables(ctx, sc, id); err != nil {
		h.fail(w, r, u, err)
		return
	}
	if v.Takedowns, err = h.Store.IncidentTakedowns(ctx, sc, id); err != nil {
		h.fail(w, r, u, err)
		return
	}
	if sc.MaxTLP == "" {
		if v.Evidence, err = h.Store.IncidentEvidence(ctx, sc, id); err != nil {
			h.fail(w, r, u, err)
			return
		}
	}
	if err := h.fillIncidentEdit(r, sc, &v); err != nil {
		h.fail(w, r, u, err)
		return
	}
	if err := h.personalIncident(r, u, &v); err != nil {
		h.fail(w, r, u, err)
		return
	}
	h.render(w, r, status, "incident_view", &v)
}

// incidentURL is an incident's page.
func incidentURL(id int64) string { return "/incidents/" + strconv.FormatInt(id, 10) }
