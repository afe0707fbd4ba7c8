package cymru

import (
	"context"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/event"
	"github.com/qalxan/qalxan/internal/feed"
	"github.com/qalxan/qalxan/internal/feed/feedtest"
)

// ignored lists fields not compared with IntelMQ's events, and why.
var ignored = map[string]string{
	"feed.name":               "IntelMQ's test reports had no feed.name; Qalxan names the feed",
	"feed.provider":           "set by IntelMQ's collector configuration, not its parser; Qalxan's parser sets it",
	"classification.taxonomy": "IntelMQ's parser leaves it to the taxonomy expert; Qalxan's event derives it from classification.type (RSIT)",
}

func TestConformance(t *testing.T) {
	for _, c := range []struct{ feed, file, want string }{
		{"cymru-cap", "testdata/infected_20171031.txt", ".expected.json"},
		{"cymru-cap", "testdata/certname_20190327.txt", ".expected.json"},
		{"cymru-bogons", "testdata/test_full_bogons.ipv4.INPUT.txt", ".expected.json"},
		// IntelMQ's test asserts the first of the two events; its
		// parser's whole output is the reference.
		{"cymru-bogons", "testdata/test_full_bogons.ipv6.INPUT.txt", ".actual.json"},
	} {
		t.Run(c.file, func(t *testing.T) {
			s, err := feed.Lookup(c.feed)
			if err != nil {
				t.Fatal(err)
			}
			feedtest.Run(t, s.Parser, feedtest.Case{
				Input: c.file, Expected: c.file + c.want,
				Report: feedtest.ReadReport(t, c.file+".report.json"), Ignore: ignored,
			})
		})
	}
}

func TestBadRows(t *testing.T) {
	const newHead = "#generated on 20190326\n"
	tests := []struct {
		name, feed, in string
		events         int
		badLines       []int
	}{
		{"old: unknown report, columns, comment", "cymru-cap",
			"# Data file written at x\nspam|192.0.2.1|64496|2017-10-31 10:00:04||AS\nworm|192.0.2.1|64496|2017-10-31 10:00:04||AS\n" +
				"spam|192.0.2.1\nspam|192.0.2.1|64496|2017-10-31 10:00:04|what|AS\nscanners|192.0.2.1|0|2017-10-31 10:00:04|1,2|AS\n", 1, []int{3, 4, 5, 6}},
		{"new: notes", "cymru-cap", newHead +
			"bot|192.0.2.1|64496|2019-03-22 11:18:52|family: x; weird: 1;|AS, AT\n" +
			"darknet|192.0.2.1|64496|2019-03-22 11:18:52|protocol: 99;|AS, AT\n" +
			"darknet|192.0.2.1|64496|2019-03-22 11:18:52|dest_port: 1,x;|AS, AT\n" +
			"nothing|192.0.2.1|64496|2019-03-22 11:18:52||AS, AT\n" +
			"darknet|192.0.2.1|64496|2019-03-22 11:18:52|dest_port: 1, 2;|AS, AT\n", 2, []int{2, 3, 4, 5}},
		{"bogons", "cymru-bogons", "# last updated soon\n192.0.2.0/24\nnonsense\n", 1, []int{3}},
	}
	for _, tt := range tests {
		s, _ := feed.Lookup(tt.feed)
		var lines []int
		rep := feed.Report{OnBad: func(b feed.BadRow) { lines = append(lines, b.Line) }}
		st, err := s.Parser.Parse(context.Background(), strings.NewReader(tt.in), rep, func(*event.Event) error { return nil })
		if err != nil || st.Events != tt.events || !slices.Equal(lines, tt.badLines) {
			t.Errorf("%s: got %d events, bad lines %v (%v), %v; want %d and %v", tt.name, st.Events, lines, st.BadRows, err, tt.events, tt.badLines)
		}
	}
}

// multiRow adapts a parser whose rows may give several events (a CAP row
// per destination port) to feedtest.Fuzz, which wants one event or one
// bad row per row: it checks every row gave at least one event or was
// bad, then reports the rows as the events and bad rows they gave.
type multiRow struct{ p feed.Parser }

func (m multiRow) Parse(ctx context.Context, r io.Reader, rep feed.Report, emit feed.Emit) (feed.Stats, error) {
	st, err := m.p.Parse(ctx, r, rep, emit)
	if err == nil && st.Events+st.Bad >= st.Rows {
		st.Rows = st.Events + st.Bad
	}
	return st, err
}

func FuzzCAP(f *testing.F) {
	s, _ := feed.Lookup("cymru-cap")
	feedtest.Fuzz(f, multiRow{s.Parser}, feed.Report{}, "testdata/infected_20171031.txt", "testdata/certname_20190327.txt")
}

func FuzzBogons(f *testing.F) {
	s, _ := feed.Lookup("cymru-bogons")
	feedtest.Fuzz(f, s.Parser, feed.Report{}, "testdata/test_full_bogons.ipv4.INPUT.txt", "testdata/test_full_bogons.ipv6.INPUT.txt")
}
