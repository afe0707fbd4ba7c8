package incident

import "testing"

func TestRedact(t *testing.T) {
	leak := Incident{Description: "Names and phones of 4,000 clients of Bank X", Classification: ClassOf(CatDataLeak)}
	if !leak.Redact() || leak.Description != Redacted {
		t.Errorf("a data leak: got %q, want the description redacted", leak.Description)
	}
	vish := Incident{Description: "Calls from +994501234567", Classification: ClassOf(CatVishing)}
	if vish.Redact() || vish.Description == Redacted {
		t.Errorf("vishing: got %q redacted, want it kept (not a personal-data case)", vish.Description)
	}
	vish.Criteria.PersonalData = true // assessed as involving personal data: restricted too
	if !vish.Redact() || vish.Description != Redacted {
		t.Errorf("vishing with personal data: got %q, want it redacted", vish.Description)
	}
	obs := []Observable{{Kind: KindPhone, Value: "+994501234567", Note: "victim"}, {Kind: KindURL, Value: "https://leak.example/"}, {Kind: KindEmail, Value: "a@b.az"}}
	leak.RedactObservables(obs)
	if obs[0].Value != Redacted || obs[0].Note != Redacted || obs[1].Value != "https://leak.example/" || obs[2].Value != Redacted {
		t.Errorf("observables: got %+v", obs)
	}
	es := []Entry{{Kind: EntryStatus, Text: "new → triage"}, {Kind: EntryNote, Text: "the victim is Leyla"}, {Kind: EntryObservable, Text: "added phone +994501234567"}}
	leak.RedactJournal(es)
	if es[0].Text != "new → triage" || es[1].Text != Redacted || es[2].Text != Redacted {
		t.Errorf("journal: got %+v", es)
	}
	r := Report{Category: CatVishing, ReporterName: "Leyla", Description: "a call", Phone: "+994501234567"}
	if !r.Redact() || r.ReporterName != Redacted || r.ReporterEmail != "" || r.Description != "a call" || r.Phone != "+994501234567" {
		t.Errorf("report: got %+v", r)
	}
	r = Report{Category: CatDataLeak, Description: "my passport scan is online"}
	if !r.Redact() || r.Description != Redacted {
		t.Errorf("data-leak report: got %+v", r)
	}
	if r := (Report{Category: CatPhishing, Description: "x"}); r.Redact() {
		t.Errorf("an anonymous phishing report: got redacted, want nothing to redact")
	}
}
