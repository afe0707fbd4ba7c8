package notify_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/finding"
	"github.com/qalxan/qalxan/internal/notify"
	"github.com/qalxan/qalxan/internal/tlp"
)

// With SignLink set, the portal link in both bodies is a signed one for
// the notice's recipients and organisation.
func TestSignedPortalLink(t *testing.T) {
	key := []byte(strings.Repeat("s", 32))
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	c, err := notify.NewComposer("https://cert.example.az/", "", time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	c.SignLink = func(orgID int64, contact string) string {
		return auth.SignLink(key, orgID, contact, now.Add(30*24*time.Hour))
	}
	b := notify.Batch{
		Org:      constituency.Org{ID: 7, ShortName: "mdt", Name: "MDT", Language: constituency.English, TLP: tlp.Amber},
		Contacts: []constituency.Contact{{Email: "soc@mdt.gov.az", Role: "security"}},
		Findings: []finding.Finding{{ID: 1, OrgID: 7, Resource: "192.0.2.10:3389", Identifier: "accessible-rdp", Severity: finding.High, Status: finding.Open}},
	}
	n, ok := notify.Prepare(b, notify.Digest)
	if !ok {
		t.Fatal("nothing to send")
	}
	n.Reference = "QLX-N-2026-000001"
	if err := c.Render(n, b, now); err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`https://cert\.example\.az/n/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)`)
	for name, body := range map[string]string{"text": n.Text, "html": n.HTML} {
		m := re.FindStringSubmatch(body)
		if m == nil {
			t.Errorf("%s body has no signed portal link:\n%s", name, body)
			continue
		}
		org, contact, err := auth.VerifyLink(key, m[1], now)
		if err != nil || org != 7 || contact != "soc@mdt.gov.az" {
			t.Errorf("%s body's link: got %d, %q, %v; want 7, soc@mdt.gov.az", name, org, contact, err)
		}
		if strings.Contains(body, "/findings?org=") {
			t.Errorf("%s body still has the unsigned link", name)
		}
	}
}
