package storage

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/incident"
	"github.com/qalxan/qalxan/internal/stats"
)

// IncidentStats counts the incidents of a period, the period before and
// the same period a year earlier, within the scope: opened and resolved,
// the times to triage, contain, resolve and take down (stats.Duration),
// breakdowns per type, identifier, channel, severity and organisation
// with their changes, and the twelve months up to the period's end. An
// agency's scope sees only the incidents of its organisations.
//
// The figures come from the monthly aggregates (migration 0017) when the
// periods are UTC months and one set of aggregate rows answers the scope:
// staff (every incident once), one organisation, or an agency bound to
// one. Otherwise (a partner's TLP limit, an agency of several
// organisations, which would count an incident of two of them twice, a
// time zone other than UTC) they are counted from the incidents in scope.
func (s *Store) IncidentStats(ctx context.Context, sc auth.Scope, q StatsQuery) (*stats.IncidentReport, error) {
	return s.incidentStats(ctx, sc, q, true)
}

// istatsPeriods is what both ways of counting fill: the three summaries
// and their histograms, the breakdowns and the months.
type istatsPeriods struct {
	sums   []*stats.IncidentSummary // current, previous, a year earlier
	hists  []map[string]*stats.Histogram
	groups map[string]map[string]*stats.IncidentRow // breakdown -> key -> row
	months []stats.IncidentPoint
	bounds [][2]time.Time // of each month, in loc
	loc    *time.Location
}

func newIstatsPeriods(r *stats.IncidentReport, q StatsQuery) *istatsPeriods {
	p := &istatsPeriods{sums: []*stats.IncidentSummary{&r.IncidentSummary, &r.Previous, &r.YearEarlier}, loc: q.Loc,
		groups: map[string]map[string]*stats.IncidentRow{"type": {}, "identifier": {}, "channel": {}, "severity": {}, "org": {}}}
	for i, per := range []stats.Period{q.Period, q.Period.Previous(), q.Period.YearEarlier()} {
		p.sums[i].Period = per
		p.sums[i].From, p.sums[i].To = per.Bounds(q.Loc)
		p.hists = append(p.hists, map[string]*stats.Histogram{})
	}
	for _, m := range q.Period.LastMonths(12) {
		p.months = append(p.months, stats.IncidentPoint{Month: m})
		from, to := m.Bounds(q.Loc)
		p.bounds = append(p.bounds, [2]time.Time{from, to})
	}
	return p
}

// in lists the summaries (0 current, 1 previous, 2 a year earlier) whose
// period holds t; a year's previous is its year earlier, so both.
func (p *istatsPeriods) in(t time.Time) []int {
	var out []int
	for i, s := range p.sums {
		if !t.Before(s.From) && t.Before(s.To) {
			out = append(out, i)
		}
	}
	return out
}

// count counts incidents opened (and resolved) at t with these
// breakdown keys.
func (p *istatsPeriods) count(t time.Time, keys map[string]string, opened, resolved int) {
	for _, i := range p.in(t) {
		p.sums[i].Opened += opened
		p.sums[i].Resolved += resolved
		for g, key := range keys {
			if key == "" {
				continue
			}
			row := p.groups[g][key]
			if row == nil {
				row = &stats.IncidentRow{Key: key}
				p.groups[g][key] = row
			}
			switch i {
			case 0:
				row.Opened += opened
				row.Resolved += resolved
			case 1:
				row.Previous += opened
			case 2:
				row.YearEarlier += opened
			}
		}
	}
	for i, b := range p.bounds {
		if !t.Before(b[0]) && t.Before(b[1]) {
			p.months[i].Opened += opened
			p.months[i].Resolved += resolved
		}
	}
}

// duration counts n durations of a measure (secs in all) in bucket b,
// ended at t.
func (p *istatsPeriods) duration(t time.Time, measure string, b int, n, secs int64) {
	for _, i := range p.in(t) {
		h := p.hists[i][measure]
		if h == nil {
			h = &stats.Histogram{}
			p.hists[i][measure] = h
		}
		h.AddBucket(b, n, secs)
	}
}

// finish fills the report from what was counted.
func (p *istatsPeriods) finish(r *stats.IncidentReport) {
	for i, s := range p.sums {
		s.SetDurations(p.hists[i])
	}
	list := func(g string) []stats.IncidentRow {
		out := []stats.IncidentRow{}
		for _, row := range p.groups[g] {
			if row.Opened != 0 || row.Previous != 0 || row.YearEarlier != 0 || row.Resolved != 0 {
				out = append(out, *row)
			}
		}
		stats.SortIncidentRows(out)
		return out
	}
	r.ByType, r.ByIdentifier, r.ByChannel, r.BySeverity, r.ByOrganisation = list("type"), list("identifier"), list("channel"), list("severity"), list("org")
	r.Monthly = p.months
	r.Compare()
}

func (s *Store) incidentStats(ctx context.Context, sc auth.Scope, q StatsQuery, agg bool) (*stats.IncidentReport, error) {
	r := &stats.IncidentReport{Generated: s.Now().UTC()}
	p := newIstatsPeriods(r, q)
	if q.OrgID != 0 && !sc.AllOrgs && !slices.Contains(sc.OrgIDs, q.OrgID) {
		// Another organisation's figures: none, even of the incidents
		// shared with one's own.
		sc = auth.Nothing
	}
	orgs, err := s.statsOrgs(ctx, sc, q.OrgID)
	if err != nil {
		return nil, err
	}
	if org, ok := istatsAggOrg(sc, q.OrgID); agg && ok && p.aligned() {
		err = s.istatsFromAggregates(ctx, p, org, orgs)
	} else {
		err = s.istatsFromIncidents(ctx, sc, q.OrgID, p, orgs)
	}
	if err != nil {
		return nil, err
	}
	// The organisations' rows carry names.
	for key, row := range p.groups["org"] {
		var id int64
		fmt.Sscan(key, &id)
		o, ok := orgs[id]
		if !ok {
			delete(p.groups["org"], key)
			continue
		}
		row.Key, row.Name = o.short, o.name
	}
	p.finish(r)
	return r, nil
}

// istatsAggOrg is the org_id of the aggregate rows that answer a scope
// (and an organisation asked for), or false when none do.
func istatsAggOrg(sc auth.Scope, orgID int64) (int64, bool) {
	switch {
	case sc.MaxTLP != "":
		return 0, false
	case orgID != 0:
		return orgID, sc.AllOrgs || slices.Contains(sc.OrgIDs, orgID)
	case sc.AllOrgs:
		return 0, true
	case len(sc.OrgIDs) == 1:
		return sc.OrgIDs[0], true
	}
	return 0, false
}

// aligned reports whether every period and month counted starts and
// ends on a UTC month, so the monthly aggregates answer.
func (p *istatsPeriods) aligned() bool {
	for _, s := range p.sums {
		if !monthStart(s.From) || !monthStart(s.To) {
			return false
		}
	}
	for _, m := range p.months {
		from, to := m.Month.Bounds(p.loc)
		if !monthStart(from) || !monthStart(to) {
			return false
		}
	}
	return true
}

// span is the first and last+1 month index of everything counted.
func (p *istatsPeriods) span() (lo, hi int) {
	lo, hi = monthIndex(p.sums[0].From), monthIndex(p.sums[0].To)
	for _, s := range p.sums {
		lo, hi = min(lo, monthIndex(s.From)), max(hi, monthIndex(s.To))
	}
	for _, m := range p.months {
		from, to := m.Month.Bounds(p.loc)
		lo, hi = min(lo, monthIndex(from)), max(hi, monthIndex(to))
	}
	return lo, hi
}

// monthTime is the first instant of a month index, in UTC.
func monthTime(m int) time.Time { return time.Date(m/12, time.Month(m%12+1), 1, 0, 0, 0, 0, time.UTC) }

// severityKey names a severity rank as the breakdown does.
func severityKey(rank int) string { return incident.Severity(rank).String() }

// istatsFromAggregates counts from the rows of org (0: every incident).
func (s *Store) istatsFromAggregates(ctx context.Context, p *istatsPeriods, org int64, orgs map[int64]statsOrg) error {
	lo, hi := p.span()
	rows, err := s.db.QueryContext(ctx, `SELECT month, taxonomy, type, identifier, channel, severity_rank, opened, resolved FROM istats_month
		WHERE org_id = $1 AND month >= $2 AND month < $3 AND (opened <> 0 OR resolved <> 0)`, org, lo, hi)
	if err != nil {
		return fmt.Errorf("storage: incident stats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var m, sev, opened, resolved int
		var tax, typ, id, ch string
		if err := rows.Scan(&m, &tax, &typ, &id, &ch, &sev, &opened, &resolved); err != nil {
			return fmt.Errorf("storage: incident stats: %w", err)
		}
		keys := map[string]string{"type": tax + "/" + typ, "identifier": id, "channel": ch, "severity": severityKey(sev)}
		if org != 0 {
			keys["org"] = fmt.Sprint(org)
		}
		p.count(monthTime(m), keys, opened, resolved)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("storage: incident stats: %w", err)
	}
	rows.Close()
	if org == 0 {
		// Per organisation: their own rows, summed over the keys.
		rows, err := s.db.QueryContext(ctx, `SELECT org_id, month, SUM(opened), SUM(resolved) FROM istats_month
			WHERE org_id > 0 AND month >= $1 AND month < $2 GROUP BY org_id, month`, lo, hi)
		if err != nil {
			return fmt.Errorf("storage: incident stats by organisation: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var m, opened, resolved int
			if err := rows.Scan(&id, &m, &opened, &resolved); err != nil {
				return fmt.Errorf("storage: incident stats by organisation: %w", err)
			}
			if _, ok := orgs[id]; ok && (opened != 0 || resolved != 0) {
				p.countOrg(monthTime(m), fmt.Sprint(id), opened, resolved)
			}
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("storage: incident stats by organisation: %w", err)
		}
		rows.Close()
	}
	drows, err := s.db.QueryContext(ctx, `SELECT month, measure, bucket, n, seconds FROM istats_duration
		WHERE org_id = $1 AND month >= $2 AND month < $3 AND n <> 0`, org, lo, hi)
	if err != nil {
		return fmt.Errorf("storage: incident stats durations: %w", err)
	}
	defer drows.Close()
	for drows.Next() {
		var m, b int
		var measure string
		var n, secs int64
		if err := drows.Scan(&m, &measure, &b, &n, &secs); err != nil {
			return fmt.Errorf("storage: incident stats durations: %w", err)
		}
		p.duration(monthTime(m), measure, b, n, secs)
	}
	return drows.Err()
}

// countOrg counts incidents of one organisation into its breakdown row
// only (the summary counts each incident once, from the other rows).
func (p *istatsPeriods) countOrg(t time.Time, key string, opened, resolved int) {
	for _, i := range p.in(t) {
		row := p.groups["org"][key]
		if row == nil {
			row = &stats.IncidentRow{Key: key}
			p.groups["org"][key] = row
		}
		switch i {
		case 0:
			row.Opened += opened
			row.Resolved += resolved
		case 1:
			row.Previous += opened
		case 2:
			row.YearEarlier += opened
		}
	}
}
