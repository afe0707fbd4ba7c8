package notify

import (
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/finding"
	"github.com/qalxan/qalxan/internal/tlp"
)

func TestRemediationTable(t *testing.T) {
	rs := DefaultRemedies()
	def := rs.For("no-such-thing")
	for _, id := range []string{"accessible-rdp", "accessible-smb", "accessible-telnet", "accessible-ftp", "accessible-vnc", "open-elasticsearch",
		"open-mongodb", "open-redis", "open-memcached", "open-dns", "open-ntp-version", "open-snmp", "open-ipmi", "vulnerable-exchange",
		"vulnerable-http", "infected-system/emotet", "compromised-website", "phishing", "ssl-poodle", "ssl-freak", "monitor/tls-version",
		"monitor/headers", "monitor/mailauth", "monitor/dnssec", "monitor/ports"} {
		r := rs.For(id)
		if r.EN == def.EN {
			t.Errorf("%s: got the default remedy, want its own", id)
		}
		for _, l := range constituency.Languages {
			if r.In(l) == "" {
				t.Errorf("%s: no %s text", id, l)
			}
		}
	}
	if rs.For("vulnerable-exchange").EN == rs.For("vulnerable-http").EN {
		t.Errorf("vulnerable-exchange: got the generic vulnerable text, want Exchange's")
	}
	if _, err := ParseRemedies([]byte("- match: [x]\n  en: a\n")); err == nil {
		t.Errorf("a table without languages and default: got no error")
	}
}

func TestRenderPerLanguageAndOverride(t *testing.T) {
	now := time.Date(2026, 11, 5, 9, 0, 0, 0, time.UTC)
	b := Batch{
		Org:      constituency.Org{ID: 1, ShortName: "mdt", Name: "Nazirlik", Language: constituency.Azerbaijani, TLP: tlp.AmberStrict},
		Contacts: []constituency.Contact{{Email: "soc@mdt.gov.az", Role: "security"}, {Email: "boss@mdt.gov.az", Role: "escalation"}},
		Findings: []finding.Finding{
			{ID: 1, Identifier: "accessible-rdp", Resource: "192.0.2.1:3389", Severity: finding.High, Status: finding.Open},
			{ID: 2, Identifier: "vulnerable-exchange", Resource: "mail.mdt.gov.az", Severity: finding.Critical, Status: finding.Notified},
		},
	}
	c, err := NewComposer("https://portal.example/", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[constituency.Language]string{constituency.Azerbaijani: "Nə etməli", constituency.English: "What to do", constituency.Russian: "Что сделать"}
	for lang, phrase := range want {
		b.Org.Language = lang
		n, ok := Prepare(b, Digest)
		if !ok || n.HighestSeverity != finding.Critical || strings.Join(n.To, ",") != "soc@mdt.gov.az" {
			t.Fatalf("prepare: got %+v, %v", n, ok)
		}
		n.Reference = Reference(2026, 42)
		if err := c.Render(n, b, now); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(n.Subject, "[TLP:AMBER+STRICT]") || !strings.Contains(n.Subject, "QLX-N-2026-000042") {
			t.Errorf("%s subject: %q", lang, n.Subject)
		}
		for _, s := range []string{phrase, "TLP:AMBER+STRICT", "https://portal.example/findings?org=mdt", "QLX-N-2026-000042"} {
			if !strings.Contains(n.Text, s) || (s != phrase && !strings.Contains(html.UnescapeString(n.HTML), s)) {
				t.Errorf("%s body lacks %q", lang, s)
			}
		}
		if strings.Index(n.Text, "vulnerable-exchange") > strings.Index(n.Text, "accessible-rdp") {
			t.Errorf("%s: the critical finding is not first", lang)
		}
	}
	if n, _ := Prepare(b, Escalation); strings.Join(n.To, ",") != "boss@mdt.gov.az" {
		t.Errorf("escalation recipients: got %v", n.To)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "notice.ru.txt"), []byte(`{{define "subject"}}Своя тема {{.Reference}}{{end}}Свой текст`), 0o600)
	c, err = NewComposer("", dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The loop above left whichever language the map gave last: the
	// override is Russian's.
	b.Org.Language = constituency.Russian
	n, _ := Prepare(b, Digest)
	n.Reference = "R"
	if err := c.Render(n, b, now); err != nil || n.Subject != "Своя тема R" || n.Text != "Свой текст" {
		t.Errorf("override: got %q %q, %v", n.Subject, n.Text, err)
	}
}

func TestScheduleAndBackoff(t *testing.T) {
	baku, _ := time.LoadLocation("Asia/Baku")
	s, err := ParseSchedule("08:00", baku)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 5, 3, 59, 0, 0, time.UTC) // 07:59 in Baku
	if got := s.Next(now); !got.Equal(time.Date(2026, 11, 5, 4, 0, 0, 0, time.UTC)) {
		t.Errorf("next: got %v", got)
	}
	if got := s.Next(now.Add(time.Minute)); !got.Equal(time.Date(2026, 11, 6, 4, 0, 0, 0, time.UTC)) {
		t.Errorf("next after: got %v", got)
	}
	w := &Worker{Backoff: time.Minute, MaxBackoff: time.Hour}
	for attempts, want := range map[int]time.Duration{1: time.Minute, 3: 4 * time.Minute, 20: time.Hour} {
		if d := w.Delay(attempts); d < want*8/10 || d > want*12/10 {
			t.Errorf("delay after %d attempts: got %v, want %v ± 20%%", attempts, d, want)
		}
	}
}
