package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/storage"
)

// addReport files a citizen's report as the public form does.
func (f *fixture) addReport(t testing.TB, r incident.Report) incident.Report {
	t.Helper()
	if err := r.Normalize("AZ"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.SubmitIntake(context.Background(), auth.Actor{Name: "public"}, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestTriageQueue(t *testing.T) {
	f := newFixture(t)
	known := f.addIncident(t, "Calls to MDT staff", "", "mdt") // names +994501234567
	r1 := f.addReport(t, incident.Report{Category: "vishing", Description: "Someone from 'the bank' asked for my SMS code", Phone: "050 123 45 67",
		ReporterName: "Aysel Quliyeva", ReporterEmail: "aysel@example.az"})
	r2 := f.addReport(t, incident.Report{Category: "phishing", Description: "A fake bank page", URL: "hxxps://kapital-bonus[.]example/login"})
	r3 := f.addReport(t, incident.Report{Category: "other", Description: "My printer is broken"})
	r4 := f.addReport(t, incident.Report{Category: "phishing", Description: "The same fake page", URL: "https://kapital-bonus.example/login"})
	r5 := f.addReport(t, incident.Report{Category: "vishing", Description: "Another call", Phone: "+994501234567"})

	// Staff see the waiting reports, newest first, with the reporter and
	// the observables found, correlated with the incidents naming them.
	a := f.as(t, "analyst") // who reads Azerbaijani
	page := a.get("/incidents/triage").want(t, http.StatusOK)
	page.contains(t, "Aysel Quliyeva", "aysel@example.az", "&#43;994501234567", "https://kapital-bonus.example/login", "kapital-bonus.example",
		"digər 1 insidentdə var", `action="/incidents/triage/`+itoa(r1.ID)+`/open"`, `action="/incidents/triage/`+itoa(r3.ID)+`/reject"`)
	if strings.Index(page.body, "report-"+itoa(r5.ID)) > strings.Index(page.body, "report-"+itoa(r1.ID)) {
		t.Error("the queue is not newest first")
	}
	f.as(t, "analyst").get("/incidents").want(t, http.StatusOK).contains(t, `href="/incidents/triage"`, `<span class="count" id="triage-waiting">5</span>`)
	f.as(t, "analyst").get("/").want(t, http.StatusOK).contains(t, `id="reports-waiting"`, `<strong class="alert-num">5</strong>`)
	f.as(t, "mdt-officer").get("/").want(t, http.StatusOK).lacks(t, `id="reports-waiting"`)

	// Every read of the queue is in the audit log, as the API's are.
	if es, _ := f.store.ListAudit(context.Background(), storage.AuditFilter{Actor: "analyst", Action: "report.read"}); len(es) == 0 {
		t.Error("reading the triage queue was not audited")
	}

	// Open a new incident from the phishing report: its URL becomes an
	// observable, and the page goes to the new incident.
	a.post("/incidents/triage/"+itoa(r2.ID)+"/open", url.Values{"title": {"Kapital Bank bonus phishing"}, "orgs": {"nosuch"}}).
		want(t, http.StatusBadRequest).contains(t, `value="nosuch"`, `value="Kapital Bank bonus phishing"`)
	resp := a.post("/incidents/triage/"+itoa(r2.ID)+"/open", url.Values{"title": {"Kapital Bank bonus phishing"}, "tlp": {"green"}, "orgs": {"mdt"}})
	resp.want(t, http.StatusSeeOther)
	loc := resp.Header.Get("Location")
	// Opened for mdt, the case is the mdt officer's to see too.
	f.as(t, "mdt-officer").get(loc).want(t, http.StatusOK).contains(t, "Kapital Bank bonus phishing")
	a.get(loc).want(t, http.StatusOK).contains(t, "Kapital Bank bonus phishing", "https://kapital-bonus.example/login", "opened from report "+itoa(r2.ID))

	// A second report of the same page is marked a duplicate of the first,
	// and follows it into its incident.
	a.post("/incidents/triage/"+itoa(r4.ID)+"/duplicate", url.Values{"duplicate_of": {"x"}}).want(t, http.StatusBadRequest).
		contains(t, "Əvvəlki müraciətin nömrəsini yazın.")
	a.post("/incidents/triage/"+itoa(r4.ID)+"/duplicate", url.Values{"duplicate_of": {itoa(r2.ID)}}).want(t, http.StatusSeeOther)
	a.get(loc).want(t, http.StatusOK).contains(t, "report "+itoa(r4.ID))

	// Add the vishing report to the known incident by its reference; a
	// wrong reference is said next to the field, with what was typed.
	a.post("/incidents/triage/"+itoa(r1.ID)+"/link", url.Values{"ref": {"QLX-1999-000042"}}).want(t, http.StatusBadRequest).
		contains(t, "Bu istinad nömrəli insident yoxdur.", `value="QLX-1999-000042"`)
	a.post("/incidents/triage/"+itoa(r1.ID)+"/link", url.Values{"ref": {strings.ToLower(known.Ref)}}).want(t, http.StatusSeeOther)
	a.get("/incidents/"+itoa(known.ID)).want(t, http.StatusOK).contains(t, "report "+itoa(r1.ID)+" (vishing, citizen, web) linked")

	// Rejecting needs a reason.
	a.post("/incidents/triage/"+itoa(r3.ID)+"/reject", url.Values{"reason": {" "}}).want(t, http.StatusBadRequest).contains(t, "Müraciətin niyə rədd edildiyini yazın.")
	a.post("/incidents/triage/"+itoa(r3.ID)+"/reject", url.Values{"reason": {"not a security incident"}}).want(t, http.StatusSeeOther)
	// Deciding twice (a stale page) says someone already did.
	a.post("/incidents/triage/"+itoa(r3.ID)+"/reject", url.Values{"reason": {"again"}}).want(t, http.StatusConflict).contains(t, "artıq qərar verilib")

	page = a.get("/incidents/triage").want(t, http.StatusOK)
	page.contains(t, "report-"+itoa(r5.ID)).lacks(t, "report-"+itoa(r1.ID)+`"`, "report-"+itoa(r3.ID)+`"`)
	a.get("/incidents/triage?status=rejected").want(t, http.StatusOK).contains(t, "not a security incident").lacks(t, "report-"+itoa(r5.ID)+`"`)
	a.get("/incidents/triage?status=bogus").want(t, http.StatusBadRequest)
	a.get("/incidents/triage?category=bogus").want(t, http.StatusBadRequest)

	// Staff's reading of reporters' personal data is audited as such.
	if es, _ := f.store.ListAudit(context.Background(), storage.AuditFilter{Actor: "analyst", Action: "incident.personal_read"}); len(es) == 0 {
		t.Error("showing reporters' personal data was not audited")
	}
	// An auditor reads the queue, without the reporters' personal data,
	// and decides nothing.
	aud := f.as(t, "auditor")
	aud.get("/incidents/triage?status=all").want(t, http.StatusOK).contains(t, "report-"+itoa(r5.ID), incident.Redacted).
		lacks(t, "/incidents/triage/"+itoa(r5.ID)+"/", "Aysel Quliyeva", "aysel@example.az")
	aud.post("/incidents/triage/"+itoa(r5.ID)+"/reject", url.Values{"reason": {"x"}}).want(t, http.StatusForbidden)

	// Agency and partner users never see reports: the reporters' personal
	// data is for CERT staff only.
	for _, name := range []string{"mdt-officer", "partner"} {
		c := f.as(t, name)
		c.get("/incidents/triage").want(t, http.StatusForbidden).lacks(t, "Another call", "+994501234567")
		c.get("/incidents/triage?status=all").want(t, http.StatusForbidden)
		for _, d := range []string{"open", "link", "reject", "duplicate"} {
			c.post("/incidents/triage/"+itoa(r5.ID)+"/"+d, url.Values{"reason": {"x"}, "ref": {known.Ref}, "duplicate_of": {itoa(r1.ID)}}).want(t, http.StatusForbidden)
		}
		c.get("/incidents").want(t, http.StatusOK).lacks(t, `href="/incidents/triage"`)
	}
	if got, _ := f.store.GetIntake(context.Background(), auth.Actor{Name: "t", Role: auth.Analyst, Scope: auth.Everything}, r5.ID); got.Status != incident.ReportNew {
		t.Errorf("report %d after the agency's and partner's attempts: %s, want new", r5.ID, got.Status)
	}
	// The page in each language, switched as a person does.
	for lang, want := range map[string]string{"en": "Triage queue", "ru": "Очередь сортировки", "az": "Triaj növbəsi"} {
		c := f.as(t, "analyst")
		c.post("/language", url.Values{"lang": {lang}, "next": {"/incidents/triage"}}).want(t, http.StatusSeeOther)
		c.get("/incidents/triage?status=all").want(t, http.StatusOK).contains(t, "<h1>"+want+"</h1>")
	}
}
