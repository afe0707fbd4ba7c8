package monitor

import (
	"fmt"
	"math"
	"net/url"
	"strings"
	"testing"
	"time"
)

// words is n distinct words starting at from, as a page's text.
func words(from, n int) string {
	var b strings.Builder
	for i := from; i < from+n; i++ {
		fmt.Fprintf(&b, "w%d ", i)
	}
	return b.String()
}

func TestFingerprintSimilarity(t *testing.T) {
	base := FingerprintOf([]byte("<html><body><p>" + words(0, 400) + "</p></body></html>"))
	cases := []struct {
		name   string
		body   string
		lo, hi float64 // the estimate's bounds
	}{
		{"same text, other markup", "<div>" + strings.ToUpper(words(0, 200)) + "</div>\n\n<script>x()</script><p>" + words(200, 200) + "</p>", 1, 1},
		{"a tenth replaced", words(0, 360) + words(10000, 40), 0.65, 0.95},
		{"half replaced", words(0, 200) + words(10000, 200), 0.2, 0.5},
		{"all replaced", words(10000, 400), 0, 0.05},
		{"empty page", "<html></html>", 0, 0},
	}
	for _, tc := range cases {
		got := base.Similarity(FingerprintOf([]byte(tc.body)))
		if got < tc.lo || got > tc.hi {
			t.Errorf("%s: got similarity %.2f, want %.2f to %.2f", tc.name, got, tc.lo, tc.hi)
		}
	}
	empty := FingerprintOf(nil)
	if s := empty.Similarity(FingerprintOf([]byte("<p> </p>"))); s != 1 {
		t.Errorf("two pages without text: got %.2f, want 1", s)
	}
}

func TestFingerprintStoredForm(t *testing.T) {
	for _, body := range []string{"<p>" + words(0, 50) + "</p>", "", "one"} {
		f := FingerprintOf([]byte(body))
		g, err := ParseFingerprint(f.String())
		if err != nil {
			t.Fatalf("%q: %v", body, err)
		}
		if g.String() != f.String() || g.Similarity(f) != 1 || len(g.Sig) != len(f.Sig) {
			t.Errorf("%q: got %s back, want %s", body, g, f)
		}
	}
	good := FingerprintOf([]byte("x y z")).String()
	for _, bad := range []string{"", "abc", "abc:1:00", strings.Repeat("0", 64) + ":x:", strings.Repeat("0", 64) + ":1:0011",
		strings.Repeat("g", 64) + ":1:", good[:len(good)-2]} {
		if _, err := ParseFingerprint(bad); err == nil {
			t.Errorf("%q: got no error, want one", bad)
		}
	}
}

// TestContentEvidence checks what a failing content check tells the
// reader: the similarity, the baseline's date and the text now shown.
func TestContentEvidence(t *testing.T) {
	c := &Checker{ChangeThreshold: 0.2}
	taken := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	b := &Baseline{Print: FingerprintOf([]byte(words(0, 100))), Taken: taken}
	p := &page{url: mustURL(t, "https://portal.test/"), body: []byte("<h1>Сайт взломан</h1>" + words(0, 70) + words(500, 30))}
	r := c.contentResult(p, FingerprintOf(p.body), b)
	if r.Status != Fail {
		t.Fatalf("30%% replaced with threshold 0.2: got %s (%s), want fail", r.Status, r.Evidence)
	}
	for _, want := range []string{"2026-11-30T08:00:00Z", "% similar", "100 words then", "сайт взломан"} {
		if !strings.Contains(r.Evidence, want) {
			t.Errorf("evidence %q: want %q in it", r.Evidence, want)
		}
	}
	if c.ChangeThreshold = 0.5; c.contentResult(p, FingerprintOf(p.body), b).Status != Pass {
		t.Errorf("30%% replaced with threshold 0.5: got fail, want pass")
	}
	if math.Abs(DefaultChangeThreshold-0.5) > 1e-9 || (&Checker{}).changeThreshold() != DefaultChangeThreshold {
		t.Errorf("default threshold: got %v", (&Checker{}).changeThreshold())
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestChangeThresholdValidated(t *testing.T) {
	for _, v := range []float64{-0.1, 1, 1.5, math.NaN()} {
		s := DefaultSettings()
		s.ContentChangeThreshold = v
		if err := s.Validate(); err == nil || !strings.Contains(err.Error(), "content_change_threshold") {
			t.Errorf("%v: got %v, want an error naming content_change_threshold", v, err)
		}
	}
	for _, v := range []float64{0, 0.05, 0.5, 0.99} {
		s := DefaultSettings()
		s.ContentChangeThreshold = v
		if err := s.Validate(); err != nil {
			t.Errorf("%v: got %v, want no error", v, err)
		}
	}
}

// BenchmarkFingerprintOf is a large front page: 5,000 words of text in
// 60 KB of markup.
//
//	go test -run - -bench FingerprintOf -benchtime 50x ./internal/monitor
func BenchmarkFingerprintOf(b *testing.B) {
	var page strings.Builder
	for i := range 1000 {
		fmt.Fprintf(&page, `<div class="news"><a href="/n/%d">%s</a></div>`, i, words(i*5, 5))
	}
	body := []byte(page.String())
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		FingerprintOf(body)
	}
}

// TestFingerprintStable pins a fingerprint: stored baselines must compare
// with pages fingerprinted by later versions, so the shingle hash and
// the seeds never change.
func TestFingerprintStable(t *testing.T) {
	f := FingerprintOf([]byte("<p>Ministry of Digital Development and Transport</p>"))
	if f.Words != 6 || f.Sig[0] != pinnedSig0 || f.Sig[127] != pinnedSig127 {
		t.Errorf("got %d words, sig[0] %d, sig[127] %d; want 6, %d, %d", f.Words, f.Sig[0], f.Sig[127], pinnedSig0, pinnedSig127)
	}
}

// The pinned values, computed with hash/fnv when the fingerprint was made.
const (
	pinnedSig0   = 662505784
	pinnedSig127 = 639614021
)
