package shadowserver

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/event"
	"github.com/qalxan/qalxan/internal/feed"
)

const rdpHeader = `"timestamp","ip","protocol","port","hostname","tag","asn","geo","region","city","naics","sic","rdp_protocol"` + "\n"

func parse(t *testing.T, p *Parser, rep feed.Report, in string) ([]string, feed.Stats, error) {
	t.Helper()
	var out []string
	st, err := p.Parse(context.Background(), strings.NewReader(in), rep, func(e *event.Event) error {
		out = append(out, string(e.AppendJSON(nil)))
		return nil
	})
	return out, st, err
}

func TestBadRowsAreReportedAndSkipped(t *testing.T) {
	in := rdpHeader +
		`"2026-11-20 10:00:00","192.0.2.1","tcp",3389,,"rdp",64496,"AZ",,,0,0,"RDP"` + "\n" +
		`"not a time","192.0.2.2","tcp",3389,,"rdp",64496,"AZ",,,0,0,"RDP"` + "\n" +
		`"2026-11-20 10:00:00","192.0.2.3","tcp","x",,"rdp",64496,"AZ",,,0,0,"RDP"` + "\n" +
		`"2026-11-20 10:00:00","192.0.2.4","tcp",3389,,"rdp",64496,"AZ",,,0,0,"RDP"` + "\n"
	var told []feed.BadRow
	rep := feed.Report{FileName: "2026-11-20-scan_rdp-az-geo.csv", OnBad: func(b feed.BadRow) { told = append(told, b) }}
	evs, st, err := parse(t, &Parser{}, rep, in)
	if err != nil {
		t.Fatal(err)
	}
	if st.Rows != 4 || st.Events != 2 || st.Bad != 2 || len(evs) != 2 {
		t.Fatalf("got rows %d events %d bad %d (%d emitted), want 4, 2, 2", st.Rows, st.Events, st.Bad, len(evs))
	}
	if len(told) != 2 || told[0].Line != 3 || told[1].Line != 4 {
		t.Errorf("got bad rows %+v, want lines 3 and 4", told)
	}
	if !strings.Contains(told[0].Reason, "time.source") || !strings.Contains(told[1].Reason, "port") {
		t.Errorf("got reasons %q and %q, want them to name time.source and port", told[0].Reason, told[1].Reason)
	}
	if !strings.Contains(evs[1], `"source.ip":"192.0.2.4"`) {
		t.Errorf("second event: got %s, want the row after the bad ones", evs[1])
	}
}

func TestRowsWithDifferentFieldCounts(t *testing.T) {
	in := rdpHeader +
		`"2026-11-20 10:00:00","192.0.2.1","tcp",3389` + "\n" + // short: the rest is absent
		`"2026-11-20 10:00:00","192.0.2.2","tcp",3389,,"rdp",64496,"AZ",,,0,0,"RDP","surplus"` + "\n"
	evs, st, err := parse(t, &Parser{}, feed.Report{FileName: "scan_rdp.csv"}, in)
	if err != nil || st.Events != 2 {
		t.Fatalf("got %d events, %v; want 2", st.Events, err)
	}
	if strings.Contains(evs[0], "source.asn") || !strings.Contains(evs[1], `"source.asn":64496`) {
		t.Errorf("got %s and %s", evs[0], evs[1])
	}
}

func TestReportErrors(t *testing.T) {
	tests := map[string]struct {
		rep feed.Report
		in  string
	}{
		"missing required column": {feed.Report{FileName: "scan_rdp.csv"}, `"timestamp","port"` + "\n1,2\n"},
		"unknown type":            {feed.Report{FileName: "scan_nope.csv"}, rdpHeader},
	}
	for name, tt := range tests {
		if _, _, err := parse(t, &Parser{}, tt.rep, tt.in); err == nil {
			t.Errorf("%s: got no error, want one", name)
		}
	}
	if evs, st, err := parse(t, &Parser{}, feed.Report{FileName: "scan_rdp.csv"}, ""); err != nil || len(evs) != 0 || st.Rows != 0 {
		t.Errorf("empty report: got %d events, %v; want none and no error", len(evs), err)
	}
}

func TestEmitErrorAndCancelStop(t *testing.T) {
	in := rdpHeader + strings.Repeat(`"2026-11-20 10:00:00","192.0.2.1","tcp",3389,,"rdp",64496,"AZ",,,0,0,"RDP"`+"\n", 3000)
	stop := errors.New("stop")
	n := 0
	_, err := (&Parser{}).Parse(context.Background(), strings.NewReader(in), feed.Report{FileName: "scan_rdp.csv"}, func(*event.Event) error {
		n++
		if n == 10 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 10 {
		t.Errorf("emit error: got %v after %d events, want stop after 10", err, n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (&Parser{}).Parse(ctx, strings.NewReader(in), feed.Report{FileName: "scan_rdp.csv"}, func(*event.Event) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v, want context.Canceled", err)
	}
}

func TestRecogniseAndRegistered(t *testing.T) {
	s, err := feed.Lookup("shadowserver")
	if err != nil {
		t.Fatal(err)
	}
	if d, err := feed.Detect("2026-11-20-scan_rdp-az-geo.csv", []byte(rdpHeader)); err != nil || d.Name != s.Name {
		t.Errorf("Detect: got %q, %v", d.Name, err)
	}
	if s.Recognise("2026-11-20-scan_nope-az-geo.csv", nil) {
		t.Error("Recognise an unknown report type: got true")
	}
}

// genRDP writes n scan_rdp rows, addresses varied.
func genRDP(w io.Writer, n int) {
	io.WriteString(w, `"timestamp","ip","protocol","port","hostname","tag","handshake","asn","geo","region","city","naics","sic","rdp_protocol","cert_length","issuer","subject","sha1_fingerprint","sector"`+"\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(w, `"2026-11-20 %02d:%02d:%02d","10.%d.%d.%d","tcp",3389,"host-%d.example.az","rdp","",64496,"AZ","BAKI","BAKU",517311,0,"RDP",2048,"CN=host","CN=host","AB:CD:EF:01","Communications"`+"\n",
			i/3600%24, i/60%60, i%60, i>>16&255, i>>8&255, i&255, i)
	}
}

// BenchmarkParseRDP parses a generated 100,000-row scan_rdp report and
// reports events/s (with JSON encoding of each event, as qalxan parse does).
func BenchmarkParseRDP(b *testing.B) {
	const rows = 100_000
	var sb strings.Builder
	genRDP(&sb, rows)
	data := sb.String()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var buf []byte
	for b.Loop() {
		st, err := (&Parser{}).Parse(context.Background(), strings.NewReader(data), feed.Report{FileName: "2026-11-20-scan_rdp-az-geo.csv"}, func(e *event.Event) error {
			buf = e.AppendJSON(buf[:0])
			return nil
		})
		if err != nil || st.Events != rows {
			b.Fatalf("got %d events, %v", st.Events, err)
		}
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "events/s")
}

func FuzzParse(f *testing.F) {
	samples, _ := filepath.Glob("testdata/*.csv")
	for _, s := range samples {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(TypeFromFileName(s), data)
	}
	f.Fuzz(func(t *testing.T, reportType string, data []byte) {
		p := &Parser{ReportType: reportType}
		st, err := p.Parse(context.Background(), strings.NewReader(string(data)), feed.Report{}, func(e *event.Event) error {
			if !jsonValid(e.AppendJSON(nil)) {
				t.Fatalf("invalid JSON event %s", e.AppendJSON(nil))
			}
			return nil
		})
		if err == nil && st.Events+st.Bad != st.Rows {
			t.Fatalf("rows %d != events %d + bad %d", st.Rows, st.Events, st.Bad)
		}
		parseBothWays(t, reportType, data)
	})
}

// TestRawAcrossBuffers checks raw on a report of several blocks, with CRLF
// line ends and a newline in a quoted field (part of the record, not the
// end of it).
func TestRawAcrossBuffers(t *testing.T) {
	var sb strings.Builder
	genRDP(&sb, 5000)
	data := strings.ReplaceAll(sb.String(), "\n", "\r\n")
	data = strings.Replace(data, `"CN=host","CN=host"`, "\"CN=ho\nst\",\"CN=host\"", 1)
	lines := strings.Split(strings.TrimSuffix(data, "\r\n"), "\r\n")
	header := lines[0]
	records := lines[1:] // the quoted newline is not a line end
	i := 0
	st, err := (&Parser{}).Parse(context.Background(), strings.NewReader(data), feed.Report{FileName: "scan_rdp.csv"}, func(e *event.Event) error {
		raw, _ := e.Get("raw")
		got, err := base64.StdEncoding.DecodeString(raw)
		if err != nil {
			return err
		}
		if want := header + "\n" + records[i]; string(got) != want {
			return fmt.Errorf("event %d: raw %q, want %q", i, got, want)
		}
		i++
		return nil
	})
	if err != nil || st.Events != len(records) {
		t.Fatalf("got %d events of %d, %v", st.Events, len(records), err)
	}
}

// TestWorkersAgree parses a report of many blocks, with bad rows and
// quoted line breaks among them, with one worker and with three: the
// events, their order, their lines and the bad rows must be the same.
func TestWorkersAgree(t *testing.T) {
	var sb strings.Builder
	genRDP(&sb, 20_000)
	lines := strings.SplitAfter(sb.String(), "\n")
	for i := 1; i < len(lines); i += 997 {
		lines[i] = strings.Replace(lines[i], `"2026-11-20 `, `"someday `, 1) // a time that does not parse: a bad row
	}
	for i := 5; i < len(lines); i += 1201 {
		lines[i] = strings.Replace(lines[i], `"CN=host"`, "\"CN=\nhost\"", 1)
	}
	data := strings.Join(lines, "")
	parse := func(workers int) (events []string, bad []feed.BadRow) {
		rep := feed.Report{FileName: "2026-11-20-scan_rdp-az-geo.csv", OnBad: func(b feed.BadRow) { bad = append(bad, b) }}
		st, err := (&Parser{Workers: workers}).Parse(context.Background(), strings.NewReader(data), rep, func(e *event.Event) error {
			events = append(events, fmt.Sprintf("%d %s", e.Line, e.AppendJSON(nil)))
			return nil
		})
		if err != nil || st.Rows != 20_000 || st.Events+st.Bad != st.Rows {
			t.Fatalf("%d workers: %+v, %v", workers, st, err)
		}
		return events, bad
	}
	events1, bad1 := parse(1)
	events3, bad3 := parse(3)
	if len(bad1) != 21 || !slices.Equal(bad1, bad3) {
		t.Fatalf("bad rows differ or are not the 21 made:\n%v\n%v", bad1, bad3)
	}
	if bad1[1].Line != 1000 {
		t.Fatalf("the second bad row is on line %d, want 1000 (row 999 of the file, after one quoted line break)", bad1[1].Line)
	}
	if !slices.Equal(events1, events3) {
		t.Fatal("the events of one worker and of three differ")
	}
}
