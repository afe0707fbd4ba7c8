package abusech

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/event"
	"github.com/qalxan/qalxan/internal/feed"
	"github.com/qalxan/qalxan/internal/feed/feedtest"
)

// ignored lists fields not compared with IntelMQ's events, and why.
var ignored = map[string]string{
	"feed.name":               "IntelMQ's Feodo test report had no feed.name; Qalxan names the feed",
	"feed.provider":           "set by IntelMQ's collector configuration, not its parser; Qalxan's parser sets it",
	"classification.taxonomy": "IntelMQ's parser leaves it to the taxonomy expert; Qalxan's event derives it from classification.type (RSIT)",
}

func TestConformance(t *testing.T) {
	for _, c := range []struct{ feed, file string }{
		{"abusech-feodo", "testdata/test_parser_feodotracker.INPUT.json"},
		// The expected events of IntelMQ's URLhaus parser test (see
		// MANIFEST.md: the parser never shipped, the events are the
		// reference).
		{"abusech-urlhaus", "testdata/urlhaus.txt"},
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

func TestBadRecords(t *testing.T) {
	tests := []struct {
		feed, in string
		events   int
		badLines []int
	}{
		{"abusech-feodo", `[{"ip_address": "192.0.2.1", "port": 443, "malware": "Emotet", "new_field": [1]}, {"port": 1}, 5, {"ip_address": "x"}]`, 1, []int{2, 3, 4}},
		{"abusech-urlhaus", "# id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,reporter\n" +
			`"1","2024-01-01 00:00:00","http://a.example/x,y","online","","malware_download","elf,mirai","https://urlhaus.abuse.ch/url/1/","r"` + "\n" +
			`"2","2024-01-01 00:00:00","no url","online","","malware_download","","",""` + "\n\"3\",\"broken\n", 1, []int{3, 4}},
	}
	for _, tt := range tests {
		s, _ := feed.Lookup(tt.feed)
		var lines []int
		rep := feed.Report{OnBad: func(b feed.BadRow) { lines = append(lines, b.Line) }}
		st, err := s.Parser.Parse(context.Background(), strings.NewReader(tt.in), rep, func(*event.Event) error { return nil })
		if err != nil || st.Events != tt.events || !slices.Equal(lines, tt.badLines) {
			t.Errorf("%s: got %d events, bad lines %v (%v), %v; want %d and %v", tt.feed, st.Events, lines, st.BadRows, err, tt.events, tt.badLines)
		}
	}
	// A report that is not a JSON array cannot be read at all.
	s, _ := feed.Lookup("abusech-feodo")
	if _, err := s.Parser.Parse(context.Background(), strings.NewReader(`{"a": 1}`), feed.Report{}, func(*event.Event) error { return nil }); err == nil {
		t.Error("feodo: an object instead of an array: no error")
	}
}

func FuzzFeodo(f *testing.F) {
	s, _ := feed.Lookup("abusech-feodo")
	feedtest.Fuzz(f, s.Parser, feed.Report{}, "testdata/test_parser_feodotracker.INPUT.json")
}

func FuzzURLhaus(f *testing.F) {
	s, _ := feed.Lookup("abusech-urlhaus")
	feedtest.Fuzz(f, s.Parser, feed.Report{}, "testdata/urlhaus.txt")
}
