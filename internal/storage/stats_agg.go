package storage

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/stats"
)

// The statistics of periods that are whole calendar months in UTC are
// read from the tables migration 0009_stats_aggregate keeps (per month,
// organisation, identifier and taxonomy; per organisation and month for
// "still open"; per month and resource for the distinct resources),
// not from the findings: a year over 1M findings is thousands of rows
// there. What is not additive per month, the time to remediate and the
// SLA of the findings closed in the period, is still read from the
// findings, from an index that covers it. Periods counted in a time zone
// whose months are not UTC's are counted from the findings (stats.go).

// monthIndex numbers a UTC month as the tables do: year*12 + month - 1.
func monthIndex(t time.Time) int {
	t = t.UTC()
	return t.Year()*12 + int(t.Month()) - 1
}

// monthStart reports whether t is the first instant of a UTC month.
func monthStart(t time.Time) bool {
	t = t.UTC()
	return t.Day() == 1 && t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
}

// statsAligned reports whether every period the report counts starts and
// ends on UTC months, so the monthly tables answer it.
func statsAligned(sums []*stats.Summary, months []stats.Period, loc *time.Location) bool {
	for _, sum := range sums {
		if !monthStart(sum.From) || !monthStart(sum.To) {
			return false
		}
	}
	for _, m := range months {
		from, to := m.Bounds(loc)
		if !monthStart(from) || !monthStart(to) {
			return false
		}
	}
	return true
}

// aggWhere is the FROM and WHERE of a query over the aggregate table t
// within the scope (and one organisation), like statsWhere.
func aggWhere(table string, sc auth.Scope, orgID int64, a *args) string {
	from := table + " t"
	conds := []string{"1 = 1"}
	if !sc.Unlimited() {
		from += " JOIN orgs o ON o.id = t.org_id"
		conds = append(conds, scopeCond(sc, a, "t.org_id", "o.tlp_rank"))
	}
	if orgID != 0 {
		conds = append(conds, "t.org_id = "+a.add(orgID))
	}
	return from + " WHERE " + strings.Join(conds, " AND ")
}

// resourceMonths is the condition on stats_resources and
// stats_taxonomy_resources for the resources with gaps in the months
// from up to to. Their rows are per month (kind 0, migration 0022): a
// resource with gaps in two months of a quarter has a row in each, so
// the queries count distinct resources.
func resourceMonths(from, to time.Time, a *args) string {
	return ` AND t.kind = 0 AND t.period >= ` + a.add(monthIndex(from)) + ` AND t.period < ` + a.add(monthIndex(to)) + ` AND t.n > 0`
}

// aggPeriod is what the aggregates say of one period: the summary's
// counts, and per organisation what its breakdown row needs.
type aggPeriod struct {
	opened, closed, resources map[int64]int
}

// statsAggPeriod fills the summary's counts of findings opened,
// resources and organisations with gaps and findings closed from the
// aggregates, then the time to remediate and SLA from the findings.
func (s *Store) statsAggPeriod(ctx context.Context, sc auth.Scope, orgID int64, sum *stats.Summary) (*aggPeriod, error) {
	out := &aggPeriod{opened: map[int64]int{}, closed: map[int64]int{}, resources: map[int64]int{}}
	var a args
	q := `SELECT t.org_id, SUM(t.opened), SUM(t.closed) FROM ` + aggWhere("stats_month", sc, orgID, &a) +
		` AND t.month >= ` + a.add(monthIndex(sum.From)) + ` AND t.month < ` + a.add(monthIndex(sum.To)) + ` GROUP BY t.org_id`
	if err := s.scanCounts(ctx, q, a, func(id int64, n []int) {
		if n[0] > 0 {
			out.opened[id] = n[0]
			sum.FindingsOpened += n[0]
			sum.OrganisationsWithGaps++
		}
		if n[1] > 0 {
			out.closed[id] = n[1]
		}
	}, 2); err != nil {
		return nil, fmt.Errorf("storage: stats %s: %w", sum.Period, err)
	}
	a = nil
	q = `SELECT t.org_id, COUNT(DISTINCT t.resource) FROM ` + aggWhere("stats_resources", sc, orgID, &a) +
		resourceMonths(sum.From, sum.To, &a) + ` GROUP BY t.org_id`
	if err := s.scanCounts(ctx, q, a, func(id int64, n []int) {
		out.resources[id] = n[0]
		sum.ResourcesWithGaps += n[0]
	}, 1); err != nil {
		return nil, fmt.Errorf("storage: stats %s: %w", sum.Period, err)
	}
	if err := s.statsClosed(ctx, sc, orgID, sum); err != nil {
		return nil, err
	}
	return out, nil
}

// scanCounts runs a query of an organisation id and n counts per row.
func (s *Store) scanCounts(ctx context.Context, q string, a args, fn func(int64, []int), n int) error {
	rows, err := s.db.QueryContext(ctx, q, a...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var id int64
	vals := make([]int, n)
	dst := []any{&id}
	for i := range vals {
		dst = append(dst, &vals[i])
	}
	for rows.Next() {
		if err := rows.Scan(dst...); err != nil {
			return err
		}
		fn(id, vals)
	}
	return rows.Err()
}

// statsAggStillOpen counts, per organisation, the findings still open at
// the end of each summary's period from stats_open, and sets each
// summary's total.
func (s *Store) statsAggStillOpen(ctx context.Context, sc auth.Scope, orgID int64, sums []*stats.Summary) (map[int64]int, error) {
	var a args
	where := aggWhere("stats_open", sc, orgID, &a)
	var cols []string
	latest := 0
	for _, sum := range sums {
		end := monthIndex(sum.To)
		cols = append(cols, `COALESCE(SUM(CASE WHEN t.month < `+a.add(end)+` THEN t.delta ELSE 0 END), 0)`)
		latest = max(latest, end)
	}
	q := `SELECT t.org_id, ` + strings.Join(cols, ", ") + ` FROM ` + where + ` AND t.month < ` + a.add(latest) + ` GROUP BY t.org_id`
	first := map[int64]int{}
	err := s.scanCounts(ctx, q, a, func(id int64, n []int) {
		if n[0] != 0 {
			first[id] = n[0]
		}
		for i, sum := range sums {
			sum.StillOpen += n[i]
		}
	}, len(sums))
	if err != nil {
		return nil, fmt.Errorf("storage: stats still open: %w", err)
	}
	return first, nil
}

// statsAggBreakdowns fills the per-organisation, sector, identifier and
// taxonomy tables of the report's period from the aggregates. An
// identifier's resources are its findings opened: a finding is one
// identifier on one resource of one organisation.
func (s *Store) statsAggBreakdowns(ctx context.Context, sc auth.Scope, orgID int64, r *stats.Report, cur *aggPeriod, orgs map[int64]statsOrg, open map[int64]int) error {
	byID, byTax := map[string]*stats.Row{}, map[string]*stats.Row{}
	orgsOf := map[string]map[int64]bool{}
	add := func(m map[string]*stats.Row, kind, key string, org int64, opened, closed int) {
		if opened == 0 && closed == 0 {
			return
		}
		row := m[key]
		if row == nil {
			row = &stats.Row{Key: key}
			m[key] = row
		}
		row.Opened += opened
		row.Closed += closed
		if opened > 0 {
			k := kind + "\x00" + key
			if orgsOf[k] == nil {
				orgsOf[k] = map[int64]bool{}
			}
			if !orgsOf[k][org] {
				orgsOf[k][org] = true
				row.Orgs++
			}
		}
	}
	var a args
	q := `SELECT t.org_id, t.identifier, t.taxonomy, SUM(t.opened), SUM(t.closed) FROM ` + aggWhere("stats_month", sc, orgID, &a) +
		` AND t.month >= ` + a.add(monthIndex(r.From)) + ` AND t.month < ` + a.add(monthIndex(r.To)) + ` GROUP BY t.org_id, t.identifier, t.taxonomy`
	rows, err := s.db.QueryContext(ctx, q, a...)
	if err != nil {
		return fmt.Errorf("storage: stats breakdowns: %w", err)
	}
	for rows.Next() {
		var org int64
		var id, tax string
		var opened, closed int
		if err := rows.Scan(&org, &id, &tax, &opened, &closed); err != nil {
			rows.Close()
			return fmt.Errorf("storage: stats breakdowns: %w", err)
		}
		add(byID, "i", id, org, opened, closed)
		add(byTax, "t", tax, org, opened, closed)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("storage: stats breakdowns: %w", err)
	}
	for _, row := range byID {
		row.Resources = row.Opened
	}
	a = nil
	q = `SELECT d.taxonomy, COUNT(*) FROM (SELECT DISTINCT t.taxonomy, t.org_id, t.resource FROM ` +
		aggWhere("stats_taxonomy_resources", sc, orgID, &a) + resourceMonths(r.From, r.To, &a) + `) d GROUP BY d.taxonomy`
	rows, err = s.db.QueryContext(ctx, q, a...)
	if err != nil {
		return fmt.Errorf("storage: stats by taxonomy: %w", err)
	}
	for rows.Next() {
		var tax string
		var n int
		if err := rows.Scan(&tax, &n); err != nil {
			rows.Close()
			return fmt.Errorf("storage: stats by taxonomy: %w", err)
		}
		if row := byTax[tax]; row != nil {
			row.Resources = n
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("storage: stats by taxonomy: %w", err)
	}
	byOrg := map[string]*stats.Row{}
	sectorOf := map[string]string{}
	ids := map[int64]bool{}
	for _, m := range []map[int64]int{cur.opened, cur.closed, open} {
		for id := range m {
			ids[id] = true
		}
	}
	for id := range ids {
		o, ok := orgs[id]
		if !ok {
			continue
		}
		row := byOrg[o.short]
		if row == nil {
			row = &stats.Row{Key: o.short, Name: o.name, Orgs: 1}
			byOrg[o.short], sectorOf[o.short] = row, o.sector
		}
		row.Opened, row.Resources, row.Closed, row.StillOpen = cur.opened[id], cur.resources[id], cur.closed[id], open[id]
	}
	r.ByOrganisation, r.BySector = orgAndSectorRows(byOrg, sectorOf)
	r.ByIdentifier = rowList(byID)
	r.ByTaxonomy = rowList(byTax)
	return nil
}

// statsAggMonthly counts the findings opened and closed in each month.
func (s *Store) statsAggMonthly(ctx context.Context, sc auth.Scope, orgID int64, months []stats.Period) ([]stats.Point, error) {
	out := make([]stats.Point, len(months))
	at := map[int]int{}
	for i, m := range months {
		out[i].Month = m
		at[m.Year*12+m.N-1] = i
	}
	if len(months) == 0 {
		return out, nil
	}
	first, last := months[0], months[len(months)-1]
	var a args
	q := `SELECT t.month, SUM(t.opened), SUM(t.closed) FROM ` + aggWhere("stats_month", sc, orgID, &a) +
		` AND t.month >= ` + a.add(first.Year*12+first.N-1) + ` AND t.month <= ` + a.add(last.Year*12+last.N-1) + ` GROUP BY t.month`
	err := s.scanCounts(ctx, q, a, func(m int64, n []int) {
		if i, ok := at[int(m)]; ok {
			out[i].Opened, out[i].Closed = n[0], n[1]
		}
	}, 2)
	if err != nil {
		return nil, fmt.Errorf("storage: stats per month: %w", err)
	}
	return out, nil
}
