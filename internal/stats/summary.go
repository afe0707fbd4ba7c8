package stats

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// Summary is a period in figures. What each figure counts, precisely:
//
//   - FindingsOpened: findings first seen in the period (a gap is a
//     finding: one weakness on one resource of one organisation).
//   - ResourcesWithGaps, "information resources with gaps identified in
//     the period": distinct (organisation, resource) pairs among the
//     findings opened in the period. A resource is what a finding names:
//     an address and port, a host name or a URL.
//   - OrganisationsWithGaps: distinct organisations among them.
//   - FindingsClosed: findings whose fix was verified (closed_at) in the
//     period, whatever happened to them afterwards.
//   - StillOpen: findings first seen before the end of the period and
//     neither resolved nor closed by then, leaving out accepted risks and
//     disputed findings (read from the findings' own dates, not replayed
//     from their history).
//   - NoticesSent: notices sent (sent_at) in the period.
//   - Time to remediate, of the findings closed in the period: from first
//     seen to fixed, where fixed is when the owner marked it resolved (or
//     when it was closed, when it never was, or was resolved again only
//     after the close).
//   - SLA: of the findings closed in the period that had a due date, how
//     many were fixed by it.
type Summary struct {
	Period                Period    `json:"period"`
	From                  time.Time `json:"from"`
	To                    time.Time `json:"to"` // exclusive
	ResourcesWithGaps     int       `json:"resources_with_gaps"`
	OrganisationsWithGaps int       `json:"organisations_with_gaps"`
	FindingsOpened        int       `json:"findings_opened"`
	FindingsClosed        int       `json:"findings_closed"`
	StillOpen             int       `json:"still_open"`
	NoticesSent           int       `json:"notices_sent"`
	// Hours from first seen to fixed; nil when nothing was closed.
	MedianHoursToRemediate *float64 `json:"median_hours_to_remediate"`
	MeanHoursToRemediate   *float64 `json:"mean_hours_to_remediate"`
	SLADue                 int      `json:"sla_due"` // closed in the period and had a due date
	SLAMet                 int      `json:"sla_met"` // of those, fixed by the due date
	// SLACompliance is SLAMet in percent of SLADue; nil when SLADue is 0.
	SLACompliance *float64 `json:"sla_compliance_pct"`
}

// SetRemediation fills the time-to-remediate figures from the durations
// of the findings closed in the period.
func (s *Summary) SetRemediation(ds []time.Duration) {
	s.MedianHoursToRemediate, s.MeanHoursToRemediate = nil, nil
	if len(ds) == 0 {
		return
	}
	ds = slices.Clone(ds)
	slices.Sort(ds)
	med := ds[len(ds)/2]
	if len(ds)%2 == 0 {
		med = ds[len(ds)/2-1]/2 + ds[len(ds)/2]/2 + (ds[len(ds)/2-1]%2+ds[len(ds)/2]%2)/2
	}
	s.MedianHoursToRemediate = hours(med)
	s.MeanHoursToRemediate = hours(meanDuration(ds))
}

// meanDuration is the mean of durations of at least 0, rounded down,
// summed in whole seconds and nanoseconds apart: half a million findings
// closed after a week each add up to more than a time.Duration holds.
func meanDuration(ds []time.Duration) time.Duration {
	var secs, nanos int64
	for _, d := range ds {
		secs += int64(d / time.Second)
		nanos += int64(d % time.Second)
	}
	n := int64(len(ds))
	return time.Duration(secs/n)*time.Second + time.Duration(((secs%n)*int64(time.Second)+nanos)/n)
}

// SetSLA fills the SLA figures.
func (s *Summary) SetSLA(due, met int) {
	s.SLADue, s.SLAMet, s.SLACompliance = due, met, nil
	if due > 0 {
		p := round1(float64(met) * 100 / float64(due))
		s.SLACompliance = &p
	}
}

func hours(d time.Duration) *float64 {
	h := round1(d.Hours())
	return &h
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

// Change is a figure against a base: the difference and the difference in
// percent of the base. Pct is nil when the base is 0 (a figure that was
// nothing before is "new", not infinitely larger).
type Change struct {
	Abs int      `json:"abs"`
	Pct *float64 `json:"pct"`
}

// Compare is the change from base to cur.
func Compare(cur, base int) Change {
	c := Change{Abs: cur - base}
	if base != 0 {
		p := round1(float64(cur-base) * 100 / float64(base))
		c.Pct = &p
	}
	return c
}

// String is "+84 %", "−12 %", "±0 %", or "new" when the base was 0 and
// the figure is not ("±0" when both are 0).
func (c Change) String() string {
	if c.Pct == nil {
		if c.Abs == 0 {
			return "±0"
		}
		return "new"
	}
	p := math.Round(*c.Pct)
	switch {
	case p > 0:
		return fmt.Sprintf("+%.0f %%", p)
	case p < 0:
		return fmt.Sprintf("−%.0f %%", -p)
	}
	return "±0 %"
}

// Changes are the headline figures of a summary against a base summary.
type Changes struct {
	Against               Period `json:"against"`
	ResourcesWithGaps     Change `json:"resources_with_gaps"`
	OrganisationsWithGaps Change `json:"organisations_with_gaps"`
	FindingsOpened        Change `json:"findings_opened"`
	FindingsClosed        Change `json:"findings_closed"`
	StillOpen             Change `json:"still_open"`
	NoticesSent           Change `json:"notices_sent"`
}

// CompareSummaries is cur against base.
func CompareSummaries(cur, base Summary) Changes {
	return Changes{
		Against:               base.Period,
		ResourcesWithGaps:     Compare(cur.ResourcesWithGaps, base.ResourcesWithGaps),
		OrganisationsWithGaps: Compare(cur.OrganisationsWithGaps, base.OrganisationsWithGaps),
		FindingsOpened:        Compare(cur.FindingsOpened, base.FindingsOpened),
		FindingsClosed:        Compare(cur.FindingsClosed, base.FindingsClosed),
		StillOpen:             Compare(cur.StillOpen, base.StillOpen),
		NoticesSent:           Compare(cur.NoticesSent, base.NoticesSent),
	}
}

// Row is one line of a breakdown: an organisation, a sector, an
// identifier or a taxonomy, with the findings of the period it accounts
// for. Resources and Orgs count distinct ones among the opened findings.
type Row struct {
	Key       string `json:"key"`            // short name, sector, identifier, taxonomy
	Name      string `json:"name,omitempty"` // the organisation's name; the sector of an organisation
	Opened    int    `json:"findings_opened"`
	Resources int    `json:"resources_with_gaps"`
	Orgs      int    `json:"organisations_with_gaps"`
	Closed    int    `json:"findings_closed"`
	StillOpen int    `json:"still_open"`
}

// Point is one month of the monthly series.
type Point struct {
	Month  Period `json:"month"`
	Opened int    `json:"findings_opened"`
	Closed int    `json:"findings_closed"`
}

// Report is everything published about a period: its summary, the same
// figures for the period before and a year earlier with the changes, the
// breakdowns, and the twelve months up to the period's end.
type Report struct {
	Summary                  // period, from, to and the figures, at the top level
	Org            string    `json:"org,omitempty"` // short name when limited to one organisation
	Generated      time.Time `json:"generated_at"`
	Previous       Summary   `json:"previous"`
	YearEarlier    Summary   `json:"year_earlier"`
	VsPrevious     Changes   `json:"change_vs_previous"`
	VsYearEarlier  Changes   `json:"change_vs_year_earlier"`
	ByOrganisation []Row     `json:"by_organisation"`
	BySector       []Row     `json:"by_sector"`
	ByIdentifier   []Row     `json:"by_identifier"`
	ByTaxonomy     []Row     `json:"by_taxonomy"`
	Monthly        []Point   `json:"monthly"`
}

// Compare fills the changes from the three summaries.
func (r *Report) Compare() {
	r.VsPrevious = CompareSummaries(r.Summary, r.Previous)
	r.VsYearEarlier = CompareSummaries(r.Summary, r.YearEarlier)
}

// SortRows orders a breakdown by findings opened, then resources, then
// key: the largest first, ties stable.
func SortRows(rows []Row) {
	slices.SortFunc(rows, func(a, b Row) int {
		if a.Opened != b.Opened {
			return b.Opened - a.Opened
		}
		if a.Resources != b.Resources {
			return b.Resources - a.Resources
		}
		if a.Closed != b.Closed {
			return b.Closed - a.Closed
		}
		if a.Key < b.Key {
			return -1
		}
		if a.Key > b.Key {
			return 1
		}
		return 0
	})
}
