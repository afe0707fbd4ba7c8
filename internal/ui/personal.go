package ui

import (
	"net/http"

	"github.com/qalxan/qalxan/internal/auth"
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
