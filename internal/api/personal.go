package api

import (
	"net/http"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/incident"
)

// Personal-data offences and reporters are a restricted category
// (incident.Redact): a caller without incidents.personal gets their
// personal fields redacted; one with it gets them, and the answer is
// recorded in the audit log (incident.personal_read) with the ids shown.

// personalIncidents applies the rule to incidents about to be answered.
func (a *API) personalIncidents(r *http.Request, u *auth.User, ins []incident.Incident) error {
	var shown []int64
	for i := range ins {
		if !u.Role.Can(auth.ReadPersonal) {
			ins[i].Redact()
		} else if ins[i].PersonalData() {
			shown = append(shown, ins[i].ID)
		}
	}
	return a.d.Store.AuditPersonalRead(r.Context(), actor(r, u), "incident", shown)
}

// personalDetail applies the rule to an incident's page: the incident,
// its observables and its journal.
func (a *API) personalDetail(r *http.Request, u *auth.User, d *incidentDetail) error {
	if !u.Role.Can(auth.ReadPersonal) {
		d.Incident.RedactObservables(d.Observables)
		d.Incident.RedactJournal(d.Journal)
		d.Incident.Redact()
		return nil
	}
	if !d.Incident.PersonalData() {
		return nil
	}
	return a.d.Store.AuditPersonalRead(r.Context(), actor(r, u), "incident", []int64{d.Incident.ID})
}

// personalReports applies the rule to reports about to be answered.
func (a *API) personalReports(r *http.Request, u *auth.User, rs []incident.Report) error {
	var shown []int64
	for i := range rs {
		if !u.Role.Can(auth.ReadPersonal) {
			rs[i].Redact()
		} else if rs[i].PersonalData() {
			shown = append(shown, rs[i].ID)
		}
	}
	return a.d.Store.AuditPersonalRead(r.Context(), actor(r, u), "incident_report", shown)
}
