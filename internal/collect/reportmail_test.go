package collect_test

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/png"
	"slices"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/collect"
	"github.com/qalxan/qalxan/internal/incident"
)

// phishingMail is what a bank's customer got: HTML whose link text shows
// the bank and whose href goes elsewhere.
const phishingMail = "From: \"Kapital Bank\" <security@kapitalbank-az.example>\r\n" +
	"To: customer@example.az\r\nSubject: Hesabiniz bloklanib\r\nMessage-ID: <lure-1@kapitalbank-az.example>\r\n" +
	"MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"ALT\"\r\n\r\n" +
	"--ALT\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHesabinizi berpa edin: hxxps://kapitalbank-az[.]example/login?id=7\r\n" +
	"--ALT\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Daxil olun: <a href=\"https://kb-verify.example/s/9\">https://www.kapitalbank.az</a></p>" +
	"<script>var x = 'https://not-a-link.example/'</script>\r\n--ALT--\r\n"

// reportMail is a citizen's mail to the incident mailbox with the
// phishing mail attached as .eml and a screenshot.
func reportMail(t testing.TB, id string, withEML bool) []byte {
	t.Helper()
	var b strings.Builder
	b.WriteString("From: Leyla <leyla@example.az>\r\nTo: incident@cert.az\r\nSubject: Fwd: saxta bank mektubu\r\n")
	if id != "" {
		b.WriteString("Message-ID: <" + id + ">\r\n")
	}
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"MIX\"\r\n\r\n")
	b.WriteString("--MIX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBu mektubu aldim, bankdan deyil. Bax: https://other-lure.example/x.\r\n")
	if withEML {
		b.WriteString("--MIX\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment; filename=\"lure.eml\"\r\n\r\n")
		b.WriteString(phishingMail)
	}
	img := image.NewGray(image.Rect(0, 0, 2, 2))
	var pic bytes.Buffer
	png.Encode(&pic, img)
	b.WriteString("--MIX\r\nContent-Type: image/png\r\nContent-Disposition: attachment; filename=\"screen.png\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	b.WriteString(base64.StdEncoding.EncodeToString(pic.Bytes()) + "\r\n")
	b.WriteString("--MIX\r\nContent-Type: text/html\r\nContent-Disposition: attachment; filename=\"page.png\"\r\n\r\n<html>not a picture</html>\r\n")
	b.WriteString("--MIX--\r\n")
	return []byte(b.String())
}

func TestParseReportMail(t *testing.T) {
	m, err := collect.ParseReportMail(bytes.NewReader(reportMail(t, "r1@example.az", true)), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if m.MessageID != "r1@example.az" || m.From != "leyla@example.az" || m.Subject != "Fwd: saxta bank mektubu" {
		t.Errorf("header: got %q %q %q", m.MessageID, m.From, m.Subject)
	}
	wantURLs := []string{"https://other-lure.example/x", "https://kapitalbank-az.example/login?id=7", "https://kb-verify.example/s/9", "https://www.kapitalbank.az/"}
	if !slices.Equal(m.URLs, wantURLs) {
		t.Errorf("URLs: got %q, want %q", m.URLs, wantURLs)
	}
	if len(m.Forwarded) != 1 || m.Forwarded[0].From != "security@kapitalbank-az.example" || m.Forwarded[0].Subject != "Hesabiniz bloklanib" {
		t.Errorf("forwarded: %+v", m.Forwarded)
	}
	if len(m.Screenshots) != 1 || m.Screenshots[0].MediaType != "image/png" {
		t.Errorf("screenshots (the HTML named .png must be left out): %+v", m.Screenshots)
	}
	r := m.Report()
	if err := r.Normalize("AZ"); err != nil {
		t.Fatal(err)
	}
	if r.Channel != incident.ChannelEmail || r.ReporterEmail != "leyla@example.az" || r.URL != wantURLs[0] ||
		!strings.Contains(r.Description, "Bu mektubu aldim") || !strings.Contains(r.Description, "security@kapitalbank-az.example") {
		t.Errorf("report: %+v", r)
	}
	obs := m.Observables()
	if len(obs) != 5 || obs[4] != (incident.Observable{Kind: incident.KindEmail, Value: "security@kapitalbank-az.example"}) {
		t.Errorf("observables: %+v", obs)
	}

	// A mail without a Message-ID gets one from its content: the same
	// mail, the same id.
	a, _ := collect.ParseReportMail(bytes.NewReader(reportMail(t, "", false)), 1<<20)
	b, _ := collect.ParseReportMail(bytes.NewReader(reportMail(t, "", false)), 1<<20)
	if a == nil || b == nil || a.MessageID == "" || a.MessageID != b.MessageID {
		t.Errorf("made-up Message-IDs: %v %v", a, b)
	}
	// Bad input: a clear error, no crash.
	for _, bad := range []string{"", "\x00\x01\x02", "Content-Type: multipart/mixed; boundary=X\r\n\r\n--X\r\nbroken"} {
		if _, err := collect.ParseReportMail(strings.NewReader(bad), 1<<20); err != nil && !strings.Contains(err.Error(), "mail") {
			t.Errorf("%q: unclear error %v", bad, err)
		}
	}
	if _, err := collect.ParseReportMail(bytes.NewReader(reportMail(t, "big", true)), 100); err == nil {
		t.Error("a mail over the limit was taken")
	}
}
