package incident

// Personal-data offences are a restricted category (issue 6): only roles
// with the incidents.personal permission see their personal fields, and
// every such read is audited (by the adapter that shows them). For
// everyone else the fields are replaced with Redacted, so a reader sees
// that something is there without seeing it:
//
//   - of a report: the reporter's name and e-mail address; of a report of
//     a data leak, also its description;
//   - of a personal-data incident (PersonalData): its description (the
//     leak's details), the values and notes of its personal observables
//     (e-mail addresses, phone numbers, IBANs, card BINs, social-network
//     accounts), and the text of its journal's notes, observable and
//     report entries and e-mails (which quote them).
//
// The title, classification, status, severity and dates stay: they are
// what the case is, not who it is about, and statistics count them.

// Redacted replaces a personal field a reader may not see.
const Redacted = "[redacted]"

// Personal reports whether observables of kind k may name a person.
func (k Kind) Personal() bool {
	switch k {
	case KindEmail, KindPhone, KindIBAN, KindCardBIN, KindSocial:
		return true
	}
	return false
}

// PersonalData reports whether the incident is a personal-data offence:
// classified as a data leak or unauthorised access to information, or
// assessed with personal data involved.
func (i *Incident) PersonalData() bool {
	return i.Classification.PersonalData() || i.Criteria.PersonalData
}

// Redact replaces the incident's personal fields, if it is a
// personal-data offence; it reports whether it was one.
func (i *Incident) Redact() bool {
	if !i.PersonalData() {
		return false
	}
	i.Description = redact(i.Description)
	return true
}

// RedactObservables replaces the personal observables of a personal-data
// incident.
func (i *Incident) RedactObservables(obs []Observable) {
	if !i.PersonalData() {
		return
	}
	for k := range obs {
		if obs[k].Kind.Personal() {
			obs[k].Value, obs[k].Note = Redacted, redact(obs[k].Note)
		}
	}
}

// RedactJournal replaces the text of the entries of a personal-data
// incident that may quote personal data.
func (i *Incident) RedactJournal(es []Entry) {
	if !i.PersonalData() {
		return
	}
	for k := range es {
		switch es[k].Kind {
		case EntryNote, EntryObservable, EntryReport, EntryEmail:
			es[k].Text = redact(es[k].Text)
		}
	}
}

// PersonalData reports whether the report holds personal fields.
func (r *Report) PersonalData() bool {
	return r.ReporterName != "" || r.ReporterEmail != "" || r.Category == CatDataLeak
}

// Redact replaces the report's personal fields; it reports whether it
// held any.
func (r *Report) Redact() bool {
	if !r.PersonalData() {
		return false
	}
	r.ReporterName, r.ReporterEmail = redact(r.ReporterName), redact(r.ReporterEmail)
	if r.Category == CatDataLeak {
		r.Description = redact(r.Description)
	}
	return true
}

// redact is Redacted for a value, and "" for none.
func redact(v string) string {
	if v == "" {
		return ""
	}
	return Redacted
}
