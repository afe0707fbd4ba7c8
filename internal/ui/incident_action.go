package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/tlp"
)

// incidentActions are the forms of an incident's page by the last segment
// of their URL, with the permission each needs (storage checks again).
var incidentActions = map[string]auth.Permission{
	"move":       auth.WriteIncidents,
	"severity":   auth.WriteIncidents,
	"note":       auth.CommentIncidents,
	"observable": auth.WriteIncidents,
	"task":       auth.WriteIncidents,
	"task-done":  auth.WriteIncidents,
}

// incidentAct (POST /incidents/{id}/{action}) moves an incident, overrides
// its severity, adds a note, an observable or a task, or marks a task done.
// A refused move (the page was stale) or bad input shows the page again
// with the message next to the field and what was typed.
func (h *handler) incidentAct(w http.ResponseWriter, r *http.Request, u *auth.User) {
	if !h.require(w, r, u, auth.ReadIncidents) {
		return
	}
	id, ok := pathID(r, "id")
	name := r.PathValue("action")
	perm, known := incidentActions[name]
	if p, ok := incidentEditActions[name]; ok {
		perm, known = p, true
	}
	if !ok || !known {
		h.notFound(w, r, u)
		return
	}
	if _, err := h.Store.GetIncident(r.Context(), auth.ScopeFor(u), h.rules(), id); err != nil {
		h.fail(w, r, u, err)
		return
	}
	if !h.require(w, r, u, perm) || !h.parseForm(w, r) {
		return
	}
	lang := requestLanguage(r, u)
	fm := newForm(r.PostForm)
	act, ctx, rules := actor(r, u), r.Context(), h.rules()
	val := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	var err error
	switch name {
	case "move":
		dup, _ := strconv.ParseInt(val("duplicate_of"), 10, 64)
		_, err = h.Store.MoveIncident(ctx, act, rules, id, incident.Action{To: incident.Status(val("status")), Reason: val("reason"), DuplicateOf: dup})
	case "severity":
		sev, perr := incident.ParseSeverity(val("severity"))
		if perr != nil {
			fm.fieldError(lang, "severity", "incidents.bad_severity")
			break
		}
		_, err = h.Store.OverrideIncidentSeverity(ctx, act, rules, id, sev, val("reason"))
	case "note":
		_, err = h.Store.AddIncidentNote(ctx, act, id, val("text"))
	case "observable":
		_, err = h.Store.AddIncidentObservable(ctx, act, rules, id, incident.Observable{Kind: incident.Kind(val("kind")), Value: val("value"),
			TLP: tlp.Label(val("tlp")), Note: val("note")})
	case "task":
		_, err = h.Store.AddIncidentTask(ctx, act, rules, id, incident.Task{Title: val("title"), Assignee: val("assignee")})
	case "task-done":
		tid, _ := strconv.ParseInt(val("task"), 10, 64)
		done := incident.TaskDone
		_, err = h.Store.UpdateIncidentTask(ctx, act, tid, storage.TaskChange{Status: &done})
	default:
		err = h.incidentEdit(ctx, r, u, lang, name, id, fm)
	}
	switch code := errs.CodeOf(err); {
	case fm.Failed():
		h.renderIncident(w, r, u, id, http.StatusBadRequest, name, fm)
	case err == nil:
		h.setFlash(w, "flash.incident_saved")
		redirect(w, r, incidentURL(id))
	case code == errs.Invalid || code == errs.Conflict:
		fields := map[string]string{"status": "status", "reason": "reason", "duplicate_of": "duplicate_of", "severity": "severity",
			"text": "text", "kind": "kind", "value": "value", "tlp": "tlp", "note": "note", "title": "title", "assignee": "assignee"}
		if code == errs.Conflict && name == "observable" {
			fields = map[string]string{"": "value"}
		}
		if _, ok := incidentEditActions[name]; ok {
			fields = incidentEditFields
			if code == errs.Conflict && name == "takedown-move" {
				fields = map[string]string{"": "status"}
			}
		}
		fm.setError(lang, err, fields)
		status := http.StatusBadRequest
		if code == errs.Conflict {
			status = http.StatusConflict
		}
		h.renderIncident(w, r, u, id, status, name, fm)
	default:
		h.fail(w, r, u, err)
	}
}
