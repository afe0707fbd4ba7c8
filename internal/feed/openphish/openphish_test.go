package openphish

import (
	"context"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/event"
	"github.com/qalxan/qalxan/internal/feed"
	"github.com/qalxan/qalxan/internal/feed/feedtest"
)

// ignored lists fields not compared with IntelMQ's events, and why.
var ignored = map[string]string{
	"feed.name":               "IntelMQ's test report had no feed.name; Qalxan names the feed (OpenPhish)",
	"feed.provider":           "set by IntelMQ's collector configuration, not its parser; Qalxan's parser sets it",
	"classification.taxonomy": "IntelMQ's parser leaves it to the taxonomy expert; Qalxan's event derives it from classification.type (RSIT)",
}

func TestConformance(t *testing.T) {
	for _, c := range []struct{ feed, file string }{
		{"openphish", "testdata/feed.txt"},
		{"openphish-premium", "testdata/test_parser_commercial.INPUT.jsonl"},
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

func TestBadLines(t *testing.T) {
	tests := []struct {
		feed, in string
		events   int
		badLines []int
	}{
		{"openphish", "http://a.example/x\n\nnot a url\nhttps://b.example/\n", 2, []int{3}},
		{"openphish-premium", `{"url": "http://a.example/"}` + "\n{broken\n" + `{"ip": "192.0.2.1"}` + "\n" + `{"url": "http://b.example/", "asn": "ASx"}` + "\n", 1, []int{2, 3, 4}},
	}
	for _, tt := range tests {
		s, _ := feed.Lookup(tt.feed)
		var lines []int
		rep := feed.Report{OnBad: func(b feed.BadRow) { lines = append(lines, b.Line) }}
		st, err := s.Parser.Parse(context.Background(), strings.NewReader(tt.in), rep, func(*event.Event) error { return nil })
		if err != nil || st.Events != tt.events || len(lines) != len(tt.badLines) {
			t.Errorf("%s: got %d events, bad lines %v, %v; want %d and %v", tt.feed, st.Events, lines, err, tt.events, tt.badLines)
			continue
		}
		for i := range lines {
			if lines[i] != tt.badLines[i] {
				t.Errorf("%s: got bad lines %v, want %v", tt.feed, lines, tt.badLines)
				break
			}
		}
	}
}

func FuzzOpenPhish(f *testing.F) {
	s, _ := feed.Lookup("openphish")
	feedtest.Fuzz(f, s.Parser, feed.Report{}, "testdata/feed.txt")
}

func FuzzOpenPhishPremium(f *testing.F) {
	s, _ := feed.Lookup("openphish-premium")
	feedtest.Fuzz(f, s.Parser, feed.Report{}, "testdata/test_parser_commercial.INPUT.jsonl")
}
