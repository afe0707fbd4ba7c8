// Package incident is the case a CSIRT works: what came in (a Report from
// a citizen, an agency, a bank, a partner CERT, the police), triaged into
// an Incident (new or existing) or rejected with a reason; the incident's
// life as an explicit state machine (status.go); its severity by written
// criteria (criteria.go) rather than by feel, with the score and inputs
// kept and an analyst's override owing a reason; the due date from an SLA
// per severity; tasks from playbooks kept as data (playbooks.yaml); and
// observables normalised so the same phone number or URL reported twice
// is recognised as the same (observable.go).
//
// The package knows nothing of SQL or HTTP: storage keeps incidents, the
// API and the UI take reports and show cases.
package incident
