package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/storage"
)

// rules are the incident rules in force: the configured ones, or the
// defaults when the wiring gave none.
func (a *API) rules() incident.Rules {
	if a.d.Incidents.Policy.Thresholds == nil {
		return incident.DefaultRules()
	}
	return a.d.Incidents
}

// incidentDetail is an incident with everything its page shows.
type incidentDetail struct {
	incident.Incident
	Overdue     bool                  `json:"overdue"`
	Journal     []incident.Entry      `json:"journal"`
	Tasks       []incident.Task       `json:"tasks"`
	Observables []incident.Observable `json:"observables"`
	Evidence    []incident.Evidence   `json:"evidence,omitempty"` // not for partners
	Takedowns   []incident.Takedown   `json:"takedowns"`
	Next        []incident.Status     `json:"next_statuses"` // the moves the state machine allows now
	Links       []incident.Link       `json:"links"`         // to incidents, events, findings the reader may see
}

// incidentFilter reads the list's query parameters; org only narrows
// within the caller's scope.
func (a *API) incidentFilter(r *http.Request, sc auth.Scope) (storage.IncidentFilter, error) {
	q := r.URL.Query()
	f := storage.IncidentFilter{
		Type:            strings.TrimSpace(q.Get("type")),
		Identifier:      strings.TrimSpace(q.Get("identifier")),
		Assignee:        strings.TrimSpace(q.Get("assignee")),
		Team:            strings.TrimSpace(q.Get("team")),
		Tag:             strings.TrimSpace(q.Get("tag")),
		Text:            strings.TrimSpace(q.Get("q")),
		ObservableValue: strings.TrimSpace(q.Get("observable")),
	}
	for _, v := range listParam(q["status"]) {
		if v == "open" {
			f.Open = true
			continue
		}
		st, err := incident.ParseStatus(v)
		if err != nil {
			return f, errs.InField("status", err)
		}
		f.Statuses = append(f.Statuses, st)
	}
	for _, v := range listParam(q["severity"]) {
		sev, err := incident.ParseSeverity(v)
		if err != nil {
			return f, errs.InField("severity", err)
		}
		f.Severity = append(f.Severity, sev)
	}
	if f.ObservableValue != "" {
		k, err := incident.ParseKind(q.Get("observable_kind"))
		if err != nil {
			return f, errs.InField("observable_kind", err)
		}
		f.ObservableKind = k
	}
	if s := q.Get("overdue"); s != "" {
		b, err := strconv.ParseBool(s)
		if err != nil {
			return f, errs.Field("overdue", "want true or false, got %q", s)
		}
		f.Overdue = b
	}
	lp, err := a.listParams(r, sc)
	f.Since, f.Until, f.OrgID, f.Limit, f.BeforeID = lp.since, lp.until, lp.orgID, lp.limit, lp.beforeID
	return f, err
}

// listParam splits comma-separated and repeated values.
func listParam(vs []string) []string {
	var out []string
	for _, v := range vs {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

func (a *API) listIncidents(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	sc := auth.ScopeFor(u)
	f, err := a.incidentFilter(r, sc)
	if err != nil {
		return err
	}
	ins, next, err := a.d.Store.ListIncidents(r.Context(), sc, a.rules(), f)
	if err != nil {
		return err
	}
	if err := a.personalIncidents(r, u, ins); err != nil {
		return err
	}
	a.writeJSON(w, r, http.StatusOK, page[incident.Incident]{Items: nonNil(ins), Next: encodeCursor(next)})
	return nil
}

// incidentIn is the body of a new incident or an edit. Criteria and
// observables are taken only on creation.
type incidentIn struct {
	Title       *string               `json:"title"`
	Description *string               `json:"description"`
	Taxonomy    *string               `json:"taxonomy"`
	Type        *string               `json:"type"`
	Identifier  *string               `json:"identifier"`
	Category    string                `json:"category"`
	TLP         *string               `json:"tlp"`
	PAP         *string               `json:"pap"`
	Tags        *[]string             `json:"tags"`
	OrgIDs      *[]int64              `json:"org_ids"`
	OwnerTeam   *string               `json:"owner_team"`
	Assignee    string                `json:"assignee"`
	Criteria    *incident.Criteria    `json:"criteria"`
	Observables []incident.Observable `json:"observables"`
	NoPlaybook  bool                  `json:"no_playbook"`
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// createIncident opens an incident; 201 with the incident as its page shows it.
func (a *API) createIncident(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	in, err := decodeJSON[incidentIn](w, r)
	if err != nil {
		return err
	}
	n := storage.NewIncident{Incident: incident.Incident{
		Title: deref(in.Title), Description: deref(in.Description),
		Classification: incident.Classification{Taxonomy: deref(in.Taxonomy), Type: deref(in.Type), Identifier: deref(in.Identifier)},
		Category:       incident.Category(in.Category), Tags: deref(in.Tags), OrgIDs: deref(in.OrgIDs),
		OwnerTeam: deref(in.OwnerTeam), Assignee: in.Assignee, Criteria: deref(in.Criteria),
	}, Observables: in.Observables, NoPlaybook: in.NoPlaybook}
	n.Incident.TLP = tlpOf(in.TLP)
	n.Incident.PAP = incident.PAP(deref(in.PAP))
	created, err := a.d.Store.CreateIncident(r.Context(), actor(r, u), a.rules(), n)
	if err != nil {
		return err
	}
	return a.writeIncident(w, r, u, created.ID, http.StatusCreated)
}

func (a *API) getIncident(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	id, err := a.incidentID(r, u)
	if err != nil {
		return err
	}
	return a.writeIncident(w, r, u, id, http.StatusOK)
}

// incidentID reads the {id} of a path: a number or a reference.
func (a *API) incidentID(r *http.Request, u *auth.User) (int64, error) {
	v := r.PathValue("id")
	if incident.IsReference(v) {
		in, err := a.d.Store.GetIncidentByRef(r.Context(), auth.ScopeFor(u), a.rules(), v)
		if err != nil {
			return 0, err
		}
		return in.ID, nil
	}
	return pathID(r, "id")
}

func (a *API) writeIncident(w http.ResponseWriter, r *http.Request, u *auth.User, id int64, status int) error {
	sc, ctx := auth.ScopeFor(u), r.Context()
	in, err := a.d.Store.GetIncident(ctx, sc, a.rules(), id)
	if err != nil {
		return err
	}
	d := incidentDetail{Incident: *in, Overdue: in.Overdue(time.Now()), Next: nonNil(in.Status.Next())}
	if d.Journal, err = a.d.Store.IncidentJournal(ctx, sc, id); err != nil {
		return err
	}
	if d.Tasks, err = a.d.Store.IncidentTasks(ctx, sc, id); err != nil {
		return err
	}
	if d.Observables, err = a.d.Store.IncidentObservables(ctx, sc, id); err != nil {
		return err
	}
	if sc.MaxTLP == "" {
		if d.Evidence, err = a.d.Store.IncidentEvidence(ctx, sc, id); err != nil {
			return err
		}
	}
	if d.Takedowns, err = a.d.Store.IncidentTakedowns(ctx, sc, id); err != nil {
		return err
	}
	d.Takedowns = nonNil(d.Takedowns)
	if d.Links, err = a.d.Store.IncidentLinks(ctx, sc, a.rules(), id); err != nil {
		return err
	}
	d.Links = nonNil(d.Links)
	d.Journal, d.Tasks, d.Observables = nonNil(d.Journal), nonNil(d.Tasks), nonNil(d.Observables)
	if err := a.personalDetail(r, u, &d); err != nil {
		return err
	}
	a.writeJSON(w, r, status, d)
	return nil
}

// updateIncident edits the fields a person writes.
func (a *API) updateIncident(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	id, err := a.incidentID(r, u)
	if err != nil {
		return err
	}
	in, err := decodeJSON[incidentIn](w, r)
	if err != nil {
		return err
	}
	if in.Criteria != nil || in.Observables != nil || in.Assignee != "" || in.Category != "" {
		return errs.E(errs.Invalid, "criteria, observables, assignee and category have their own endpoints (assess, observables, assign) or are set once")
	}
	p := storage.IncidentPatch{Title: in.Title, Description: in.Description, Taxonomy: in.Taxonomy, Type: in.Type, Identifier: in.Identifier,
		TLP: in.TLP, PAP: in.PAP, OwnerTeam: in.OwnerTeam, Tags: in.Tags, OrgIDs: in.OrgIDs}
	if _, err := a.d.Store.UpdateIncident(r.Context(), actor(r, u), a.rules(), id, p); err != nil {
		return err
	}
	return a.writeIncident(w, r, u, id, http.StatusOK)
}

type incidentTransitionIn struct {
	Status      string `json:"status"`
	Reason      string `json:"reason"`
	DuplicateOf int64  `json:"duplicate_of"`
}

// transitionIncident moves an incident; 409 when the state machine refuses.
func (a *API) transitionIncident(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	id, err := a.incidentID(r, u)
	if err != nil {
		return err
	}
	in, err := decodeJSON[incidentTransitionIn](w, r)
	if err != nil {
		return err
	}
	to, err := incident.ParseStatus(strings.TrimSpace(in.Status))
	if err != nil {
		return errs.InField("status", err)
	}
	if _, err := a.d.Store.MoveIncident(r.Context(), actor(r, u), a.rules(), id, incident.Action{To: to, Reason: in.Reason, DuplicateOf: in.DuplicateOf}); err != nil {
		return err
	}
	return a.writeIncident(w, r, u, id, http.StatusOK)
}

// assessIncident records new severity criteria.
func (a *API) assessIncident(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	id, err := a.incidentID(r, u)
	if err != nil {
		return err
	}
	c, err := decodeJSON[incident.Criteria](w, r)
	if err != nil {
		return err
	}
	if _, err := a.d.Store.AssessIncident(r.Context(), actor(r, u), a.rules(), id, c); err != nil {
		return err
	}
	return a.writeIncident(w, r, u, id, http.StatusOK)
}

// overrideIncidentSeverity sets the severity over the criteria's, with a reason.
func (a *API) overrideIncidentSeverity(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	id, err := a.incidentID(r, u)
	if err != nil {
		return err
	}
	in, err := decodeJSON[severityIn](w, r)
	if err != nil {
		return err
	}
	sev, err := incident.ParseSeverity(in.Severity)
	if err != nil {
		return errs.InField("severity", err)
	}
	if _, err := a.d.Store.OverrideIncidentSeverity(r.Context(), actor(r, u), a.rules(), id, sev, in.Reason); err != nil {
		return err
	}
	return a.writeIncident(w, r, u, id, http.StatusOK)
}

type incidentAssignIn struct {
	Assignee string `json:"assignee"`
	Team     string `json:"team"`
}

func (a *API) assignIncident(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	id, err := a.incidentID(r, u)
	if err != nil {
		return err
	}
	in, err := decodeJSON[incidentAssignIn](w, r)
	if err != nil {
		return err
	}
	if _, err := a.d.Store.AssignIncident(r.Context(), actor(r, u), a.rules(), id, in.Assignee, in.Team); err != nil {
		return err
	}
	return a.writeIncident(w, r, u, id, http.StatusOK)
}

type noteIn struct {
	Text string `json:"text"`
}

// addIncidentNote writes a note in the journal; 201 with the entry.
func (a *API) addIncidentNote(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	id, err := a.incidentID(r, u)
	if err != nil {
		return err
	}
	in, err := decodeJSON[noteIn](w, r)
	if err != nil {
		return err
	}
	e, err := a.d.Store.AddIncidentNote(r.Context(), actor(r, u), id, in.Text)
	if err != nil {
		return err
	}
	a.writeJSON(w, r, http.StatusCreated, e)
	return nil
}

type taskIn struct {
	Title    string `json:"title"`
	Assignee string `json:"assignee"`
	DueAt    string `json:"due_at"`
	Playbook string `json:"playbook"` // instead of a title: every step of this playbook
}

// addIncidentTask adds a task, or a playbook's tasks; 201 with those added.
func (a *API) addIncidentTask(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	id, err := a.incidentID(r, u)
	if err != nil {
		return err
	}
	in, err := decodeJSON[taskIn](w, r)
	if err != nil {
		return err
	}
	t := incident.Task{Title: in.Title, Assignee: in.Assignee, Playbook: strings.TrimSpace(in.Playbook)}
	if s := strings.TrimSpace(in.DueAt); s != "" {
		if t.DueAt, err = parseTimeOrDate(s); err != nil {
			return errs.Field("due_at", "want an RFC 3339 time or a date such as 2027-03-31, got %q", s)
		}
	}
	added, err := a.d.Store.AddIncidentTask(r.Context(), actor(r, u), a.rules(), id, t)
	if err != nil {
		return err
	}
	a.writeJSON(w, r, http.StatusCreated, list[incident.Task]{Items: added})
	return nil
}

type taskChangeIn struct {
	Status   *string `json:"status"`
	Assignee *string `json:"assignee"`
	DueAt    *string `json:"due_at"`
}

// updateIncidentTask changes a task's status, assignee or due date.
func (a *API) updateIncidentTask(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	in, err := decodeJSON[taskChangeIn](w, r)
	if err != nil {
		return err
	}
	var c storage.TaskChange
	if in.Status != nil {
		st, err := incident.ParseTaskStatus(*in.Status)
		if err != nil {
			return err
		}
		c.Status = &st
	}
	c.Assignee = in.Assignee
	if in.DueAt != nil {
		t, err := parseTimeOrDate(strings.TrimSpace(*in.DueAt))
		if err != nil {
			return errs.Field("due_at", "want an RFC 3339 time or a date such as 2027-03-31, got %q", *in.DueAt)
		}
		c.DueAt = &t
	}
	t, err := a.d.Store.UpdateIncidentTask(r.Context(), actor(r, u), id, c)
	if err != nil {
		return err
	}
	a.writeJSON(w, r, http.StatusOK, t)
	return nil
}

type observableIn struct {
	Kind  string `json:"kind"`
	Value string `json:"value"`
	TLP   string `json:"tlp"`
	Note  string `json:"note"`
}

// addIncidentObservable adds an observable; 201 with it, normalised, and
// the number of other incidents naming it.
func (a *API) addIncidentObservable(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	id, err := a.incidentID(r, u)
	if err != nil {
		return err
	}
	in, err := decodeJSON[observableIn](w, r)
	if err != nil {
		return err
	}
	o, err := a.d.Store.AddIncidentObservable(r.Context(), actor(r, u), a.rules(), id,
		incident.Observable{Kind: incident.Kind(in.Kind), Value: in.Value, TLP: tlpOf(&in.TLP), Note: in.Note})
	if err != nil {
		return err
	}
	a.writeJSON(w, r, http.StatusCreated, o)
	return nil
}

func (a *API) deleteIncidentObservable(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	id, err := a.incidentID(r, u)
	if err != nil {
		return err
	}
	obs, err := pathID(r, "obs")
	if err != nil {
		return err
	}
	if err := a.d.Store.DeleteIncidentObservable(r.Context(), actor(r, u), id, obs); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
