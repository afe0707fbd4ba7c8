package main

import (
	"context"

	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/storage"
)

// The CLI applies the personal-data rule (incident.Redact) like the API
// and the UI: whoever runs it sees the personal fields of personal-data
// offences only when asking with --personal, and that read is audited
// (incident.personal_read, by the CLI's actor), so a routine listing
// leaks nothing into a terminal's scroll-back or a script's log.

const personalFlagHelp = "show the personal fields of personal-data offences (the read is recorded in the audit log); without it they are redacted"

// personalIncidents redacts or audits a listing.
func personalIncidents(ctx context.Context, s *storage.Store, show bool, ins []incident.Incident) error {
	var shown []int64
	for i := range ins {
		if !show {
			ins[i].Redact()
		} else if ins[i].PersonalData() {
			shown = append(shown, ins[i].ID)
		}
	}
	return s.AuditPersonalRead(ctx, cliActor, "incident", shown)
}

// personalDetail redacts or audits an incident with its observables and
// journal.
func personalDetail(ctx context.Context, s *storage.Store, show bool, in *incident.Incident, obs []incident.Observable, journal []incident.Entry) error {
	if !show {
		in.RedactObservables(obs)
		in.RedactJournal(journal)
		in.Redact()
		return nil
	}
	if !in.PersonalData() {
		return nil
	}
	return s.AuditPersonalRead(ctx, cliActor, "incident", []int64{in.ID})
}
