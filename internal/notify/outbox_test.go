package notify

import (
	"strings"
	"testing"
)

// TestRenderMailEveryKindAndLanguage: every kind renders in every
// language with all its data shown and nothing missing.
func TestRenderMailEveryKindAndLanguage(t *testing.T) {
	data := map[MailKind]map[string]string{
		ReportReceived:   {"code": "R-ABCD-EFGH-JKMN", "category": "phishing"},
		ReportStatus:     {"status": "not-taken-up", "received": "2026-12-01"},
		IncidentAssigned: {"id": "42", "ref": "QLX-2026-000042", "title": "Fake bank page", "severity": "high", "due": "2026-12-08 10:00 UTC", "by": "rauf"},
	}
	want := map[MailKind][]string{
		ReportReceived:   {"R-ABCD-EFGH-JKMN", "https://cert.example/report/status?code=R-ABCD-EFGH-JKMN"},
		ReportStatus:     {"2026-12-01", "https://cert.example/report/status"},
		IncidentAssigned: {"QLX-2026-000042", "Fake bank page", "rauf", "https://cert.example/incidents/42", "2026-12-08 10:00 UTC"},
	}
	subjects := map[string]bool{}
	for kind, d := range data {
		for _, lang := range []string{"az", "en", "ru"} {
			m, err := RenderMail(PersonalMail{ID: 1, Kind: kind, To: "x@example.az", Language: lang, Data: d}, "https://cert.example/")
			if err != nil {
				t.Fatalf("%s %s: %v", kind, lang, err)
			}
			if m.Subject == "" || strings.Contains(m.Subject+m.Text, "<no value>") || strings.Contains(m.Subject, "\n") {
				t.Errorf("%s %s: subject %q, text:\n%s", kind, lang, m.Subject, m.Text)
			}
			for _, w := range want[kind] {
				if !strings.Contains(m.Text, w) {
					t.Errorf("%s %s: text lacks %q:\n%s", kind, lang, w, m.Text)
				}
			}
			if subjects[m.Subject] {
				t.Errorf("%s %s: subject %q also used by another kind or language", kind, lang, m.Subject)
			}
			subjects[m.Subject] = true
		}
	}
	// The category is named in the reporter's words, not as a code.
	m, _ := RenderMail(PersonalMail{Kind: ReportReceived, Language: "az", Data: data[ReportReceived]}, "")
	if strings.Contains(m.Text, "(phishing)") || strings.Contains(m.Text, "/report/status") {
		t.Errorf("az receipt without a site:\n%s", m.Text)
	}
	if _, err := RenderMail(PersonalMail{Kind: "no-such-kind", Language: "en"}, ""); err == nil {
		t.Error("an unknown kind rendered")
	}
}
