package ui

import (
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/tlp"
)

func TestLocalPath(t *testing.T) {
	for s, want := range map[string]bool{
		"/": true, "/orgs": true, "/orgs?q=a&b=c": true, "/orgs/mdt#resources": true,
		"": false, "orgs": false, "//evil.example": false, `/\evil.example`: false, `\\evil.example`: false,
		"https://evil.example": false, "javascript:alert(1)": false, "/a\r\nb": false, "/\tx": false,
	} {
		if got := localPath(s); got != want {
			t.Errorf("localPath(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestAcceptLanguage(t *testing.T) {
	for h, want := range map[string]string{
		"":                           "az",
		"ru-RU,ru;q=0.9,en-US;q=0.8": "ru",
		"de-DE,en;q=0.7":             "en",
		"fr":                         "az",
		"az-Latn-AZ":                 "az",
	} {
		if got := acceptLanguage(h); got != want {
			t.Errorf("acceptLanguage(%q) = %q, want %q", h, got, want)
		}
	}
}

func TestTimeTag(t *testing.T) {
	h := &handler{Deps: Deps{Location: defaultLocation()}}
	at := time.Date(2026, 3, 1, 20, 30, 15, 0, time.UTC)
	want := `<time datetime="2026-03-01T20:30:15Z" title="2026-03-01 20:30:15 UTC">2026-03-02 00:30</time>`
	if got := string(h.timeTag(at)); got != want {
		t.Errorf("timeTag = %s, want %s", got, want)
	}
	if got := h.timeTag(time.Time{}); got != "—" {
		t.Errorf("timeTag(zero) = %s", got)
	}
	if _, off := at.In(defaultLocation()).Zone(); off != 4*3600 {
		t.Errorf("Asia/Baku offset %d, want +4h", off)
	}
}

func TestTemplateValueHelpers(t *testing.T) {
	if got := toString(tlp.AmberStrict); got != "amber+strict" {
		t.Errorf("toString(label) = %q: want the value, not String()", got)
	}
	if got := tlpClass(tlp.AmberStrict); got != "tlp-amber-strict" {
		t.Errorf("tlpClass = %q", got)
	}
	if got := translateValue("ru", "sector.", constituency.Sector("finance")); got != "Финансы" {
		t.Errorf("translateValue = %q", got)
	}
	if got := translateValue("ru", "sector.", "space"); got != "space" {
		t.Errorf("translateValue of an unknown value = %q, want the value", got)
	}
}

func TestScaleBars(t *testing.T) {
	bars := []bar{{Count: 200}, {Count: 1}, {Count: 0}, {Count: 100}}
	scaleBars(bars)
	if bars[0].Width != 100 || bars[1].Width != 1 || bars[2].Width != 0 || bars[3].Width != 50 {
		t.Errorf("widths %+v", bars)
	}
}

func TestDomainErrorsInTheUsersLanguage(t *testing.T) {
	err := errs.Prefix(errs.Field("resources.value", "%q is not an IP address", "300.1.1.1"), "line 3")
	for lang, want := range map[string]string{
		"az": `"300.1.1.1" IP ünvanı deyil`,
		"ru": `"300.1.1.1" не является IP-адресом`,
		"en": `"300.1.1.1" is not an IP address`,
	} {
		if got := localError(lang, err); got != want {
			t.Errorf("%s: got %q, want %q", lang, got, want)
		}
	}
	// A message without a translation stays English, without its field prefix.
	if got := localError("az", errs.Field("name", "no such message %d", 7)); got != "no such message 7" {
		t.Errorf("untranslated: got %q", got)
	}
}
