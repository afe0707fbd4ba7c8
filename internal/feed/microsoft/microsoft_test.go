package microsoft

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/event"
	"github.com/qalxan/qalxan/internal/feed"
	"github.com/qalxan/qalxan/internal/feed/feedtest"
)

// ignored lists fields not compared with IntelMQ's events, and why.
var ignored = map[string]string{
	"feed.provider":           "set by IntelMQ's collector configuration, not its parser; Qalxan's parser sets it",
	"classification.taxonomy": "IntelMQ's parser leaves it to the taxonomy expert; Qalxan's event derives it from classification.type (RSIT)",
}

// ignoredNoName adds feed.name for the samples whose report had none.
var ignoredNoName = map[string]string{
	"feed.name": "IntelMQ's test report had no feed.name; Qalxan names the feed",
}

func init() {
	for k, v := range ignored {
		ignoredNoName[k] = v
	}
}

func TestConformance(t *testing.T) {
	for _, c := range []struct {
		feed, file, want string
		ignore           map[string]string
	}{
		{"microsoft-ctip", "testdata/ctip.txt", ".expected.json", ignoredNoName},
		// IntelMQ's test_event asserts 4 of the 6 events; its parser's
		// whole output (the same parameters) is the reference.
		{"microsoft-ctip", "testdata/ctip_azure.txt", ".actual.json", ignored},
		{"microsoft-bingmurls", "testdata/bingmurls.json", ".expected.json", ignoredNoName},
	} {
		t.Run(c.file, func(t *testing.T) {
			s, err := feed.Lookup(c.feed)
			if err != nil {
				t.Fatal(err)
			}
			feedtest.Run(t, s.Parser, feedtest.Case{
				Input: c.file, Expected: c.file + c.want,
				Report: readReport(t, c.file+".report.json"), Ignore: c.ignore,
			})
		})
	}
}

// readReport is feedtest.ReadReport for envelopes with a numeric field
// (feed.accuracy, 100.0 in these samples), which ReadReport cannot
// decode. The accuracy itself is dropped: feed.Report has no field for it,
// and 100 is what the parser assumes.
func readReport(t *testing.T, file string) feed.Report {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var env struct {
		Report map[string]any `json:"input_report_without_raw"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	if a, ok := env.Report["feed.accuracy"]; ok && a != 100.0 {
		t.Fatalf("%s: feed.accuracy %v; the parser assumes 100", file, a)
	}
	str := func(k string) string { s, _ := env.Report[k].(string); return s }
	r := feed.Report{FeedName: str("feed.name"), FeedURL: str("feed.url")}
	if s := str("time.observation"); s != "" {
		if r.Observed, err = time.Parse(time.RFC3339, s); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

func TestBadRecords(t *testing.T) {
	tests := []struct {
		feed, in string
		events   int
		badLines []int
	}{
		{"microsoft-ctip", `[{"version": 1.5, "indicatorthreattype": "Botnet", "confidence": 50, "networksourceipv4": "192.0.2.1"},` +
			`{"version": 1.4, "indicatorthreattype": "Botnet"}, {"version": 1.5, "indicatorthreattype": "Spam"},` +
			`{"version": 1.5, "indicatorthreattype": "Botnet", "new": 1}, []]`, 1, []int{2, 3, 4, 5}},
		{"microsoft-ctip", `{"SourceIp": "192.0.2.1", "NewField": {"InnerThing": 1}, "Payload": "aGVsbG8="}` + "\n{\n" +
			`{"SourceIp": "x"}` + "\n" + `{"DateTimeReceivedUtc": "yesterday"}` + "\n", 1, []int{2, 3, 4}},
		{"microsoft-bingmurls", `[{"Version": 1.5, "IndicatorThreatType": "MaliciousUrl", "Url": "http://a.example/", "Tags": ["x", "y"]},` +
			`{"Version": 1.5, "IndicatorThreatType": "Phish"}]`, 1, []int{2}},
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
}

func TestTimes(t *testing.T) {
	for _, tt := range []struct {
		got  time.Time
		want string
	}{
		{windowsTime(132348340630510000), "2020-05-24T22:47:43.050999+00:00"},
		{windowsTime(132622667720000000), "2021-04-07T10:59:32+00:00"},
		{unixTime(1590360328.48742), "2020-05-24T22:45:28.487420+00:00"},
	} {
		if got := event.FormatTime(tt.got); got != tt.want {
			t.Errorf("got %s, want %s", got, tt.want)
		}
	}
	if got := snake("SourceIpInfo.NewThing"); got != "source_ip_info.new_thing" {
		t.Errorf("snake: got %s", got)
	}
}

func FuzzCTIP(f *testing.F) {
	s, _ := feed.Lookup("microsoft-ctip")
	feedtest.Fuzz(f, s.Parser, feed.Report{}, "testdata/ctip.txt", "testdata/ctip_azure.txt")
}

func FuzzBingMURLs(f *testing.F) {
	s, _ := feed.Lookup("microsoft-bingmurls")
	feedtest.Fuzz(f, s.Parser, feed.Report{}, "testdata/bingmurls.json")
}
