package notify

import (
	"strings"
	"testing"
)

// TestRenderTakedownOverdue: the reminder renders in every language with
// its data and a link to the incident's take-downs.
func TestRenderTakedownOverdue(t *testing.T) {
	d := map[string]string{"id": "42", "ref": "QLX-2026-000042", "takedown": "7", "provider": "Example Hosting",
		"subject": "https://fake-bank.example/login", "sent": "2026-12-05 09:00 UTC"}
	subjects := map[string]bool{}
	for _, lang := range []string{"az", "en", "ru"} {
		m, err := RenderMail(PersonalMail{ID: 1, Kind: TakedownOverdue, To: "ana@cert.example", Language: lang, Data: d}, "https://cert.example")
		if err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		if m.Subject == "" || strings.Contains(m.Subject, "\n") || strings.Contains(m.Subject+m.Text, "<no value>") || subjects[m.Subject] {
			t.Errorf("%s: subject %q, text:\n%s", lang, m.Subject, m.Text)
		}
		subjects[m.Subject] = true
		for _, w := range []string{"QLX-2026-000042", "Example Hosting", "https://fake-bank.example/login", "2026-12-05 09:00 UTC",
			"https://cert.example/incidents/42#takedowns"} {
			if !strings.Contains(m.Text, w) {
				t.Errorf("%s: text lacks %q:\n%s", lang, w, m.Text)
			}
		}
	}
}
