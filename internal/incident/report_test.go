package incident

import (
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/errs"
)

func TestReportNormalize(t *testing.T) {
	r := Report{Category: "Vishing", Description: "  A caller from 'the bank' asked for the SMS code ", Phone: "050 123 45 67", URL: "kapital-bonus[.]example/login"}
	if err := r.Normalize("AZ"); err != nil {
		t.Fatal(err)
	}
	if r.Category != CatVishing || r.Phone != "+994501234567" || r.URL != "http://kapital-bonus.example/login" || r.Language != "az" || r.ReporterType != ReporterCitizen || r.Channel != ChannelWeb {
		t.Errorf("got %+v", r)
	}
	obs := r.Observables()
	if len(obs) != 3 || obs[1].Kind != KindDomain || obs[1].Value != "kapital-bonus.example" || obs[2].Kind != KindPhone {
		t.Errorf("got observables %+v", obs)
	}
	if got := r.Title(); got != "vishing: kapital-bonus.example" {
		t.Errorf("got title %q", got)
	}
	for field, bad := range map[string]Report{
		"category":       {Category: "spam", Description: "x"},
		"description":    {Category: "phishing"},
		"phone":          {Category: "vishing", Description: "x", Phone: "123"},
		"url":            {Category: "phishing", Description: "x", URL: "javascript:alert(1)"},
		"reporter_email": {Category: "phishing", Description: "x", ReporterEmail: "Name <a@b.example>"},
		"language":       {Category: "phishing", Description: "x", Language: "fr"},
		"reporter_type":  {Category: "phishing", Description: "x", ReporterType: "alien"},
	} {
		if err := bad.Normalize("AZ"); errs.FieldOf(err) != field {
			t.Errorf("%s: got %v, want an error about it", field, err)
		}
	}
}

func TestTrackingCode(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		code, hash := NewTrackingCode()
		if len(code) != len("R-AAAA-BBBB-CCCC") || strings.ContainsAny(code, "01OIL") || seen[code] {
			t.Fatalf("got code %q", code)
		}
		seen[code] = true
		if HashTrackingCode(strings.ToLower(code)) != hash || HashTrackingCode(" "+code+" ") != hash {
			t.Errorf("hash of %q is not forgiving of case and spaces", code)
		}
	}
}

func TestPublicStatus(t *testing.T) {
	for _, tt := range []struct {
		r    ReportStatus
		i    Status
		want string
	}{
		{ReportNew, "", "received"},
		{ReportRejected, "", "not-taken-up"},
		{ReportAccepted, InProgress, "in-progress"},
		{ReportAccepted, Closed, "handled"},
		{ReportAccepted, Rejected, "not-taken-up"},
	} {
		if got := PublicStatus(tt.r, tt.i); got != tt.want {
			t.Errorf("PublicStatus(%s, %s) = %q, want %q", tt.r, tt.i, got, tt.want)
		}
	}
}

func TestPlaybooks(t *testing.T) {
	pbs := DefaultPlaybooks()
	for _, tt := range []struct {
		c    Classification
		want string
	}{
		{ClassOf(CatVishing), "vishing"},
		{ClassOf(CatPhishing), "phishing"},
		{ClassOf(CatSMS), "phishing"},
		{ClassOf(CatFakeShop), "phishing"},
		{ClassOf(CatDDoS), "ddos"},
		{ClassOf(CatDataLeak), "personal-data-breach"},
		{ClassOf(CatMalware), "malware"},
		{Classification{Taxonomy: "availability", Type: "dos"}, "ddos"},
	} {
		p, ok := PlaybookFor(pbs, tt.c)
		if !ok || p.Name != tt.want {
			t.Errorf("%s: got %q, want %q", tt.c, p.Name, tt.want)
		}
	}
	if _, ok := PlaybookFor(pbs, ClassOf(CatOther)); ok {
		t.Error("other/undetermined: got a playbook, want none")
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p, _ := PlaybookFor(pbs, ClassOf(CatVishing))
	ts := p.Tasks(t0)
	if len(ts) != len(p.Steps) || ts[0].Position != 1 || !ts[0].DueAt.Equal(t0.Add(4*time.Hour)) || ts[0].Playbook != "vishing" {
		t.Errorf("got tasks %+v", ts)
	}
	if _, err := ParsePlaybooks([]byte("playbooks:\n  - name: x\n    match: ['[']\n    steps: [{title: a}]\n")); err == nil {
		t.Error("bad pattern: got no error")
	}
	// Every category starts with a valid RSIT classification.
	for _, c := range Categories {
		cl := ClassOf(c)
		if err := cl.Normalize(); err != nil {
			t.Errorf("%s: %v", c, err)
		}
	}
}

func TestCheckEvidence(t *testing.T) {
	png := "image/png"
	for _, tt := range []struct {
		name, sniffed string
		size          int64
		field         string
		want          string
	}{
		{"shot.png", png, 100, "", "shot.png"},
		{`C:\Users\a\Desktop\shot.PNG`, png, 100, "", "shot.PNG"},
		{"../../etc/passwd", "text/plain; charset=utf-8", 10, "", "passwd"},
		{"page.html", "text/html; charset=utf-8", 10, "", "page.html"},
		{"fake.png", "text/html; charset=utf-8", 10, "file", ""},
		{"empty.txt", "text/plain", 0, "file", ""},
		{"huge.bin", "application/octet-stream", MaxEvidenceSize + 1, "file", ""},
		{"", png, 10, "name", ""},
	} {
		ev, err := CheckEvidence(tt.name, tt.size, tt.sniffed)
		if errs.FieldOf(err) != tt.field || (tt.field == "" && ev.Name != tt.want) {
			t.Errorf("CheckEvidence(%q, %d, %q): got %+v, %v", tt.name, tt.size, tt.sniffed, ev, err)
		}
	}
}
