package stats

import (
	"strings"
	"testing"
	"time"
)

func TestBucketOf(t *testing.T) {
	for _, tc := range []struct {
		secs int64
		want int
	}{{0, 0}, {299, 0}, {300, 1}, {899, 1}, {3600, 4}, {86399, 8}, {86400, 9}, {7775999, 16}, {7776000, 17}, {1 << 40, 17}} {
		if got := BucketOf(tc.secs); got != tc.want {
			t.Errorf("%d s: got bucket %d, want %d", tc.secs, got, tc.want)
		}
	}
}

func TestHistogramQuantiles(t *testing.T) {
	var h Histogram
	if d := DurationOf(&h); d.Count != 0 || d.MedianHours != nil || d.P90Hours != nil || d.MeanHours != nil {
		t.Errorf("empty: got %+v, want nothing", d)
	}
	h.Add(4 * 3600) // one value: the estimate is the value
	if d := DurationOf(&h); *d.MedianHours != 4 || *d.P90Hours != 4 || *d.MeanHours != 4 {
		t.Errorf("one of 4 h: got median %v, p90 %v, mean %v; want 4, 4, 4", *d.MedianHours, *d.P90Hours, *d.MeanHours)
	}
	// 100 values spread evenly over 1–2 days: the estimates are within
	// a few percent of the exact ones (1.5 days, 1.9 days).
	h = Histogram{}
	for i := range 100 {
		h.Add(86400 + int64(i)*864)
	}
	d := DurationOf(&h)
	if *d.MedianHours < 35 || *d.MedianHours > 37 || *d.P90Hours < 44.5 || *d.P90Hours > 46.5 {
		t.Errorf("1–2 days: got median %v h, p90 %v h; want about 36 and 45.6", *d.MedianHours, *d.P90Hours)
	}
	// Beyond the last bound: the bucket's mean.
	h = Histogram{}
	h.Add(100 * 86400)
	h.Add(200 * 86400)
	if d := DurationOf(&h); *d.MedianHours != 3600 {
		t.Errorf("100 and 200 days: got median %v h, want 3600", *d.MedianHours)
	}
	if got := SecondsBetween(time.Unix(10, 900), time.Unix(5, 0)); got != 0 {
		t.Errorf("a negative time: got %d, want 0", got)
	}
}

func TestIncidentHeadline(t *testing.T) {
	jan, _ := ParsePeriod("2026-01")
	r := &IncidentReport{IncidentSummary: IncidentSummary{Period: jan, Opened: 125},
		YearEarlier: IncidentSummary{Period: jan.YearEarlier(), Opened: 68}, Previous: IncidentSummary{Period: jan.Previous()}}
	r.Compare()
	for lang, want := range map[string]string{
		"en": "January 2026: 125 incidents registered; +84 % compared to January 2025.",
		"az": "Yanvar 2026: 125 insident qeydə alınıb; Yanvar 2025 ilə müqayisədə +84 %.",
		"ru": "Январь 2026 г.: зарегистрировано 125 инцидентов; +84 % по сравнению с январём 2025 г.",
	} {
		if got := IncidentHeadline(r, lang); got != want {
			t.Errorf("%s: got\n%s\nwant\n%s", lang, got, want)
		}
	}
	for n, want := range map[int]string{1: "зарегистрирован 1 инцидент;", 22: "зарегистрировано 22 инцидента;", 12: "зарегистрировано 12 инцидентов;"} {
		r.Opened = n
		r.Compare()
		if got := IncidentHeadline(r, "ru"); !strings.Contains(got, want) {
			t.Errorf("ru, %d: got %q, want it to say %q", n, got, want)
		}
	}
	r.Opened, r.YearEarlier.Opened = 3, 0
	r.Compare()
	if got := IncidentHeadline(r, "en"); got != "January 2026: 3 incidents registered; none in January 2025." {
		t.Errorf("from nothing: got %q", got)
	}
	r.Opened = 0
	if got := IncidentHeadline(r, "az"); got != "Yanvar 2026: insident qeydə alınmayıb." {
		t.Errorf("nothing, az: got %q", got)
	}
}

func TestWriteIncidents(t *testing.T) {
	jan, _ := ParsePeriod("2026-01")
	h := &Histogram{}
	h.Add(4 * 3600)
	r := &IncidentReport{IncidentSummary: IncidentSummary{Period: jan, Opened: 2},
		Previous: IncidentSummary{Period: jan.Previous(), Opened: 1}, YearEarlier: IncidentSummary{Period: jan.YearEarlier(), Opened: 1},
		ByChannel: []IncidentRow{{Key: "web", Opened: 2, Previous: 1}}, ByIdentifier: []IncidentRow{{Key: "=cmd", Opened: 1}}}
	r.SetDurations(map[string]*Histogram{"triage": h})
	r.Compare()
	var b strings.Builder
	if err := WriteIncidents(&b, r, "csv", "en"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"summary,2026-01,,2,1,1,100.0,100.0,0", "time_to_triage,2026-01,,,,,,,,1,4.0,4.0,4.0", "channel,web,,2,1,0,100.0,", "identifier,'=cmd,"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("CSV: got\n%s\nwant a line with %q", b.String(), want)
		}
	}
	b.Reset()
	if err := WriteIncidents(&b, r, "text", "ru"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Январь 2026 г.: зарегистрировано 2 инцидента", "Время до первичной оценки", "Веб-форма", "4,0 ч"} {
		if !strings.Contains(b.String(), want) && !(want == "4,0 ч" && strings.Contains(b.String(), "4.0 ч")) {
			t.Errorf("text, ru: got\n%s\nwant %q in it", b.String(), want)
		}
	}
	if err := WriteIncidents(&b, r, "xml", "en"); err == nil {
		t.Error("format xml: got no error, want one")
	}
}
