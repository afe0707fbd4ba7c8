package blocklistde

import (
	"context"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/event"
	"github.com/qalxan/qalxan/internal/feed"
	"github.com/qalxan/qalxan/internal/feed/feedtest"
)

func TestConformance(t *testing.T) {
	s, err := feed.Lookup("blocklistde")
	if err != nil {
		t.Fatal(err)
	}
	feedtest.Run(t, s.Parser, feedtest.Case{
		Input: "testdata/imap.txt", Expected: "testdata/imap.txt.expected.json",
		Report: feedtest.ReadReport(t, "testdata/imap.txt.report.json"),
		Ignore: map[string]string{
			"feed.provider":           "set by IntelMQ's collector configuration, not its parser; Qalxan's parser sets it",
			"classification.taxonomy": "IntelMQ's parser leaves it to the taxonomy expert; Qalxan's event derives it from classification.type (RSIT)",
		},
	})
}

func TestListFromURLOrFileName(t *testing.T) {
	tests := []struct {
		rep      feed.Report
		typ, app string
	}{
		{feed.Report{FeedURL: "https://lists.blocklist.de/lists/ssh.txt"}, "ids-alert", "ssh"},
		{feed.Report{FileName: "bruteforcelogin.txt"}, "brute-force", ""},
		{feed.Report{FileName: "something-new.txt"}, "blacklist", ""},
	}
	s, _ := feed.Lookup("blocklistde")
	for _, tt := range tests {
		var got []*event.Event
		st, err := s.Parser.Parse(context.Background(), strings.NewReader("# comment\n192.0.2.1\nnot-an-ip\n"), tt.rep, func(e *event.Event) error {
			got = append(got, e.Clone())
			return nil
		})
		if err != nil || len(got) != 1 || st.Bad != 1 {
			t.Fatalf("%+v: got %d events, %d bad, %v; want 1 and 1", tt.rep, len(got), st.Bad, err)
		}
		typ, _ := got[0].Get("classification.type")
		app, _ := got[0].Get("protocol.application")
		if typ != tt.typ || app != tt.app {
			t.Errorf("%+v: got %s/%s, want %s/%s", tt.rep, typ, app, tt.typ, tt.app)
		}
	}
}

func FuzzBlocklistDE(f *testing.F) {
	s, _ := feed.Lookup("blocklistde")
	feedtest.Fuzz(f, s.Parser, feed.Report{FileName: "ssh.txt"}, "testdata/imap.txt")
}
