package shadowserver

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/event"
	"github.com/qalxan/qalxan/internal/feed"
)

// parseBothWays parses data with a plan and without one and fails t unless
// the events (with their lines), the bad rows and the error are the same.
func parseBothWays(t testing.TB, reportType string, data []byte) {
	t.Helper()
	parse := func(plain bool) (events []string, bad []feed.BadRow, err error) {
		rep := feed.Report{FileName: reportType + ".csv", OnBad: func(b feed.BadRow) { bad = append(bad, b) }}
		_, err = (&Parser{ReportType: reportType, plain: plain}).Parse(context.Background(), strings.NewReader(string(data)), rep, func(e *event.Event) error {
			events = append(events, fmt.Sprintf("%d %s", e.Line, e.AppendJSON(nil)))
			return nil
		})
		return events, bad, err
	}
	planned, badPlanned, errPlanned := parse(false)
	if testing.Verbose() {
		t.Logf("%s: %d events, %d bad rows", reportType, len(planned), len(badPlanned))
	}
	plain, badPlain, errPlain := parse(true)
	if fmt.Sprint(errPlanned) != fmt.Sprint(errPlain) {
		t.Fatalf("%s: error with a plan %v, without %v", reportType, errPlanned, errPlain)
	}
	if !slices.Equal(badPlanned, badPlain) {
		t.Fatalf("%s: bad rows with a plan %v, without %v", reportType, badPlanned, badPlain)
	}
	for i := range max(len(planned), len(plain)) {
		var a, b string
		if i < len(planned) {
			a = planned[i]
		}
		if i < len(plain) {
			b = plain[i]
		}
		if a != b {
			t.Fatalf("%s: event %d with a plan:\n%s\nwithout:\n%s", reportType, i, a, b)
		}
	}
}

// TestPlanAgrees checks that building by plan gives what building the
// plain way gives, on every sample and on a report with bad rows, values
// that do not validate and columns left over.
func TestPlanAgrees(t *testing.T) {
	samples, _ := filepath.Glob("testdata/*.csv")
	for _, s := range samples {
		data, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		parseBothWays(t, TypeFromFileName(s), data)
	}
	var sb strings.Builder
	genRDP(&sb, 3000)
	lines := strings.SplitAfter(sb.String(), "\n")
	lines[0] = strings.TrimSuffix(lines[0], "\n") + `,"severity","extra_col"` + "\n"
	for i := 1; i < len(lines)-1; i++ {
		l := strings.TrimSuffix(lines[i], "\n")
		switch i % 7 {
		case 1:
			l = strings.Replace(l, `"2026-11-20 `, `"someday `, 1) // required: does not convert
		case 2:
			l = strings.Replace(l, `"tcp"`, `"t cp"`, 1) // shadowed by a constant
		case 3:
			l = strings.Replace(l, `,"AZ",`, `,"AZE",`, 1) // optional: does not validate, kept in extra
		case 4:
			l = strings.Replace(l, `"10.`, `"0.0.0.0`, 1) // required: no value, the column kept in extra
		case 5:
			l = strings.Replace(l, `,64496,`, `,x,`, 1) // optional: does not convert
		}
		lines[i] = l + fmt.Sprintf(",%q,%q\n", []string{"", "high", "-"}[i%3], []string{"", "x", "N/A", "y"}[i%4])
	}
	parseBothWays(t, "scan_rdp", []byte(strings.Join(lines, "")))
}
