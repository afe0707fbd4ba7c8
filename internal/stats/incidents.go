package stats

import (
	"slices"
	"time"
)

// Incident statistics: what the CERT publishes about the cases it worked
// ("January 2026: 125 incidents registered; +84 % compared to January
// 2025"). What each figure counts, precisely:
//
//   - Opened: incidents opened (created) in the period, leaving out those
//     rejected or marked duplicate since (they were not incidents).
//   - Resolved: incidents resolved in the period (resolved_at), whatever
//     happened to them afterwards, with the same exclusions.
//   - Time to triage, contain and resolve: from when the incident was
//     first reported (the first report's arrival; its opening when an
//     analyst opened it) to when it was triaged, contained, resolved, of
//     the incidents triaged (contained, resolved) in the period.
//   - Time to take down: from a take-down request's sending to its
//     "done", of the requests done in the period.
//
// Times are counted in whole seconds into a histogram (DurationBuckets):
// the mean is exact, the median and the 90th percentile are estimated
// within their bucket, so a month and a year are read from monthly
// aggregates, never from every incident.

// DurationBuckets are the upper bounds, in seconds, of the histogram's
// buckets; the last bucket has none: 5, 15, 30 minutes, 1, 2, 4, 8, 12
// hours, 1, 2, 3, 5, 7, 14, 30, 60, 90 days. Storage keeps the same
// bounds in a table (istats_buckets); a test holds them equal.
var DurationBuckets = []int64{300, 900, 1800, 3600, 7200, 14400, 28800, 43200, 86400, 172800, 259200, 432000,
	604800, 1209600, 2592000, 5184000, 7776000}

// BucketOf is the bucket of a duration of secs seconds.
func BucketOf(secs int64) int {
	i, _ := slices.BinarySearch(DurationBuckets, secs+1)
	return i
}

// Histogram is a set of durations: how many fell in each bucket and
// their sum in seconds.
type Histogram struct {
	N    [18]int64
	Secs [18]int64
}

// Add counts a duration in.
func (h *Histogram) Add(secs int64) {
	secs = max(0, secs)
	b := BucketOf(secs)
	h.N[b]++
	h.Secs[b] += secs
}

// AddBucket adds n durations of sum secs in bucket b (an aggregate's row).
func (h *Histogram) AddBucket(b int, n, secs int64) {
	if b < 0 || b >= len(h.N) {
		return
	}
	h.N[b] += n
	h.Secs[b] += secs
}

// Count is how many durations it holds.
func (h *Histogram) Count() int64 {
	var n int64
	for _, v := range h.N {
		n += v
	}
	return n
}

// Quantile estimates the q-quantile (0 < q < 1) in seconds: the bucket
// holding it is found exactly, and the value is interpolated linearly
// over the part of the bucket symmetric around the mean of what fell in
// it (the whole bucket when they are spread evenly); when the bucket
// holds one value, or is the last, unbounded one, it is the bucket's mean.
// It is -1 when the histogram is empty.
func (h *Histogram) Quantile(q float64) float64 {
	n := h.Count()
	if n == 0 {
		return -1
	}
	rank := q * float64(n)
	var before int64
	for b, c := range h.N {
		if c == 0 || float64(before+c) < rank {
			before += c
			continue
		}
		if b == len(h.N)-1 || c == 1 {
			return float64(h.Secs[b]) / float64(c)
		}
		lo := int64(0)
		if b > 0 {
			lo = DurationBuckets[b-1]
		}
		hi := DurationBuckets[b]
		mean := float64(h.Secs[b]) / float64(c)
		from, to := max(float64(lo), 2*mean-float64(hi)), min(float64(hi), 2*mean-float64(lo))
		return from + (rank-float64(before))/float64(c)*(to-from)
	}
	return -1
}

// Duration is a "time to" figure of a period, in hours.
type Duration struct {
	Count       int64    `json:"count"`
	MedianHours *float64 `json:"median_hours"` // estimated (see Histogram.Quantile); nil when Count is 0
	P90Hours    *float64 `json:"p90_hours"`
	MeanHours   *float64 `json:"mean_hours"`
}

// DurationOf summarises a histogram.
func DurationOf(h *Histogram) Duration {
	d := Duration{Count: h.Count()}
	if d.Count == 0 {
		return d
	}
	var sum int64
	for _, s := range h.Secs {
		sum += s
	}
	toH := func(secs float64) *float64 {
		v := round1(secs / 3600)
		return &v
	}
	d.MedianHours = toH(h.Quantile(0.5))
	d.P90Hours = toH(h.Quantile(0.9))
	d.MeanHours = toH(float64(sum) / float64(d.Count))
	return d
}

// Measures name the "time to" figures, in the order reports show them.
var Measures = []string{"triage", "contain", "resolve", "takedown"}

// IncidentSummary is a period's incident figures.
type IncidentSummary struct {
	Period         Period    `json:"period"`
	From           time.Time `json:"from"`
	To             time.Time `json:"to"` // exclusive
	Opened         int       `json:"incidents_opened"`
	Resolved       int       `json:"incidents_resolved"`
	TimeToTriage   Duration  `json:"time_to_triage"`
	TimeToContain  Duration  `json:"time_to_contain"`
	TimeToResolve  Duration  `json:"time_to_resolve"`
	TimeToTakedown Duration  `json:"time_to_takedown"`
}

// SetDurations fills the "time to" figures from a histogram per measure.
func (s *IncidentSummary) SetDurations(h map[string]*Histogram) {
	get := func(m string) Duration {
		if x := h[m]; x != nil {
			return DurationOf(x)
		}
		return Duration{}
	}
	s.TimeToTriage, s.TimeToContain, s.TimeToResolve, s.TimeToTakedown = get("triage"), get("contain"), get("resolve"), get("takedown")
}

// IncidentRow is one line of a breakdown (a type, an identifier, a
// channel, a severity, an organisation): the incidents opened in the
// period, the period before and a year earlier, with the changes.
type IncidentRow struct {
	Key           string `json:"key"`
	Name          string `json:"name,omitempty"` // an organisation's name
	Opened        int    `json:"incidents_opened"`
	Resolved      int    `json:"incidents_resolved"`
	Previous      int    `json:"previous"`
	YearEarlier   int    `json:"year_earlier"`
	VsPrevious    Change `json:"change_vs_previous"`
	VsYearEarlier Change `json:"change_vs_year_earlier"`
}

// IncidentPoint is one month of the monthly series.
type IncidentPoint struct {
	Month    Period `json:"month"`
	Opened   int    `json:"incidents_opened"`
	Resolved int    `json:"incidents_resolved"`
}

// IncidentChanges are a summary's counts against a base summary.
type IncidentChanges struct {
	Against  Period `json:"against"`
	Opened   Change `json:"incidents_opened"`
	Resolved Change `json:"incidents_resolved"`
}

// IncidentReport is everything published about a period's incidents.
type IncidentReport struct {
	IncidentSummary
	Org           string          `json:"org,omitempty"`
	Generated     time.Time       `json:"generated_at"`
	Previous      IncidentSummary `json:"previous"`
	YearEarlier   IncidentSummary `json:"year_earlier"`
	VsPrevious    IncidentChanges `json:"change_vs_previous"`
	VsYearEarlier IncidentChanges `json:"change_vs_year_earlier"`
	// Breakdowns of the incidents opened: per RSIT taxonomy/type, per
	// identifier (the scheme: vishing, fake-shop ...), per channel, per
	// severity and per organisation affected (an incident affecting two
	// counts in both).
	ByType         []IncidentRow   `json:"by_type"`
	ByIdentifier   []IncidentRow   `json:"by_identifier"`
	ByChannel      []IncidentRow   `json:"by_channel"`
	BySeverity     []IncidentRow   `json:"by_severity"`
	ByOrganisation []IncidentRow   `json:"by_organisation"`
	Monthly        []IncidentPoint `json:"monthly"`
}

// Compare fills the changes of the summaries and of every breakdown row.
func (r *IncidentReport) Compare() {
	r.VsPrevious = IncidentChanges{Against: r.Previous.Period, Opened: Compare(r.Opened, r.Previous.Opened), Resolved: Compare(r.Resolved, r.Previous.Resolved)}
	r.VsYearEarlier = IncidentChanges{Against: r.YearEarlier.Period, Opened: Compare(r.Opened, r.YearEarlier.Opened), Resolved: Compare(r.Resolved, r.YearEarlier.Resolved)}
	for _, rows := range [][]IncidentRow{r.ByType, r.ByIdentifier, r.ByChannel, r.BySeverity, r.ByOrganisation} {
		for i := range rows {
			rows[i].VsPrevious = Compare(rows[i].Opened, rows[i].Previous)
			rows[i].VsYearEarlier = Compare(rows[i].Opened, rows[i].YearEarlier)
		}
	}
}

// SortIncidentRows orders a breakdown by incidents opened, then the
// period before, then key: the largest first, ties stable.
func SortIncidentRows(rows []IncidentRow) {
	slices.SortFunc(rows, func(a, b IncidentRow) int {
		switch {
		case a.Opened != b.Opened:
			return b.Opened - a.Opened
		case a.Previous != b.Previous:
			return b.Previous - a.Previous
		case a.YearEarlier != b.YearEarlier:
			return b.YearEarlier - a.YearEarlier
		case a.Key < b.Key:
			return -1
		case a.Key > b.Key:
			return 1
		}
		return 0
	})
}

// SecondsBetween is whole seconds from a to b as storage counts them:
// each time's whole seconds, subtracted, never below 0.
func SecondsBetween(a, b time.Time) int64 {
	return max(0, b.Unix()-a.Unix())
}
