package genericcsv

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/qalxan/qalxan/internal/event"
	"github.com/qalxan/qalxan/internal/feed"
	"github.com/qalxan/qalxan/internal/feed/feedtest"
)

const sample = "testdata/sample_report.csv"

// intelmqConfig decodes the IntelMQ bot parameters the sample was parsed
// with straight into a Config: the options are IntelMQ's.
func intelmqConfig(t testing.TB) Config {
	t.Helper()
	data, err := os.ReadFile(sample + ".report.json")
	if err != nil {
		t.Fatal(err)
	}
	var env struct {
		Params Config `json:"bot_parameters"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		t.Fatal(err)
	}
	return env.Params
}

func TestConformance(t *testing.T) {
	p, err := New(intelmqConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	feedtest.Run(t, p, feedtest.Case{
		Input: sample, Expected: sample + ".expected.json",
		Report: feedtest.ReadReport(t, sample+".report.json"),
		Ignore: map[string]string{
			"classification.taxonomy": "IntelMQ's parser leaves it to the taxonomy expert; Qalxan's event derives it from classification.type (RSIT)",
		},
	})
}

// A partner feed described in YAML, as it would be in Qalxan's
// configuration file.
const partnerYAML = `
name: partner-cert-az
provider: Partner CERT
file_names: ["partner-*.csv"]
columns: time.source, source.ip|source.fqdn, classification.type, extra.note, __IGNORE__, source.url
skip_header: true
time_format: timestamp
type_translation: {bot: infected-system, scan: scanner}
constant_fields: {tlp: AMBER}
default_url_protocol: "https://"
`

// registered numbers the partner feeds the tests register, so that
// -count=N registers a new one each time.
var registered atomic.Int32

func TestPartnerFeedFromYAML(t *testing.T) {
	var c Config
	if err := yaml.Unmarshal([]byte(partnerYAML), &c); err != nil {
		t.Fatal(err)
	}
	n := registered.Add(1)
	c.Name += fmt.Sprint("-", n)
	c.FileNames = []string{fmt.Sprintf("partner%d-*.csv", n)}
	if err := Register(c); err != nil {
		t.Fatal(err)
	}
	if err := Register(c); err == nil {
		t.Error("registered twice without an error")
	}
	s, err := feed.Detect(fmt.Sprintf("partner%d-2026-11-20.csv", n), nil)
	if err != nil || s.Name != c.Name {
		t.Fatalf("detect: %q, %v", s.Name, err)
	}
	in := "ts,host,kind,note,x,url\n" +
		"1700000000,192.0.2.1,bot,hello,zz,evil.example/x\n" +
		"1700000001,www.example.com,scan,,zz,\n" +
		"1700000002,not a host,bot,,zz,\n" +
		"yesterday,192.0.2.1,bot,,zz,\n" +
		"1700000003,192.0.2.1,worm,,zz,\n" +
		"1700000004,192.0.2.1\n"
	var got []map[string]string
	var bad []int
	rep := feed.Report{OnBad: func(b feed.BadRow) { bad = append(bad, b.Line) }}
	st, err := s.Parser.Parse(context.Background(), strings.NewReader(in), rep, func(e *event.Event) error {
		m := map[string]string{}
		for _, f := range e.Fields() {
			m[f.Key] = f.Value
		}
		got = append(got, m)
		return nil
	})
	if err != nil || st.Events != 2 || !slices.Equal(bad, []int{4, 5, 6, 7}) {
		t.Fatalf("got %d events, bad %v (%v), %v", st.Events, bad, st.BadRows, err)
	}
	want := []map[string]string{
		{"time.source": "2023-11-14T22:13:20+00:00", "source.ip": "192.0.2.1", "classification.type": "infected-system",
			"extra.note": "hello", "source.url": "https://evil.example/x", "tlp": "AMBER", "feed.provider": "Partner CERT"},
		{"source.fqdn": "www.example.com", "classification.type": "scanner"},
	}
	for i, w := range want {
		for k, v := range w {
			if got[i][k] != v {
				t.Errorf("event %d: %s = %q, want %q", i, k, got[i][k], v)
			}
		}
	}
}

func TestBadConfig(t *testing.T) {
	for _, c := range []Config{
		{Name: "x"},
		{Name: "x", Columns: Columns{"source.nope"}},
		{Name: "x", Columns: Columns{"source.ip"}, Delimiter: ";;"},
		{Name: "x", Columns: Columns{"source.ip"}, Type: "bad-type"},
		{Name: "x", Columns: Columns{"source.ip"}, TimeFormat: "strftime"},
		{Name: "x", Columns: Columns{"source.ip"}, ConstantFields: map[string]string{"source.asn": "ASx"}},
		{Name: "x", Columns: Columns{"source.ip"}, TypeTranslation: map[string]string{"a": "b"}},
	} {
		if _, err := New(c); err == nil {
			t.Errorf("%+v: no error", c)
		}
	}
	if err := Register(Config{Name: "Upper", Columns: Columns{"source.ip"}}); err == nil {
		t.Error("upper-case name: no error")
	}
}

func TestTimeFormats(t *testing.T) {
	for _, tt := range []struct{ format, in, want string }{
		{"timestamp", "1700000000.5", "2023-11-14T22:13:20.500000+00:00"},
		{"epoch_millis", "1700000000500", "2023-11-14T22:13:20.500000+00:00"},
		{"windows_nt", "132622667720000000", "2021-04-07T10:59:32+00:00"},
		{"layout|02/01/2006 15:04", "14/12/2015 04:19", "2015-12-14T04:19:00+00:00"},
	} {
		p, err := New(Config{Columns: Columns{"time.source"}, TimeFormat: tt.format})
		if err != nil {
			t.Fatal(err)
		}
		e := event.New(4)
		if err := p.row(e, []string{tt.in}); err != nil {
			t.Errorf("%s: %v", tt.format, err)
			continue
		}
		if got, _ := e.Get("time.source"); got != tt.want {
			t.Errorf("%s %s: got %s, want %s", tt.format, tt.in, got, tt.want)
		}
	}
}

func FuzzGenericCSV(f *testing.F) {
	p, err := New(intelmqConfig(f))
	if err != nil {
		f.Fatal(err)
	}
	feedtest.Fuzz(f, p, feed.Report{}, sample)
}

// jsonFeed is a partner's JSON feed described in YAML, as in qalxan.yaml.
const jsonFeed = `
name: partner-json
provider: Partner CERT
type: phishing
format: json
time_format: timestamp
fields:
  url: source.url
  host: source.fqdn|source.ip
  seen: time.source
  attributes.brand: extra.brand
  attributes.tags: extra.tags
  asn: source.asn
`

func jsonParser(t testing.TB) *Parser {
	t.Helper()
	var c Config
	if err := yaml.Unmarshal([]byte(jsonFeed), &c); err != nil {
		t.Fatal(err)
	}
	p, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestJSONFeed(t *testing.T) {
	p := jsonParser(t)
	records := []string{
		`{"url":"http://bank.example/login","host":"bank.example","seen":1763600000,"asn":64500,"attributes":{"brand":"Example Bank","tags":["kit","az"]}}`,
		`{"url":"http://192.0.2.7/x","host":"192.0.2.7","seen":1763600060.5}`,
		`"not an object"`,
		`{"url":"http://c.example/","host":"c.example","asn":"not a number"}`,
	}
	for name, input := range map[string]string{
		"lines": strings.Join(records, "\n") + "\n",
		"array": "[\n" + strings.Join(records, ",\n") + "\n]",
	} {
		t.Run(name, func(t *testing.T) {
			var got []map[string]any
			var lines []int
			st, err := p.Parse(context.Background(), strings.NewReader(input), feed.Report{}, func(e *event.Event) error {
				var m map[string]any
				if err := json.Unmarshal(e.AppendJSON(nil), &m); err != nil {
					return err
				}
				got = append(got, m)
				lines = append(lines, e.Line)
				return nil
			})
			if err != nil || st.Rows != 4 || st.Events != 2 || st.Bad != 2 || st.BadRows[0].Line != 3 || st.BadRows[1].Line != 4 {
				t.Fatalf("got %+v, %v; want 4 records, 2 events, bad records 3 and 4", st, err)
			}
			want := map[string]any{"source.url": "http://bank.example/login", "source.fqdn": "bank.example", "source.asn": 64500.0,
				"time.source": "2025-11-20T00:53:20+00:00", "extra.brand": "Example Bank", "extra.tags": []any{"kit", "az"},
				"classification.type": "phishing", "feed.name": "partner-json", "feed.provider": "Partner CERT"}
			for k, v := range want {
				if fmt.Sprint(got[0][k]) != fmt.Sprint(v) {
					t.Errorf("%s: got %v, want %v", k, got[0][k], v)
				}
			}
			if got[1]["source.ip"] != "192.0.2.7" || got[1]["source.fqdn"] != nil || !slices.Equal(lines, []int{1, 2}) {
				t.Errorf("second event: got %v (lines %v), want the address as source.ip", got[1], lines)
			}
		})
	}
	if _, err := p.Parse(context.Background(), strings.NewReader(`{"url":`), feed.Report{}, func(*event.Event) error { return nil }); err == nil {
		t.Error("broken JSON: no error")
	}
	var c Config
	yaml.Unmarshal([]byte(strings.Replace(jsonFeed, "format: json", "format: xml", 1)), &c)
	if _, err := New(c); err == nil || !strings.Contains(err.Error(), "format") {
		t.Errorf("format xml: got %v, want an error naming the format", err)
	}
}

func FuzzGenericJSON(f *testing.F) {
	p := jsonParser(f)
	f.Add(`{"url":"http://bank.example/login","host":"bank.example","seen":1763600000,"attributes":{"brand":"B"}}`)
	f.Add(`[{"url":"http://x/"},{"host":"192.0.2.1"}]`)
	f.Fuzz(func(t *testing.T, s string) {
		var n atomic.Int64
		st, _ := p.Parse(context.Background(), strings.NewReader(s), feed.Report{}, func(e *event.Event) error {
			n.Add(1)
			if e.Line <= 0 {
				t.Errorf("event without a line")
			}
			return nil
		})
		if int64(st.Events) != n.Load() {
			t.Errorf("stats say %d events, got %d", st.Events, n.Load())
		}
	})
}
