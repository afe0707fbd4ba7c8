package dataplane

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/event"
	"github.com/qalxan/qalxan/internal/feed"
	"github.com/qalxan/qalxan/internal/feed/feedtest"
)

// ignored lists fields not compared with IntelMQ's events, and why.
var ignored = map[string]string{
	"feed.provider":           "set by IntelMQ's collector configuration, not its parser; Qalxan's parser sets it",
	"classification.taxonomy": "IntelMQ's parser leaves it to the taxonomy expert; Qalxan's event derives it from classification.type (RSIT)",
}

// wantBad: sshclient.txt has a malformed row ("14080 | Telmex Colombia
// S.A., CO |") that IntelMQ drops too.
var wantBad = map[string]int{"sshclient.txt": 1}

func TestConformance(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) != 13 {
		t.Fatalf("want the 13 dataplane samples, got %d (%v)", len(files), err)
	}
	s, err := feed.Lookup("dataplane")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			feedtest.Run(t, s.Parser, feedtest.Case{
				Input: f, Expected: f + ".expected.json",
				Report: feedtest.ReadReport(t, f+".report.json"), Ignore: ignored,
				WantBad: wantBad[filepath.Base(f)],
			})
		})
	}
}

func TestClassification(t *testing.T) {
	const row = "64496  |  EXAMPLE-AS - Example, AZ  |  192.0.2.1  |  2026-01-02 03:04:05  |  "
	tests := []struct {
		name     string
		rep      feed.Report
		in       string
		typ, app string
		badLines []int
	}{
		{"category wins over file name", feed.Report{FileName: "sshclient.txt"}, row + "telnetlogin\n", "brute-force", "telnet", nil},
		{"unknown category, list from URL", feed.Report{FeedURL: "https://dataplane.org/vncrfb.txt"}, row + "newlist\n", "scanner", "vnc", nil},
		{"unknown category and list", feed.Report{FileName: "x.txt"}, row + "newlist\n" + row + "dnsrd\n", "scanner", "dns", []int{1}},
		{"malformed rows", feed.Report{}, "# c\n1 | A | 192.0.2.1 | 2026-01-01 | dnsrd\n" + row + "dnsrd\nNA  |  NA  |  nonsense  |  2026-01-01  |  dnsrd\n", "scanner", "dns", []int{2, 4}},
	}
	s, _ := feed.Lookup("dataplane")
	for _, tt := range tests {
		var lines []int
		tt.rep.OnBad = func(b feed.BadRow) { lines = append(lines, b.Line) }
		var got []*event.Event
		_, err := s.Parser.Parse(context.Background(), strings.NewReader(tt.in), tt.rep, func(e *event.Event) error {
			got = append(got, e.Clone())
			return nil
		})
		if err != nil || len(got) != 1 || !slices.Equal(lines, tt.badLines) {
			t.Errorf("%s: got %d events, bad lines %v, %v; want 1 and %v", tt.name, len(got), lines, err, tt.badLines)
			continue
		}
		typ, _ := got[0].Get("classification.type")
		app, _ := got[0].Get("protocol.application")
		asName, _ := got[0].Get("source.as_name")
		if typ != tt.typ || app != tt.app || asName != "EXAMPLE-AS" {
			t.Errorf("%s: got %s/%s/%s, want %s/%s/EXAMPLE-AS", tt.name, typ, app, asName, tt.typ, tt.app)
		}
	}
}

func TestRecognise(t *testing.T) {
	if _, err := feed.Detect("report.txt", []byte("# DataPlane.org - for operators, by operators\n")); err != nil {
		t.Error(err)
	}
	if s, err := feed.Detect("/tmp/sipquery.txt", nil); err != nil || s.Name != "dataplane" {
		t.Errorf("sipquery.txt: got %q, %v", s.Name, err)
	}
}

func FuzzDataplane(f *testing.F) {
	s, _ := feed.Lookup("dataplane")
	seeds, _ := filepath.Glob("testdata/*.txt")
	feedtest.Fuzz(f, s.Parser, feed.Report{}, seeds...)
}
