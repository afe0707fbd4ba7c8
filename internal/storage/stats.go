package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/stats"
)

// StatsQuery asks for the statistics of one period.
type StatsQuery struct {
	Period stats.Period
	OrgID  int64          // only this organisation (within the scope); 0 = all the scope sees
	Loc    *time.Location // the time zone periods are counted in; nil = UTC
}

// statsActive are the statuses of a gap that is still there (as
// finding.Status.Active says).
const statsActive = `'open', 'notified', 'acknowledged', 'reopened'`

// Stats counts the findings of a period, the period before and the same
// period a year earlier, within the scope: the summary of each (see
// stats.Summary for what each figure counts), the changes, breakdowns per
// organisation, sector, identifier and taxonomy, and the twelve months up
// to the period's end. An agency's scope sees only its own organisation's
// figures: tenancy is in every query.
func (s *Store) Stats(ctx context.Context, sc auth.Scope, q StatsQuery) (*stats.Report, error) {
	return s.stats(ctx, sc, q, true)
}

// stats is Stats, from the aggregates when they may answer and agg is
// set, else from the findings alone.
func (s *Store) stats(ctx context.Context, sc auth.Scope, q StatsQuery, agg bool) (*stats.Report, error) {
	r := &stats.Report{Generated: s.Now().UTC()}
	periods := []stats.Period{q.Period, q.Period.Previous(), q.Period.YearEarlier()}
	sums := []*stats.Summary{&r.Summary, &r.Previous, &r.YearEarlier}
	for i, p := range periods {
		sums[i].Period = p
		sums[i].From, sums[i].To = p.Bounds(q.Loc)
	}
	months := q.Period.LastMonths(12)
	orgs, err := s.statsOrgs(ctx, sc, q.OrgID)
	if err != nil {
		return nil, err
	}
	if agg && statsAligned(sums, months, q.Loc) {
		var cur *aggPeriod
		for i, sum := range sums {
			if i == 2 && sum.Period == sums[1].Period {
				// A year's previous is the year earlier.
				*sum = *sums[1]
				continue
			}
			p, err := s.statsAggPeriod(ctx, sc, q.OrgID, sum)
			if err != nil {
				return nil, err
			}
			if i == 0 {
				cur = p
			}
		}
		open, err := s.statsAggStillOpen(ctx, sc, q.OrgID, sums)
		if err != nil {
			return nil, err
		}
		if err := s.statsNotices(ctx, sc, q.OrgID, sums); err != nil {
			return nil, err
		}
		if err := s.statsAggBreakdowns(ctx, sc, q.OrgID, r, cur, orgs, open); err != nil {
			return nil, err
		}
		if r.Monthly, err = s.statsAggMonthly(ctx, sc, q.OrgID, months); err != nil {
			return nil, err
		}
		r.Compare()
		return r, nil
	}
	for _, sum := range sums {
		if err := s.statsPeriod(ctx, sc, q.OrgID, sum); err != nil {
			return nil, err
		}
	}
	open, err := s.statsStillOpen(ctx, sc, q.OrgID, sums)
	if err != nil {
		return nil, err
	}
	if err := s.statsNotices(ctx, sc, q.OrgID, sums); err != nil {
		return nil, err
	}
	if err := s.statsBreakdowns(ctx, sc, q.OrgID, r, orgs, open); err != nil {
		return nil, err
	}
	if r.Monthly, err = s.statsMonthly(ctx, sc, q.OrgID, months, q.Loc); err != nil {
		return nil, err
	}
	r.Compare()
	return r, nil
}

// statsWhere is the FROM and WHERE of a query over findings f within the
// scope (and one organisation). The system's unlimited scope reads the
// findings alone; any other joins the organisations for the scope's
// condition.
func statsWhere(sc auth.Scope, orgID int64, a *args) string {
	from := "findings f"
	conds := []string{"1 = 1"}
	if !sc.Unlimited() {
		from += " JOIN orgs o ON o.id = f.org_id"
		conds = append(conds, scopeCond(sc, a, "f.org_id", "o.tlp_rank"))
	}
	if orgID != 0 {
		conds = append(conds, "f.org_id = "+a.add(orgID))
	}
	return from + " WHERE " + strings.Join(conds, " AND ")
}

// statsPeriod fills what is counted from the findings opened and closed
// in the summary's period.
func (s *Store) statsPeriod(ctx context.Context, sc auth.Scope, orgID int64, sum *stats.Summary) error {
	var a args
	where := statsWhere(sc, orgID, &a)
	q := `SELECT COUNT(*), COUNT(DISTINCT f.org_id), COUNT(DISTINCT CAST(f.org_id AS TEXT) || ' ' || f.resource) FROM ` + where +
		` AND f.first_seen >= ` + a.add(sum.From) + ` AND f.first_seen < ` + a.add(sum.To)
	if err := s.db.QueryRowContext(ctx, q, a...).Scan(&sum.FindingsOpened, &sum.OrganisationsWithGaps, &sum.ResourcesWithGaps); err != nil {
		return fmt.Errorf("storage: stats %s: %w", sum.Period, err)
	}
	return s.statsClosed(ctx, sc, orgID, sum)
}

// statsClosed fills the figures of the findings closed in the summary's
// period: how many, how fast they were fixed, and the SLA.
func (s *Store) statsClosed(ctx context.Context, sc auth.Scope, orgID int64, sum *stats.Summary) error {
	var a args
	where := statsWhere(sc, orgID, &a)
	rows, err := s.db.QueryContext(ctx, `SELECT f.first_seen, f.resolved_at, f.closed_at, f.due_at FROM `+where+
		` AND f.closed_at >= `+a.add(sum.From)+` AND f.closed_at < `+a.add(sum.To), a...)
	if err != nil {
		return fmt.Errorf("storage: stats %s: %w", sum.Period, err)
	}
	defer rows.Close()
	var took []time.Duration
	due, met := 0, 0
	for rows.Next() {
		var first time.Time
		var resolved, closed, dueAt sql.NullTime
		if err := rows.Scan(&first, &resolved, &closed, &dueAt); err != nil {
			return fmt.Errorf("storage: stats %s: %w", sum.Period, err)
		}
		fixed := fixedAt(resolved, closed)
		took = append(took, max(0, fixed.Sub(first)))
		if dueAt.Valid {
			due++
			if !fixed.After(dueAt.Time) {
				met++
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("storage: stats %s: %w", sum.Period, err)
	}
	sum.FindingsClosed = len(took)
	sum.SetRemediation(took)
	sum.SetSLA(due, met)
	return nil
}

// fixedAt is when a closed finding was fixed: when its owner marked it
// resolved, unless that was after the close (resolved again in a later
// round), then the close.
func fixedAt(resolved, closed sql.NullTime) time.Time {
	if resolved.Valid && !resolved.Time.After(closed.Time) {
		return resolved.Time
	}
	return closed.Time
}

// statsOrg is an organisation as the breakdowns name it.
type statsOrg struct{ short, name, sector string }

// statsOrgs reads the organisations in scope by id.
func (s *Store) statsOrgs(ctx context.Context, sc auth.Scope, orgID int64) (map[int64]statsOrg, error) {
	var a args
	q := `SELECT o.id, o.short_name, o.name, o.sector FROM orgs o WHERE ` + scopeCond(sc, &a, "o.id", "o.tlp_rank")
	if orgID != 0 {
		q += ` AND o.id = ` + a.add(orgID)
	}
	rows, err := s.db.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, fmt.Errorf("storage: stats orgs: %w", err)
	}
	defer rows.Close()
	out := map[int64]statsOrg{}
	for rows.Next() {
		var id int64
		var o statsOrg
		if err := rows.Scan(&id, &o.short, &o.name, &o.sector); err != nil {
			return nil, fmt.Errorf("storage: stats orgs: %w", err)
		}
		out[id] = o
	}
	return out, rows.Err()
}

// statsStillOpen counts, per organisation, the findings still open at the
// end of each summary's period, in one pass over the findings, and sets
// each summary's total. A finding is open at time T when it was first
// seen before T and: its status is active now; or it is resolved, at or
// after T; or it is closed and was fixed at or after T. Accepted risks
// and disputed findings do not count.
func (s *Store) statsStillOpen(ctx context.Context, sc auth.Scope, orgID int64, sums []*stats.Summary) (map[int64]int, error) {
	var a args
	where := statsWhere(sc, orgID, &a)
	var cols []string
	latest := time.Time{}
	for _, sum := range sums {
		end := a.add(sum.To)
		cols = append(cols, `COALESCE(SUM(CASE WHEN f.first_seen < `+end+` AND (f.status IN (`+statsActive+`)`+
			` OR (f.status = 'resolved' AND f.resolved_at >= `+end+`)`+
			` OR (f.status = 'closed' AND COALESCE(f.resolved_at, f.closed_at) >= `+end+`)) THEN 1 ELSE 0 END), 0)`)
		if sum.To.After(latest) {
			latest = sum.To
		}
	}
	q := `SELECT f.org_id, ` + strings.Join(cols, ", ") + ` FROM ` + where +
		` AND f.status NOT IN ('accepted', 'false_positive') AND f.first_seen < ` + a.add(latest) + ` GROUP BY f.org_id`
	rows, err := s.db.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, fmt.Errorf("storage: stats still open: %w", err)
	}
	defer rows.Close()
	first := map[int64]int{}
	n := make([]int, len(sums))
	for rows.Next() {
		var id int64
		dst := []any{&id}
		for i := range n {
			dst = append(dst, &n[i])
		}
		if err := rows.Scan(dst...); err != nil {
			return nil, fmt.Errorf("storage: stats still open: %w", err)
		}
		first[id] = n[0]
		for i, sum := range sums {
			sum.StillOpen += n[i]
		}
	}
	return first, rows.Err()
}

// statsNotices counts the notices sent in each summary's period, when the
// notices table exists (it comes with the notices feature).
func (s *Store) statsNotices(ctx context.Context, sc auth.Scope, orgID int64, sums []*stats.Summary) error {
	ok, err := s.tableExists(ctx, "notices")
	if err != nil || !ok {
		return err
	}
	var a args
	from := "notices n"
	conds := []string{"n.status = 'sent'"}
	if !sc.Unlimited() {
		from += " JOIN orgs o ON o.id = n.org_id"
		conds = append(conds, scopeCond(sc, &a, "n.org_id", "o.tlp_rank"))
	}
	if orgID != 0 {
		conds = append(conds, "n.org_id = "+a.add(orgID))
	}
	var cols []string
	for _, sum := range sums {
		cols = append(cols, `COALESCE(SUM(CASE WHEN n.sent_at >= `+a.add(sum.From)+` AND n.sent_at < `+a.add(sum.To)+` THEN 1 ELSE 0 END), 0)`)
	}
	dst := make([]any, len(sums))
	for i, sum := range sums {
		dst[i] = &sum.NoticesSent
	}
	if err := s.db.QueryRowContext(ctx, `SELECT `+strings.Join(cols, ", ")+` FROM `+from+` WHERE `+strings.Join(conds, " AND "), a...).Scan(dst...); err != nil {
		return fmt.Errorf("storage: stats notices: %w", err)
	}
	return nil
}

// tableExists reports whether the schema has the named table.
func (s *Store) tableExists(ctx context.Context, name string) (bool, error) {
	q := `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $1`
	if s.dialect.name == "postgres" {
		q = `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1`
	}
	var n int
	if err := s.db.QueryRowContext(ctx, q, name).Scan(&n); err != nil {
		return false, fmt.Errorf("storage: table %s: %w", name, err)
	}
	return n > 0, nil
}

// statsBreakdowns fills the per-organisation, sector, identifier and
// taxonomy tables of the report's period.
func (s *Store) statsBreakdowns(ctx context.Context, sc auth.Scope, orgID int64, r *stats.Report, orgs map[int64]statsOrg, open map[int64]int) error {
	byOrg := map[string]*stats.Row{}
	sectorOf := map[string]string{}
	orgRow := func(id int64) *stats.Row {
		o, ok := orgs[id]
		if !ok {
			return nil
		}
		if row := byOrg[o.short]; row != nil {
			return row
		}
		row := &stats.Row{Key: o.short, Name: o.name, Orgs: 1}
		byOrg[o.short], sectorOf[o.short] = row, o.sector
		return row
	}
	groups := map[string]map[string]*stats.Row{"identifier": {}, "taxonomy": {}, "org_id": {}}
	from, to := r.Summary.From, r.Summary.To
	for _, col := range []string{"org_id", "identifier", "taxonomy"} {
		var a args
		where := statsWhere(sc, orgID, &a)
		opened := `SELECT CAST(f.` + col + ` AS TEXT), COUNT(*), COUNT(DISTINCT CAST(f.org_id AS TEXT) || ' ' || f.resource), COUNT(DISTINCT f.org_id), 0 FROM ` + where +
			` AND f.first_seen >= ` + a.add(from) + ` AND f.first_seen < ` + a.add(to) + ` GROUP BY f.` + col
		var b args
		closed := `SELECT CAST(f.` + col + ` AS TEXT), 0, 0, 0, COUNT(*) FROM ` + statsWhere(sc, orgID, &b) +
			` AND f.closed_at >= ` + b.add(from) + ` AND f.closed_at < ` + b.add(to) + ` GROUP BY f.` + col
		for _, qa := range []struct {
			q string
			a args
		}{{opened, a}, {closed, b}} {
			rows, err := s.db.QueryContext(ctx, qa.q, qa.a...)
			if err != nil {
				return fmt.Errorf("storage: stats by %s: %w", col, err)
			}
			for rows.Next() {
				var key string
				var row stats.Row
				if err := rows.Scan(&key, &row.Opened, &row.Resources, &row.Orgs, &row.Closed); err != nil {
					rows.Close()
					return fmt.Errorf("storage: stats by %s: %w", col, err)
				}
				g := groups[col][key]
				if g == nil {
					g = &stats.Row{Key: key}
					groups[col][key] = g
				}
				g.Opened += row.Opened
				g.Resources += row.Resources
				g.Orgs += row.Orgs
				g.Closed += row.Closed
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return fmt.Errorf("storage: stats by %s: %w", col, err)
			}
		}
	}
	for key, g := range groups["org_id"] {
		var id int64
		fmt.Sscan(key, &id)
		if row := orgRow(id); row != nil {
			row.Opened, row.Resources, row.Closed = g.Opened, g.Resources, g.Closed
		}
	}
	for id, n := range open {
		if n == 0 {
			continue
		}
		if row := orgRow(id); row != nil {
			row.StillOpen = n
		}
	}
	r.ByOrganisation, r.BySector = orgAndSectorRows(byOrg, sectorOf)
	r.ByIdentifier = rowList(groups["identifier"])
	r.ByTaxonomy = rowList(groups["taxonomy"])
	return nil
}

// orgAndSectorRows lists the organisations' rows and sums them per
// sector; a sector's organisations are those with findings opened.
func orgAndSectorRows(byOrg map[string]*stats.Row, sectorOf map[string]string) (orgRows, sectorRows []stats.Row) {
	bySector := map[string]*stats.Row{}
	for key, row := range byOrg {
		sec := sectorOf[key]
		sr := bySector[sec]
		if sr == nil {
			sr = &stats.Row{Key: sec}
			bySector[sec] = sr
		}
		sr.Opened += row.Opened
		sr.Resources += row.Resources
		sr.Closed += row.Closed
		sr.StillOpen += row.StillOpen
		if row.Opened > 0 {
			sr.Orgs++
		}
		if row.Opened == 0 {
			row.Orgs = 0
		}
	}
	return rowList(byOrg), rowList(bySector)
}

func rowList(m map[string]*stats.Row) []stats.Row {
	out := make([]stats.Row, 0, len(m))
	for _, r := range m {
		out = append(out, *r)
	}
	stats.SortRows(out)
	return out
}

// statsMonthly counts the findings opened and closed in each month, with
// one query for each (a range over an index, summed into buckets).
func (s *Store) statsMonthly(ctx context.Context, sc auth.Scope, orgID int64, months []stats.Period, loc *time.Location) ([]stats.Point, error) {
	out := make([]stats.Point, len(months))
	for i, m := range months {
		out[i].Month = m
	}
	if len(months) == 0 {
		return out, nil
	}
	start, _ := months[0].Bounds(loc)
	_, end := months[len(months)-1].Bounds(loc)
	for _, col := range []string{"first_seen", "closed_at"} {
		var a args
		where := statsWhere(sc, orgID, &a)
		var cols []string
		for _, m := range months {
			from, to := m.Bounds(loc)
			cols = append(cols, `COALESCE(SUM(CASE WHEN f.`+col+` >= `+a.add(from)+` AND f.`+col+` < `+a.add(to)+` THEN 1 ELSE 0 END), 0)`)
		}
		q := `SELECT ` + strings.Join(cols, ", ") + ` FROM ` + where + ` AND f.` + col + ` >= ` + a.add(start) + ` AND f.` + col + ` < ` + a.add(end)
		dst := make([]any, len(months))
		for i := range out {
			if col == "first_seen" {
				dst[i] = &out[i].Opened
			} else {
				dst[i] = &out[i].Closed
			}
		}
		if err := s.db.QueryRowContext(ctx, q, a...).Scan(dst...); err != nil {
			return nil, fmt.Errorf("storage: stats per month: %w", err)
		}
	}
	return out, nil
}
