package spamhaus

import (
	"bytes"
	"context"
	"os"
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

func TestConformance(t *testing.T) {
	for _, c := range []struct{ feed, file string }{
		{"spamhaus-drop", "testdata/drop.txt"},
		{"spamhaus-asndrop", "testdata/asndrop.txt"},
		{"spamhaus-cert", "testdata/cert.txt"},
	} {
		t.Run(c.feed, func(t *testing.T) {
			s, err := feed.Lookup(c.feed)
			if err != nil {
				t.Fatal(err)
			}
			feedtest.Run(t, s.Parser, feedtest.Case{
				Input: c.file, Expected: c.file + ".expected.json",
				Report: feedtest.ReadReport(t, c.file+".report.json"), Ignore: ignored,
			})
		})
	}
}

func TestBadRows(t *testing.T) {
	tests := []struct {
		feed, in string
		events   int
		badLines []int
	}{
		{"spamhaus-drop", "; Last-Modified: nonsense\n192.0.2.0/24 ; SBL1\nnot-a-net ; SBL2\n2001:db8::/32\n", 2, []int{3}},
		{"spamhaus-asndrop", "AS64496 ; | x\nAS0 ; AT | y\nAS64497\nASx ; | z\n", 1, []int{2, 3, 4}},
		{"spamhaus-cert", "; header\n192.0.2.1,AS64496,AT,1441008970,asprox,,,25,,tcp\n192.0.2.1,AS64496\n" +
			"192.0.2.1,AS64496,AT,yesterday,asprox,,,25,,tcp\n192.0.2.1,AS64496,AT,1441008970,l_spamlink,http://a/,http://b/,,1:2:x,tcp\n" +
			"192.0.2.1,AS64496,AT,1441008970,l_spamlink,http://a/,http://a/,,nonsense,tcp\n", 1, []int{3, 4, 5, 6}},
	}
	for _, tt := range tests {
		s, _ := feed.Lookup(tt.feed)
		var lines []int
		rep := feed.Report{OnBad: func(b feed.BadRow) { lines = append(lines, b.Line) }}
		st, err := s.Parser.Parse(context.Background(), strings.NewReader(tt.in), rep, func(*event.Event) error { return nil })
		if err != nil || st.Events != tt.events || !slices.Equal(lines, tt.badLines) {
			t.Errorf("%s: got %d events, bad lines %v, %v; want %d and %v", tt.feed, st.Events, lines, err, tt.events, tt.badLines)
		}
	}
}

// TestCertHidesKey: the portal's URL carries the API key, which must not
// be copied into every event.
func TestCertHidesKey(t *testing.T) {
	s, _ := feed.Lookup("spamhaus-cert")
	rep := feed.Report{FeedURL: "https://portal.spamhaus.org/cert/api.php?cert=x&key=SECRET"}
	_, err := s.Parser.Parse(context.Background(), strings.NewReader("192.0.2.1,AS64496,AT,1441008970,iotscan,,,2323,,tcp\n"), rep,
		func(e *event.Event) error {
			if u, _ := e.Get("feed.url"); strings.Contains(u, "SECRET") {
				t.Errorf("feed.url %q keeps the key", u)
			}
			if id, _ := e.Get("classification.identifier"); id != "scanner-generic" {
				t.Errorf("iotscan on 2323: identifier %q, want scanner-generic", id)
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
}

func FuzzDrop(f *testing.F) {
	s, _ := feed.Lookup("spamhaus-drop")
	feedtest.Fuzz(f, s.Parser, feed.Report{}, "testdata/drop.txt")
}

func FuzzASNDrop(f *testing.F) {
	s, _ := feed.Lookup("spamhaus-asndrop")
	feedtest.Fuzz(f, s.Parser, feed.Report{}, "testdata/asndrop.txt")
}

func FuzzCert(f *testing.F) {
	s, _ := feed.Lookup("spamhaus-cert")
	feedtest.Fuzz(f, s.Parser, feed.Report{}, "testdata/cert.txt")
}

// TestEntriesAreDistinctObservations: every entry of a list is its own
// event for deduplication (a list names each network or AS once), so
// none may share a fingerprint with another.
func TestEntriesAreDistinctObservations(t *testing.T) {
	for _, c := range []struct{ feed, file string }{
		{"spamhaus-drop", "testdata/drop.txt"},
		{"spamhaus-asndrop", "testdata/asndrop.txt"},
	} {
		t.Run(c.feed, func(t *testing.T) {
			s, err := feed.Lookup(c.feed)
			if err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(c.file)
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]int{}
			n := 0
			_, err = s.Parser.Parse(context.Background(), bytes.NewReader(data), feedtest.ReadReport(t, c.file+".report.json"),
				func(e *event.Event) error {
					n++
					seen[s.Fingerprint(e)]++
					return nil
				})
			if err != nil || n < 2 || len(seen) != n {
				t.Errorf("got %d distinct fingerprints for %d events (%v), want one each", len(seen), n, err)
			}
		})
	}
}
