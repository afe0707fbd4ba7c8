package apwg

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/event"
	"github.com/qalxan/qalxan/internal/feed"
	"github.com/qalxan/qalxan/internal/feed/feedtest"
)

var update = flag.Bool("update", false, "rewrite testdata/*.expected.json from the current output")

var samples = []struct {
	file    string
	wantBad int
}{
	{"testdata/ecx-phish.json", 2},
	{"testdata/ecx3-phish.jsonl", 2},
	{"testdata/ecx2-phish.json", 0},
}

var observed = time.Date(2026, 11, 20, 6, 0, 0, 0, time.UTC)

// TestGolden runs the conformance check against golden output made by
// this parser (no IntelMQ parser reads eCX): review the diff after -update.
func TestGolden(t *testing.T) {
	s, err := feed.Lookup("apwg")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range samples {
		t.Run(c.file, func(t *testing.T) {
			rep := feed.Report{Observed: observed}
			if *update {
				got, _ := feedtest.Parse(t, s.Parser, c.file, rep)
				b, err := json.MarshalIndent(got, "", "  ")
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(c.file+".expected.json", append(b, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			feedtest.Run(t, s.Parser, feedtest.Case{Input: c.file, Expected: c.file + ".expected.json", Report: rep, WantBad: c.wantBad})
		})
	}
}

// TestMapping checks the fields a reader relies on, apart from the golden
// files, so a careless -update cannot hide a regression.
func TestMapping(t *testing.T) {
	s, _ := feed.Lookup("apwg")
	got, st := feedtest.Parse(t, s.Parser, "testdata/ecx-phish.json", feed.Report{})
	if len(got) != 3 || st.Rows != 5 || st.Bad != 2 {
		t.Fatalf("got %d events from %d rows, %d bad (%v); want 3 of 5, 2 bad", len(got), st.Rows, st.Bad, st.BadRows)
	}
	want := map[string]any{
		"classification.type":     "phishing",
		"classification.taxonomy": "fraud",
		"feed.provider":           "APWG",
		"feed.name":               FeedName,
		"source.url":              "https://secure-login.bank-az.example/online/index.php?session=1",
		"source.fqdn":             "secure-login.bank-az.example",
		"source.ip":               "198.51.100.23",
		"source.asn":              64500.0,
		"time.source":             "2025-11-20T07:00:00+00:00",
		"status":                  "online",
		"extra.brand":             "Example Bank",
		"extra.confidence_level":  100.0,
		"extra.ecx_id":            108866279.0,
		"extra.date_modified":     "2025-11-20T08:00:00+00:00",
	}
	for k, v := range want {
		if got[0][k] != v {
			t.Errorf("%s: got %v, want %v", k, got[0][k], v)
		}
	}
	if ip := got[1]["source.ip"]; ip != "203.0.113.77" || got[1]["source.fqdn"] != nil {
		t.Errorf("URL with an address: got source.ip %v, fqdn %v; want the URL's address and no fqdn", ip, got[1]["source.fqdn"])
	}
	if got[2]["source.ip"] != "192.0.2.45" || got[2]["source.asn"] != 64501.0 || got[2]["extra.ip"] == nil {
		t.Errorf("lists: got ip %v asn %v extra.ip %v; want the first of each and the whole list in extra", got[2]["source.ip"], got[2]["source.asn"], got[2]["extra.ip"])
	}
	var lines []int
	for _, b := range st.BadRows {
		lines = append(lines, b.Line)
	}
	if !slices.Equal(lines, []int{4, 5}) || !strings.Contains(st.BadRows[0].Reason, "no url") {
		t.Errorf("bad records: got %v, want records 4 (no url) and 5", st.BadRows)
	}
}

func TestShapes(t *testing.T) {
	rec := `{"url": "http://a.example/", "discovered_at": 1763622000}`
	tests := []struct {
		name, in     string
		events, bad  int
		badNumbers   []int
		wantParseErr bool
	}{
		{"bare array", "[" + rec + ", 7, " + rec + "]", 2, 1, []int{2}, false},
		{"envelope", `{"_meta": {"x": [1, 2]}, "data": [` + rec + `]}`, 1, 0, nil, false},
		{"envelope data first", `{"data": [` + rec + `, {}], "_meta": {}}`, 1, 1, []int{2}, false},
		{"two pages", `{"data": [` + rec + `]}` + "\n" + `{"data": [{"url": 1}, ` + rec + `]}`, 2, 1, []int{2}, false},
		{"eCX 2", `{"_embedded": {"links": [], "phish": [` + rec + `]}}`, 1, 0, nil, false},
		{"lines", rec + "\n\n{broken\n" + rec + "\n", 2, 1, []int{3}, false},
		{"pretty records", "{\n  \"url\": \"http://a.example/\"\n}\n{\n  \"url\": \"bad\"\n}\n", 1, 1, []int{2}, false},
		{"empty envelope", `{"_meta": {}, "data": []}`, 0, 0, nil, false},
		{"no data", `{"_meta": {}}`, 0, 0, nil, true},
		{"not json", "hello", 0, 0, nil, true},
		{"data not array", `{"data": {}}`, 0, 0, nil, true},
	}
	s, _ := feed.Lookup("apwg")
	for _, tt := range tests {
		var nums []int
		rep := feed.Report{OnBad: func(b feed.BadRow) { nums = append(nums, b.Line) }}
		st, err := s.Parser.Parse(context.Background(), strings.NewReader(tt.in), rep, func(*event.Event) error { return nil })
		if (err != nil) != tt.wantParseErr || st.Events != tt.events || st.Bad != tt.bad || !slices.Equal(nums, tt.badNumbers) {
			t.Errorf("%s: got %d events, bad %v, err %v; want %d events, bad %v, error %v", tt.name, st.Events, nums, err, tt.events, tt.badNumbers, tt.wantParseErr)
		}
	}
}

func TestRecognise(t *testing.T) {
	for name, want := range map[string]bool{
		"apwg-phish-2026-11-20.json": true,
		"ecx-phish.json":             true,
		"eCrimeX_phish.jsonl":        true,
		"ecx-phish.json.gz":          true,
		"online-valid.json":          false,
		"apwg.csv":                   false,
		"2026-11-20-scan_rdp.csv":    false,
	} {
		s, err := feed.Detect(name, nil)
		if got := err == nil && s.Name == "apwg"; got != want {
			t.Errorf("Detect(%q): got apwg %v, want %v", name, got, want)
		}
	}
}

func FuzzAPWG(f *testing.F) {
	s, _ := feed.Lookup("apwg")
	feedtest.Fuzz(f, s.Parser, feed.Report{}, "testdata/ecx-phish.json", "testdata/ecx3-phish.jsonl", "testdata/ecx2-phish.json")
}
