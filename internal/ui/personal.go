package ui

import (
	"net/http"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/incident"
)

// personalIncident applies the personal-data rule (incident.Redact) to
// an incident's page: a user without incidents.personal sees the
// personal fields of a personal-data offence redacted; one with it sees
// them, and the read is audited (incident.personal_read).
func (h *handler) personalIncident(r *http.Request, u *auth.User, v *incidentView) error {
	if !u.Role.Can(auth.ReadPersonal) {
		v.Incident.RedactObservables(v.Observables)
		v.Incident.RedactJournal(v.Journal)
		v.Incident.Redact()
		return nil
	}
	if !v.Incident.PersonalData() {
		return nil
	}
	return h.Store.AuditPersonalRead(r.Context(), actor(r, u), "incident", []int64{v.Incident.ID})
}

// personalReports applies the rule to the reports of the triage queue:
// reporters' names and addresses (and a data leak's description) are
// redacted for users without incidents.personal (the auditor), shown and
// audited for the others.
func (h *handler) personalReports(r *http.Request, u *auth.User, rs []incident.Report) error {
	var shown []int64
	for i := range rs {
		if !u.Role.Can(auth.ReadPersonal) {
			rs[i].Redact()
		} else if rs[i].PersonalData() {
			shown = append(shown, rs[i].ID)
		}
	}
	return h.Store.AuditPersonalRead(r.Context(), actor(r, u), "incident_report", shown)
}
