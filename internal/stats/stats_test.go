package stats

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/errs"
)

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in, want, prev, yearEarlier string
		from, to                    string
	}{
		{"2024-01", "2024-01", "2023-12", "2023-01", "2024-01-01", "2024-02-01"},
		{"2024-12", "2024-12", "2024-11", "2023-12", "2024-12-01", "2025-01-01"},
		{"2024-q1", "2024-Q1", "2023-Q4", "2023-Q1", "2024-01-01", "2024-04-01"},
		{" 2024-Q3 ", "2024-Q3", "2024-Q2", "2023-Q3", "2024-07-01", "2024-10-01"},
		{"2024", "2024", "2023", "2023", "2024-01-01", "2025-01-01"},
	}
	for _, tc := range tests {
		p, err := ParsePeriod(tc.in)
		if err != nil {
			t.Errorf("%q: got %v", tc.in, err)
			continue
		}
		if p.String() != tc.want || p.Previous().String() != tc.prev || p.YearEarlier().String() != tc.yearEarlier {
			t.Errorf("%q: got %s (previous %s, a year earlier %s), want %s (%s, %s)", tc.in, p, p.Previous(), p.YearEarlier(), tc.want, tc.prev, tc.yearEarlier)
		}
		from, to := p.Bounds(nil)
		if from.Format(time.DateOnly) != tc.from || to.Format(time.DateOnly) != tc.to || from.Location() != time.UTC {
			t.Errorf("%q: got bounds %v – %v, want %s – %s UTC", tc.in, from, to, tc.from, tc.to)
		}
	}
	for _, bad := range []string{"", "24-01", "2024-13", "2024-00", "2024-Q5", "2024-Q", "2024-1", "January", "2024-01-01"} {
		if _, err := ParsePeriod(bad); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("%q: got %v, want invalid", bad, err)
		}
	}
	baku := time.FixedZone("+04", 4*3600)
	from, _ := Period{Kind: Month, Year: 2024, N: 1}.Bounds(baku)
	if want := time.Date(2023, 12, 31, 20, 0, 0, 0, time.UTC); !from.Equal(want) {
		t.Errorf("January 2024 in Baku starts at %v, want %v", from, want)
	}
	p, _ := ParsePeriod("2024-Q1")
	if got := p.LastMonths(12); len(got) != 12 || got[0].String() != "2023-04" || got[11].String() != "2024-03" {
		t.Errorf("last 12 months of 2024-Q1: got %v", got)
	}
	if got := p.Months(); len(got) != 3 || got[2].String() != "2024-03" {
		t.Errorf("months of 2024-Q1: got %v", got)
	}
	var q struct{ P Period }
	if err := json.Unmarshal([]byte(`{"P":"2025-02"}`), &q); err != nil || q.P.String() != "2025-02" {
		t.Errorf("JSON: got %v, %v", q.P, err)
	}
}

func TestChange(t *testing.T) {
	tests := []struct {
		cur, base int
		want      string
	}{
		{125, 68, "+84 %"},
		{34, 68, "−50 %"},
		{68, 68, "±0 %"},
		{5, 0, "new"},
		{0, 0, "±0"},
	}
	for _, tc := range tests {
		c := Compare(tc.cur, tc.base)
		if c.String() != tc.want || c.Abs != tc.cur-tc.base {
			t.Errorf("%d against %d: got %s (%d), want %s", tc.cur, tc.base, c, c.Abs, tc.want)
		}
	}
	if b, _ := json.Marshal(Compare(5, 0)); string(b) != `{"abs":5,"pct":null}` {
		t.Errorf("JSON of a change from 0: got %s", b)
	}
}

func TestRemediationAndSLA(t *testing.T) {
	var s Summary
	s.SetRemediation(nil)
	s.SetSLA(0, 0)
	if s.MedianHoursToRemediate != nil || s.SLACompliance != nil {
		t.Errorf("nothing closed: got %v, %v; want both undefined", s.MedianHoursToRemediate, s.SLACompliance)
	}
	s.SetRemediation([]time.Duration{48 * time.Hour, 2 * time.Hour, 10 * time.Hour, 4 * time.Hour})
	if *s.MedianHoursToRemediate != 7 || *s.MeanHoursToRemediate != 16 {
		t.Errorf("got median %v, mean %v; want 7 and 16", *s.MedianHoursToRemediate, *s.MeanHoursToRemediate)
	}
	s.SetSLA(3, 2)
	if *s.SLACompliance != 66.7 {
		t.Errorf("SLA: got %v, want 66.7", *s.SLACompliance)
	}
}

func TestHeadline(t *testing.T) {
	jan, _ := ParsePeriod("2024-01")
	r := &Report{Summary: Summary{Period: jan, ResourcesWithGaps: 68, OrganisationsWithGaps: 23},
		YearEarlier: Summary{Period: jan.YearEarlier(), ResourcesWithGaps: 37}, Previous: Summary{Period: jan.Previous()}}
	r.Compare()
	want := map[string]string{
		"en": "January 2024: security gaps identified in 68 information resources of 23 organisations; +84 % compared to January 2023.",
		"az": "Yanvar 2024: 23 qurumun 68 informasiya resursunda təhlükəsizlik boşluqları aşkar edilib; Yanvar 2023 ilə müqayisədə +84 %.",
		"ru": "Январь 2024 г.: выявлены уязвимости в 68 информационных ресурсах 23 организаций; +84 % по сравнению с январём 2023 г.",
	}
	for lang, w := range want {
		if got := Headline(r, lang); got != w {
			t.Errorf("%s: got\n%s\nwant\n%s", lang, got, w)
		}
	}
	// A base of nothing: no percentage, and Russian agreement with 21 and 1.
	q, _ := ParsePeriod("2024-Q2")
	r = &Report{Summary: Summary{Period: q, ResourcesWithGaps: 21, OrganisationsWithGaps: 1}, YearEarlier: Summary{Period: q.YearEarlier()}}
	r.Compare()
	for lang, w := range map[string]string{
		"en": "Q2 2024: security gaps identified in 21 information resources of 1 organisation; none in Q2 2023.",
		"az": "II rüb 2024: 1 qurumun 21 informasiya resursunda təhlükəsizlik boşluqları aşkar edilib; II rüb 2023 dövründə aşkar edilməmişdi.",
		"ru": "II квартал 2024 г.: выявлены уязвимости в 21 информационном ресурсе 1 организации; в II квартале 2023 г. уязвимости не выявлялись.",
	} {
		if got := Headline(r, lang); got != w {
			t.Errorf("%s: got\n%s\nwant\n%s", lang, got, w)
		}
	}
	r = &Report{Summary: Summary{Period: Period{Kind: Year, Year: 2025}}}
	if got := Headline(r, "ru"); !strings.HasPrefix(got, "2025 г.: уязвимости не выявлены") {
		t.Errorf("nothing found, ru: got %q", got)
	}
}
