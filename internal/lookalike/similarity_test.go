package lookalike

import (
	"os"
	"strings"
	"testing"
)

func readPage(t *testing.T, name string) PageFeatures {
	t.Helper()
	f, err := os.Open("testdata/pages/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return ParsePage(f)
}

// TestPageSimilarity: a phishing kit's copy of a bank's login page (links
// made absolute or dead, another form action, scripts added, the warning
// about SMS codes dropped) is an imitation; a florist's page is not, and
// neither is an empty page.
func TestPageSimilarity(t *testing.T) {
	bank, phish, innocent := readPage(t, "bank.html"), readPage(t, "phish.html"), readPage(t, "innocent.html")
	if bank.Title != "Example Bank — İnternet Bankçılıq" {
		t.Errorf("title: got %q", bank.Title)
	}
	for _, w := range bank.words {
		if strings.Contains(w, "nonce") || strings.Contains(w, "build") {
			t.Errorf("script text %q counted as words", w)
		}
	}
	all, text, structure := Similarity(bank, phish)
	if all < ImitationSimilarity || text < 70 || structure < 50 {
		t.Errorf("bank vs copy: got %d (text %d, structure %d), want an imitation (at least %d)", all, text, structure, ImitationSimilarity)
	}
	if all, text, structure := Similarity(bank, innocent); all >= 20 {
		t.Errorf("bank vs florist: got %d (text %d, structure %d), want under 20", all, text, structure)
	}
	if all, _, _ := Similarity(bank, bank); all != 100 {
		t.Errorf("bank vs itself: got %d, want 100", all)
	}
	empty := ParsePage(strings.NewReader(""))
	if all, _, _ := Similarity(bank, empty); all != 0 {
		t.Errorf("bank vs empty: got %d, want 0", all)
	}
	// Broken HTML and a wall of tags do not crash or hang.
	junk := ParsePage(strings.NewReader(strings.Repeat("<div><input type=", 100000)))
	if len(junk.tags) > maxFeatureTokens {
		t.Errorf("junk: %d tags, want at most %d", len(junk.tags), maxFeatureTokens)
	}
}

func TestConfirmationJudge(t *testing.T) {
	for _, tc := range []struct {
		c    Confirmation
		want Verdict
	}{
		{Confirmation{}, Unresolved},
		{Confirmation{A: []string{"192.0.2.1"}}, NoPage},
		{Confirmation{A: []string{"192.0.2.1"}, Status: 404}, NoPage},
		{Confirmation{A: []string{"192.0.2.1"}, Status: 200, Similarity: 10}, Different},
		{Confirmation{A: []string{"192.0.2.1"}, Status: 200, Similarity: ImitationSimilarity}, Imitation},
	} {
		tc.c.Judge()
		if tc.c.Verdict != tc.want {
			t.Errorf("%+v: got %s, want %s", tc.c, tc.c.Verdict, tc.want)
		}
	}
}
