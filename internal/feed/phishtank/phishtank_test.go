package phishtank

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/event"
	"github.com/qalxan/qalxan/internal/feed"
	"github.com/qalxan/qalxan/internal/feed/feedtest"
)

func TestConformance(t *testing.T) {
	s, err := feed.Lookup("phishtank")
	if err != nil {
		t.Fatal(err)
	}
	const file = "testdata/test_parser.INPUT.json"
	feedtest.Run(t, s.Parser, feedtest.Case{
		Input: file, Expected: file + ".expected.json",
		Report: feedtest.ReadReport(t, file+".report.json"),
		Ignore: map[string]string{
			"feed.name":               "IntelMQ's test report had no feed.name; Qalxan names the feed",
			"feed.provider":           "set by IntelMQ's collector configuration, not its parser; Qalxan's parser sets it",
			"classification.taxonomy": "IntelMQ's parser leaves it to the taxonomy expert; Qalxan's event derives it from classification.type (RSIT)",
		},
	})
}

func TestBadRecords(t *testing.T) {
	in := `[{"phish_id": 1, "url": "http://a.example/", "online": "no", "details": []},` +
		`{"phish_id": "2"}, {"url": "not a url"}, {"url": "http://b.example/", "details": [{"ip_address": "x"}]}, 7]`
	s, _ := feed.Lookup("phishtank")
	var lines []int
	var status []string
	rep := feed.Report{OnBad: func(b feed.BadRow) { lines = append(lines, b.Line) }}
	st, err := s.Parser.Parse(context.Background(), strings.NewReader(in), rep, func(e *event.Event) error {
		v, _ := e.Get("status")
		status = append(status, v)
		return nil
	})
	if err != nil || st.Events != 1 || !slices.Equal(lines, []int{2, 3, 4, 5}) || status[0] != "offline" {
		t.Errorf("got %d events %v, bad %v (%v), %v", st.Events, status, lines, st.BadRows, err)
	}
}

func FuzzPhishTank(f *testing.F) {
	s, _ := feed.Lookup("phishtank")
	feedtest.Fuzz(f, s.Parser, feed.Report{}, "testdata/test_parser.INPUT.json")
}
