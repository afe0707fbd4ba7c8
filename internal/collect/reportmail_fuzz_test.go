package collect

import (
	"bytes"
	"testing"

	"github.com/qalxan/qalxan/internal/incident"
)

// FuzzParseReportMail feeds arbitrary bytes to the report-mail reader:
// whatever a stranger mails the incident mailbox, it returns an error or a
// report whose URLs and observables are normalised, never panics.
func FuzzParseReportMail(f *testing.F) {
	f.Add([]byte("From: a@example.az\r\nSubject: x\r\n\r\nsee hxxps://evil[.]example/login\r\n"))
	f.Add([]byte("From: a@example.az\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: message/rfc822\r\n\r\n" +
		"From: phisher@bank.example\r\nContent-Type: text/html\r\n\r\n<a href=\"https://x.example/\">bank</a>\r\n--B--\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseReportMail(bytes.NewReader(data), 1<<20)
		if err != nil {
			return
		}
		if m.MessageID == "" || m.From == "" {
			t.Fatalf("a mail without Message-ID or sender taken: %+v", m)
		}
		for _, u := range m.URLs {
			if v, err := incident.Normalise(incident.KindURL, u, ""); err != nil || v != u {
				t.Fatalf("URL %q not normalised: %q, %v", u, v, err)
			}
		}
		r := m.Report()
		if err := r.Normalize("AZ"); err != nil && r.ReporterEmail == "" {
			t.Fatalf("the report of a taken mail does not validate: %v (%+v)", err, r)
		}
	})
}
