package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/finding"
)

// FindingFilter selects findings; zero fields do not filter.
type FindingFilter struct {
	OrgID      int64
	Statuses   []finding.Status // any of these
	Active     bool             // open, notified, acknowledged or reopened (finding.Status.Active)
	Severity   []finding.Severity
	Identifier string // exactly, or a prefix ending in "/" ("infected-system/")
	// Resource is a resource exactly; an IP address also matches its
	// services ("192.0.2.10" finds "192.0.2.10:3389"), and an IPv4 network
	// on an octet boundary (/8, /16, /24) every address in it.
	Resource     string
	Text         string    // in the resource, identifier or assignee; ASCII letters match either case
	Assignee     string    // exactly
	Overdue      bool      // active and past the due date at the store's clock
	Since, Until time.Time // first_seen in [Since, Until)
	BeforeID     int64     // cursor: the id of the last row of the previous page
	Limit        int       // default 100, at most 1000
}

// findingColumns are the columns scanFinding reads, with the owner's
// short name; f is findings, o its organisation.
const findingColumns = `f.id, f.org_id, o.short_name, f.resource, f.identifier, f.taxonomy, f.type, f.source, f.severity_rank,
	f.status, f.first_seen, f.last_seen, f.seen_count, f.due_at, f.assignee, f.notified_at, f.acknowledged_at,
	f.resolved_at, f.closed_at, f.accepted_until, f.reason`

const findingFrom = ` FROM findings f JOIN orgs o ON o.id = f.org_id`

func scanFinding(row interface{ Scan(...any) error }) (finding.Finding, error) {
	var f finding.Finding
	var rank int
	var status string
	var due, notified, acked, resolved, closed, until sql.NullTime
	if err := row.Scan(&f.ID, &f.OrgID, &f.Org, &f.Resource, &f.Identifier, &f.Taxonomy, &f.Type, &f.Source, &rank,
		&status, &f.FirstSeen, &f.LastSeen, &f.Count, &due, &f.Assignee, &notified, &acked,
		&resolved, &closed, &until, &f.Reason); err != nil {
		return f, err
	}
	f.Severity, f.Status = finding.Severity(rank), finding.Status(status)
	f.FirstSeen, f.LastSeen = f.FirstSeen.UTC(), f.LastSeen.UTC()
	for _, t := range []struct {
		src sql.NullTime
		dst *time.Time
	}{{due, &f.DueAt}, {notified, &f.NotifiedAt}, {acked, &f.AcknowledgedAt}, {resolved, &f.ResolvedAt}, {closed, &f.ClosedAt}, {until, &f.AcceptedUntil}} {
		if t.src.Valid {
			*t.dst = t.src.Time.UTC()
		}
	}
	return f, nil
}

// nullTime stores the zero time as NULL.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

// activeStatuses are the statuses finding.Status.Active accepts.
func activeStatuses() []finding.Status {
	var out []finding.Status
	for _, s := range finding.Statuses {
		if s.Active() {
			out = append(out, s)
		}
	}
	return out
}

// findingWhere builds the WHERE clause for sc and f. Tenancy is in the
// query, as for events: a finding outside the scope is not there.
func (s *Store) findingWhere(sc auth.Scope, f FindingFilter, a *args) (string, error) {
	conds := []string{scopeCond(sc, a, "f.org_id", "o.tlp_rank")}
	in := func(col string, vals []string) {
		ph := make([]string, len(vals))
		for i, v := range vals {
			ph[i] = a.add(v)
		}
		conds = append(conds, col+" IN ("+strings.Join(ph, ", ")+")")
	}
	if f.OrgID != 0 {
		conds = append(conds, "f.org_id = "+a.add(f.OrgID))
	}
	statuses := f.Statuses
	if f.Active || f.Overdue {
		statuses = append(statuses, activeStatuses()...)
	}
	if len(statuses) > 0 {
		vals := make([]string, len(statuses))
		for i, st := range statuses {
			if !st.Valid() {
				return "", errs.Field("status", "status %q is not known", st)
			}
			vals[i] = string(st)
		}
		in("f.status", vals)
	}
	if len(f.Severity) > 0 {
		ph := make([]string, len(f.Severity))
		for i, sev := range f.Severity {
			ph[i] = a.add(int(sev))
		}
		conds = append(conds, "f.severity_rank IN ("+strings.Join(ph, ", ")+")")
	}
	if f.Identifier != "" {
		if strings.HasSuffix(f.Identifier, "/") {
			conds = append(conds, "f.identifier LIKE "+a.add(escapeLike(strings.ToLower(f.Identifier))+"%")+" ESCAPE '\\'")
		} else {
			conds = append(conds, "f.identifier = "+a.add(strings.ToLower(f.Identifier)))
		}
	}
	if f.Resource != "" {
		c, err := resourceCond(f.Resource, a)
		if err != nil {
			return "", err
		}
		conds = append(conds, c)
	}
	if f.Text != "" {
		like := "LIKE"
		if s.dialect.name == "postgres" {
			like = "ILIKE"
		}
		p := a.add("%" + escapeLike(f.Text) + "%")
		conds = append(conds, "(f.resource "+like+" "+p+" ESCAPE '\\' OR f.identifier "+like+" "+p+" ESCAPE '\\' OR f.assignee "+like+" "+p+" ESCAPE '\\')")
	}
	if f.Assignee != "" {
		conds = append(conds, "f.assignee = "+a.add(f.Assignee))
	}
	if f.Overdue {
		conds = append(conds, "f.due_at IS NOT NULL AND f.due_at < "+a.add(s.Now().UTC()))
	}
	if !f.Since.IsZero() {
		conds = append(conds, "f.first_seen >= "+a.add(f.Since.UTC()))
	}
	if !f.Until.IsZero() {
		conds = append(conds, "f.first_seen < "+a.add(f.Until.UTC()))
	}
	if f.BeforeID > 0 {
		conds = append(conds, "f.id < "+a.add(f.BeforeID))
	}
	return strings.Join(conds, " AND "), nil
}

// resourceCond matches a resource: exactly, an address with any port, or
// the addresses of an octet-aligned IPv4 network. Resources are text
// ("192.0.2.10:3389"), so a network is a text prefix, which only an
// octet boundary makes exact.
func resourceCond(v string, a *args) (string, error) {
	if p, err := netip.ParsePrefix(v); err == nil {
		if !p.Addr().Is4() || p.Bits()%8 != 0 || p.Bits() == 0 {
			return "", errs.Field("resource", "%q: give an address, or an IPv4 network of /8, /16, /24 or /32", v)
		}
		p = p.Masked()
		octets := strings.Split(p.Addr().String(), ".")[:p.Bits()/8]
		prefix := strings.Join(octets, ".")
		if p.Bits() == 32 {
			return "(f.resource = " + a.add(prefix) + " OR f.resource LIKE " + a.add(prefix+":%") + ")", nil
		}
		return "f.resource LIKE " + a.add(prefix+".%"), nil
	}
	if ip, err := netip.ParseAddr(v); err == nil {
		host := ip.String()
		if ip.Is6() {
			return "(f.resource = " + a.add(host) + " OR f.resource LIKE " + a.add("["+host+"]:%") + ")", nil
		}
		return "(f.resource = " + a.add(host) + " OR f.resource LIKE " + a.add(host+":%") + ")", nil
	}
	return "f.resource = " + a.add(v), nil
}

// ListFindings returns the findings matching f that sc may see, newest
// first; next is the BeforeID of the following page, 0 on the last.
func (s *Store) ListFindings(ctx context.Context, sc auth.Scope, f FindingFilter) (out []finding.Finding, next int64, err error) {
	var a args
	where, err := s.findingWhere(sc, f, &a)
	if err != nil {
		return nil, 0, err
	}
	limit := pageLimit(f.Limit)
	rows, err := s.db.QueryContext(ctx, `SELECT `+findingColumns+findingFrom+` WHERE `+where+
		` ORDER BY f.id DESC LIMIT `+strconv.Itoa(limit+1), a...)
	if err != nil {
		return nil, 0, fmt.Errorf("storage: list findings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		fd, err := scanFinding(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("storage: list findings: %w", err)
		}
		out = append(out, fd)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("storage: list findings: %w", err)
	}
	if len(out) > limit {
		out = out[:limit]
		next = out[limit-1].ID
	}
	return out, next, nil
}

// CountFindings counts the findings matching f that sc may see (BeforeID
// and Limit are ignored).
func (s *Store) CountFindings(ctx context.Context, sc auth.Scope, f FindingFilter) (int, error) {
	f.BeforeID, f.Limit = 0, 0
	var a args
	where, err := s.findingWhere(sc, f, &a)
	if err != nil {
		return 0, err
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*)`+findingFrom+` WHERE `+where, a...).Scan(&n); err != nil {
		return 0, fmt.Errorf("storage: count findings: %w", err)
	}
	return n, nil
}

// GetFinding returns one finding sc may see. One outside the scope is not
// found, exactly like one that does not exist.
func (s *Store) GetFinding(ctx context.Context, sc auth.Scope, id int64) (*finding.Finding, error) {
	return s.getFinding(ctx, s.db, sc, id, "")
}

// getFinding reads a finding through q; lock is "" or the dialect's row
// lock for a read-modify-write.
func (s *Store) getFinding(ctx context.Context, q querier, sc auth.Scope, id int64, lock string) (*finding.Finding, error) {
	var a args
	where, err := s.findingWhere(sc, FindingFilter{}, &a)
	if err != nil {
		return nil, err
	}
	f, err := scanFinding(q.QueryRowContext(ctx, `SELECT `+findingColumns+findingFrom+` WHERE f.id = `+a.add(id)+` AND `+where+lock, a...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "finding %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("storage: get finding %d: %w", id, err)
	}
	return &f, nil
}

// FindingHistory returns the changes of a finding sc may see, oldest first.
func (s *Store) FindingHistory(ctx context.Context, sc auth.Scope, id int64) ([]finding.Change, error) {
	if _, err := s.GetFinding(ctx, sc, id); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT finding_id, at, actor, from_status, to_status, reason
		FROM finding_history WHERE finding_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("storage: finding %d history: %w", id, err)
	}
	defer rows.Close()
	var out []finding.Change
	for rows.Next() {
		var c finding.Change
		var from, to string
		if err := rows.Scan(&c.FindingID, &c.At, &c.Actor, &from, &to, &c.Reason); err != nil {
			return nil, fmt.Errorf("storage: finding %d history: %w", id, err)
		}
		c.At, c.From, c.To = c.At.UTC(), finding.Status(from), finding.Status(to)
		out = append(out, c)
	}
	return out, rows.Err()
}

// EachFindingEvent calls fn with each event behind a finding sc may see,
// oldest first, reading them as it goes: a finding seen daily for a year
// streams without being held in memory. Owners are not filled in.
func (s *Store) EachFindingEvent(ctx context.Context, sc auth.Scope, id int64, fn func(StoredEvent) error) error {
	if _, err := s.GetFinding(ctx, sc, id); err != nil {
		return err
	}
	rows, err := s.db.QueryContext(ctx, eventSelect+` JOIN finding_events fe ON fe.event_id = e.id WHERE fe.finding_id = $1 ORDER BY e.id`, id)
	if err != nil {
		return fmt.Errorf("storage: finding %d events: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return fmt.Errorf("storage: finding %d events: %w", id, err)
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("storage: finding %d events: %w", id, err)
	}
	return nil
}

// FindingEventIDs returns the ids of the events behind a finding sc may
// see, oldest first.
func (s *Store) FindingEventIDs(ctx context.Context, sc auth.Scope, id int64) ([]int64, error) {
	if _, err := s.GetFinding(ctx, sc, id); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT event_id FROM finding_events WHERE finding_id = $1 ORDER BY event_id`, id)
	if err != nil {
		return nil, fmt.Errorf("storage: finding %d events: %w", id, err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var e int64
		if err := rows.Scan(&e); err != nil {
			return nil, fmt.Errorf("storage: finding %d events: %w", id, err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
