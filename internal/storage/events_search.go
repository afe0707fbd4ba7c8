package storage

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
)

// EventFilter selects events; zero fields do not filter.
type EventFilter struct {
	Since, Until time.Time // time.source in [Since, Until)
	OrgID        int64     // owned by this organisation
	ReportID     int64     // parsed from this archived report
	Feed         string
	Taxonomy     string // classification.taxonomy
	Type         string // classification.type
	Identifier   string // classification.identifier
	IP           string // source address, or a CIDR prefix
	ASN          uint32 // source.asn
	FQDN         string // source.fqdn, exactly
	Text         string // anywhere in the event's JSON; ASCII letters match either case
	BeforeID     int64  // cursor: the id of the last row of the previous page
	Limit        int    // default 100, at most 1000

	// scanIPRange reads events newest first, past the address index,
	// for a network that holds many of them (listEvents, denseIPRange).
	scanIPRange bool
}

// prefixRange returns the first and last ipKey of a prefix. An
// IPv4-mapped IPv6 network (::ffff:192.0.2.0/120) is its IPv4 network,
// as its addresses are stored; a wider IPv6 network that contains all of
// them (::/0) matches IPv6 addresses only.
func prefixRange(p netip.Prefix) (lo, hi string) {
	p = p.Masked()
	if a := p.Addr(); a.Is4In6() && p.Bits() >= 96 {
		p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
	}
	first := p.Addr()
	last := first.AsSlice()
	for i := p.Bits(); i < len(last)*8; i++ {
		last[i/8] |= 1 << (7 - i%8)
	}
	end, _ := netip.AddrFromSlice(last)
	return addrKey(first), addrKey(end)
}

// eventWhere builds the WHERE clause for sc and f. Tenancy is in the
// query: a scope limited to some organisations sees only events one of
// them owns, so a handler that forgets to check leaks nothing.
func (s *Store) eventWhere(sc auth.Scope, f EventFilter, a *args) (string, error) {
	conds := []string{"1 = 1"}
	if !sc.Unlimited() {
		// IN, not a correlated EXISTS: the database can start from the
		// organisations' rows in event_owners (its primary key) instead of
		// checking every event.
		owned := "e.id IN (SELECT eo.event_id FROM event_owners eo JOIN orgs o ON o.id = eo.org_id WHERE " +
			scopeCond(sc, a, "eo.org_id", "o.tlp_rank") + ")"
		if sc.AllOrgs {
			// Staff limited only by TLP still see events nobody owns.
			owned = "(" + owned + " OR NOT EXISTS (SELECT 1 FROM event_owners eo2 WHERE eo2.event_id = e.id))"
		}
		conds = append(conds, owned)
	}
	if f.OrgID != 0 {
		conds = append(conds, "e.id IN (SELECT event_id FROM event_owners WHERE org_id = "+a.add(f.OrgID)+")")
	}
	if !f.Since.IsZero() {
		conds = append(conds, "e.time_source >= "+a.add(f.Since.UTC()))
	}
	if !f.Until.IsZero() {
		conds = append(conds, "e.time_source < "+a.add(f.Until.UTC()))
	}
	if f.ReportID != 0 {
		conds = append(conds, "e.report_id = "+a.add(f.ReportID))
	}
	if f.Feed != "" {
		conds = append(conds, "e.feed = "+a.add(f.Feed))
	}
	if f.Taxonomy != "" {
		conds = append(conds, "e.taxonomy = "+a.add(f.Taxonomy))
	}
	if f.Type != "" {
		conds = append(conds, "e.type = "+a.add(f.Type))
	}
	if f.Identifier != "" {
		conds = append(conds, "e.identifier = "+a.add(f.Identifier))
	}
	if f.IP != "" {
		if strings.Contains(f.IP, "/") {
			p, err := netip.ParsePrefix(f.IP)
			if err != nil {
				return "", errs.Field("ip", "%q is not a network in CIDR notation", f.IP)
			}
			lo, hi := prefixRange(p)
			col := "e.source_ipkey"
			if f.scanIPRange {
				col = "+" + col // SQLite's no-op unary plus: not through the index
			}
			conds = append(conds, col+" BETWEEN "+a.add(lo)+" AND "+a.add(hi))
		} else {
			k := ipKey(f.IP)
			if k == "" {
				return "", errs.Field("ip", "%q is not an IP address", f.IP)
			}
			conds = append(conds, "e.source_ipkey = "+a.add(k))
		}
	}
	if f.ASN != 0 {
		// The first term is the condition of the partial index (migration
		// 0020), which the database cannot prove of a parameter.
		conds = append(conds, "e.source_asn <> 0 AND e.source_asn = "+a.add(int64(f.ASN)))
	}
	if f.FQDN != "" {
		conds = append(conds, "e.source_fqdn <> '' AND e.source_fqdn = "+a.add(strings.ToLower(f.FQDN)))
	}
	if f.Text != "" {
		// ASCII letters match either case: PostgreSQL's ILIKE folds them
		// (and more), SQLite's qalxan_contains_fold as LIKE would, ten
		// times faster. Both find "RDP" for "rdp".
		if s.dialect.name == "postgres" {
			conds = append(conds, "e.data ILIKE "+a.add("%"+escapeLike(f.Text)+"%")+" ESCAPE '\\'")
		} else {
			conds = append(conds, containsFoldSQL+"(e.data, "+a.add(asciiLower(f.Text))+")")
		}
	}
	if f.BeforeID > 0 {
		conds = append(conds, "e.id < "+a.add(f.BeforeID))
	}
	return strings.Join(conds, " AND "), nil
}

// ListEvents returns the events matching f that sc may see, newest first;
// the next page starts before the last id returned. Owners are those the
// scope may see.
func (s *Store) ListEvents(ctx context.Context, sc auth.Scope, f EventFilter) ([]StoredEvent, error) {
	return s.listEvents(ctx, sc, f, pageLimit(f.Limit))
}

// ListEventsPage is ListEvents that also tells whether more follow: next
// is the BeforeID of the following page, 0 when this page is the last.
func (s *Store) ListEventsPage(ctx context.Context, sc auth.Scope, f EventFilter) (evs []StoredEvent, next int64, err error) {
	limit := pageLimit(f.Limit)
	// One row more than asked says whether there is another page without
	// a second query.
	if evs, err = s.listEvents(ctx, sc, f, limit+1); err != nil {
		return nil, 0, err
	}
	if len(evs) > limit {
		evs = evs[:limit]
		next = evs[limit-1].ID
	}
	return evs, next, nil
}

// pageLimit is the rows a page holds: default 100, at most 1000.
func pageLimit(n int) int {
	if n <= 0 {
		return 100
	}
	return min(n, 1000)
}

func (s *Store) listEvents(ctx context.Context, sc auth.Scope, f EventFilter, limit int) ([]StoredEvent, error) {
	q, a, err := s.listEventsQuery(ctx, sc, f, limit)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, fmt.Errorf("storage: list events: %w", err)
	}
	defer rows.Close()
	var out []StoredEvent
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, fmt.Errorf("storage: list events: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: list events: %w", err)
	}
	rows.Close()
	return out, s.loadOwners(ctx, sc, out)
}

// listEventsQuery is the query of a page of limit events.
func (s *Store) listEventsQuery(ctx context.Context, sc auth.Scope, f EventFilter, limit int) (string, args, error) {
	dense, err := s.denseIPRange(ctx, f.IP, limit)
	if err != nil {
		return "", nil, err
	}
	f.scanIPRange = dense
	var a args
	where, err := s.eventWhere(sc, f, &a)
	if err != nil {
		return "", nil, err
	}
	return eventSelect + ` WHERE ` + where + ` ORDER BY e.id DESC LIMIT ` + strconv.Itoa(limit), a, nil
}

// denseIPRange reports whether so many events come from the network ip
// that a page of the newest is found sooner by reading events newest
// first than by gathering every match from the address index and
// sorting them (on 200k events, a /8 holding all of them took 90 ms
// through the index and 1.4 ms newest first). Reading n events
// newest first finds about limit matches when m of all N match and
// n = limit·N/m; the index reads m entries. Each costs about the same
// per row when the pages are cached (BenchmarkSearchEvents), and an
// event row far more than an index entry when they are not, so the
// index is used up to m = 4·√(limit·N): 18k matches of 200k events, 90k
// of 5M. The probe reads at most that many index entries. Only SQLite
// asks: PostgreSQL's planner weighs this from its statistics.
func (s *Store) denseIPRange(ctx context.Context, ip string, limit int) (bool, error) {
	if s.dialect.name != "sqlite" || !strings.Contains(ip, "/") {
		return false, nil
	}
	p, err := netip.ParsePrefix(ip)
	if err != nil {
		return false, nil // eventWhere says what is wrong with it
	}
	lo, hi := prefixRange(p)
	var last sql.NullInt64 // the newest id: about how many events there are
	if err := s.db.QueryRowContext(ctx, `SELECT MAX(id) FROM events`).Scan(&last); err != nil {
		return false, fmt.Errorf("storage: list events: %w", err)
	}
	most := 4 * int64(math.Sqrt(float64(limit)*float64(last.Int64)))
	var n int64
	err = s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM events WHERE source_ipkey BETWEEN ? AND ? LIMIT ?)`,
		lo, hi, most+1).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("storage: list events: %w", err)
	}
	return n > most, nil
}

// eventSelect selects the columns scanEvent reads. It names them itself
// rather than reuse the insert path's list, so either can change alone.
const eventSelect = `SELECT e.id, e.report_id, e.line, e.fingerprint, e.time_source, e.time_observation, e.feed, ` +
	`e.taxonomy, e.type, e.identifier, e.source_ip, e.source_fqdn, e.source_asn, e.data FROM events e`

// scanEvent reads one row of eventSelect.
func scanEvent(row interface{ Scan(...any) error }) (StoredEvent, error) {
	var e StoredEvent
	var report sql.NullInt64
	var tsrc sql.NullTime
	var data string
	var asn int64
	var fp []byte
	if err := row.Scan(&e.ID, &report, &e.Line, &fp, &tsrc, &e.TimeObservation, &e.Feed, &e.Taxonomy, &e.Type,
		&e.Identifier, &e.SourceIP, &e.SourceFQDN, &asn, &data); err != nil {
		return e, err
	}
	e.Fingerprint = hex.EncodeToString(fp)
	e.ReportID = report.Int64
	if tsrc.Valid {
		e.TimeSource = tsrc.Time.UTC()
	}
	e.TimeObservation = e.TimeObservation.UTC()
	e.SourceASN = uint32(asn)
	e.Data = []byte(data)
	return e, nil
}

// GetEvent returns one event sc may see, with the owners sc may see. An
// event outside the scope is not found, exactly like one that does not
// exist: an agency cannot probe for other agencies' event ids.
func (s *Store) GetEvent(ctx context.Context, sc auth.Scope, id int64) (*StoredEvent, error) {
	var a args
	where, err := s.eventWhere(sc, EventFilter{}, &a)
	if err != nil {
		return nil, err
	}
	e, err := scanEvent(s.db.QueryRowContext(ctx, eventSelect+` WHERE e.id = `+a.add(id)+` AND `+where, a...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "event %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("storage: get event %d: %w", id, err)
	}
	evs := []StoredEvent{e}
	if err := s.loadOwners(ctx, sc, evs); err != nil {
		return nil, err
	}
	return &evs[0], nil
}

// OrgShortNames maps the ids to the short names of those organisations sc
// may see; the others are left out. It names the owners of a page of
// events for display and export.
func (s *Store) OrgShortNames(ctx context.Context, sc auth.Scope, ids []int64) (map[int64]string, error) {
	names := make(map[int64]string, len(ids))
	if len(ids) == 0 {
		return names, nil
	}
	var a args
	ph := make([]string, len(ids))
	for i, id := range ids {
		ph[i] = a.add(id)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT o.id, o.short_name FROM orgs o WHERE o.id IN (`+strings.Join(ph, ", ")+`) AND `+
		scopeCond(sc, &a, "o.id", "o.tlp_rank"), a...)
	if err != nil {
		return nil, fmt.Errorf("storage: org short names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n string
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("storage: org short names: %w", err)
		}
		names[id] = n
	}
	return names, rows.Err()
}

// loadOwners fills in the owners of a page of events, limited to the
// organisations sc may see: an agency does not learn who else was hit.
func (s *Store) loadOwners(ctx context.Context, sc auth.Scope, evs []StoredEvent) error {
	if len(evs) == 0 {
		return nil
	}
	var a args
	ph := make([]string, len(evs))
	at := make(map[int64]int, len(evs))
	for i, e := range evs {
		ph[i] = a.add(e.ID)
		at[e.ID] = i
	}
	q := `SELECT eo.event_id, eo.org_id FROM event_owners eo JOIN orgs o ON o.id = eo.org_id WHERE eo.event_id IN (` +
		strings.Join(ph, ", ") + `) AND ` + scopeCond(sc, &a, "eo.org_id", "o.tlp_rank") + ` ORDER BY eo.event_id, eo.org_id`
	rows, err := s.db.QueryContext(ctx, q, a...)
	if err != nil {
		return fmt.Errorf("storage: event owners: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var ev, org int64
		if err := rows.Scan(&ev, &org); err != nil {
			return fmt.Errorf("storage: event owners: %w", err)
		}
		i := at[ev]
		evs[i].Owners = append(evs[i].Owners, org)
	}
	return rows.Err()
}

// CountEvents counts the events matching f that sc may see (BeforeID and
// Limit are ignored).
func (s *Store) CountEvents(ctx context.Context, sc auth.Scope, f EventFilter) (int, error) {
	f.BeforeID, f.Limit = 0, 0
	var a args
	where, err := s.eventWhere(sc, f, &a)
	if err != nil {
		return 0, err
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM events e WHERE `+where, a...).Scan(&n); err != nil {
		return 0, fmt.Errorf("storage: count events: %w", err)
	}
	return n, nil
}
