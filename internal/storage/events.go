package storage

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/qalxan/qalxan/internal/auth"
)

// StoredEvent is one event row: the columns queries filter on, and the
// whole event as compact JSON (without raw, which stays in the report
// archive at ReportID and Line).
type StoredEvent struct {
	ID              int64           `json:"id"`
	ReportID        int64           `json:"report_id,omitempty"` // 0: not from an archived report
	Line            int             `json:"line,omitempty"`      // the event's ordinal within its report
	Fingerprint     string          `json:"fingerprint"`         // hex; includes the day of time.source; read back as its first 128 bits
	TimeSource      time.Time       `json:"time_source,omitzero"`
	TimeObservation time.Time       `json:"time_observation"`
	Feed            string          `json:"feed"`
	Taxonomy        string          `json:"taxonomy"`
	Type            string          `json:"type"`
	Identifier      string          `json:"identifier,omitempty"`
	SourceIP        string          `json:"source_ip,omitempty"`
	SourceFQDN      string          `json:"source_fqdn,omitempty"`
	SourceASN       uint32          `json:"source_asn,omitempty"`
	Owners          []int64         `json:"owners,omitempty"` // org ids
	Data            json.RawMessage `json:"data"`
}

// Rows per multi-row INSERT: 16 columns × 500 rows stays under both
// databases' parameter limits (SQLite 32766, PostgreSQL 65535) while
// amortising the statement cost.
const eventsPerInsert = 500

const eventColumnCount = 14

const eventColumns = `report_id, line, fingerprint, time_source, time_observation, feed, taxonomy, type, identifier, source_ip, source_ipkey, source_fqdn, source_asn, data`

// InsertEvents stores a batch in one transaction. An event whose
// fingerprint is already stored (the same observation on the same day,
// from this report or another) is not stored again and is counted in
// duplicates; duplicates within the batch count the same way. Owners are
// linked for the inserted events only.
func (s *Store) InsertEvents(ctx context.Context, batch []StoredEvent) (inserted, duplicates int, err error) {
	if len(batch) == 0 {
		return 0, 0, nil
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		inserted = 0
		if s.dialect.name == "sqlite" {
			// The fingerprint index takes random keys: with SQLite's default
			// 2 MB page cache every batch re-reads and re-writes most of it.
			// The setting belongs to the connection and stays with it.
			if _, err := tx.ExecContext(ctx, "PRAGMA cache_size = -65536"); err != nil {
				return fmt.Errorf("storage: insert events: %w", err)
			}
		}
		for start := 0; start < len(batch); start += eventsPerInsert {
			part := batch[start:min(start+eventsPerInsert, len(batch))]
			n, err := s.insertEventRows(ctx, tx, part)
			if err != nil {
				return err
			}
			inserted += n
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	return inserted, len(batch) - inserted, nil
}

// insertEventRows inserts up to eventsPerInsert events and their owners
// with one statement each, and returns how many events were new.
func (s *Store) insertEventRows(ctx context.Context, tx *sql.Tx, part []StoredEvent) (int, error) {
	a := make(args, 0, len(part)*eventColumnCount)
	keys := make([][]byte, len(part))
	var q strings.Builder
	q.Grow(len(part) * eventColumnCount * 3)
	q.WriteString("INSERT INTO events (" + eventColumns + ") VALUES ")
	for i := range part {
		e := &part[i]
		if i > 0 {
			q.WriteString(", ")
		}
		keys[i] = fingerprintKey(e.Fingerprint)
		var report, tsrc any
		if e.ReportID != 0 {
			report = e.ReportID
		}
		if !e.TimeSource.IsZero() {
			tsrc = e.TimeSource.UTC()
		}
		q.WriteString("(")
		for j, v := range []any{report, e.Line, keys[i], tsrc, e.TimeObservation.UTC(), e.Feed, e.Taxonomy, e.Type,
			e.Identifier, e.SourceIP, ipKey(e.SourceIP), e.SourceFQDN, int64(e.SourceASN), bytesAsString(e.Data)} {
			if j > 0 {
				q.WriteString(", ")
			}
			q.WriteString(s.bind(&a, v))
		}
		q.WriteString(")")
	}
	// DO NOTHING, not an upsert: PostgreSQL refuses to update one row twice
	// in a statement, and a duplicate is by definition nothing new.
	// RETURNING gives only the inserted rows, which are the ones that need
	// owners.
	q.WriteString(" ON CONFLICT (fingerprint) DO NOTHING RETURNING id, fingerprint")
	rows, err := tx.QueryContext(ctx, q.String(), a...)
	if err != nil {
		return 0, fmt.Errorf("storage: insert events: %w", err)
	}
	var ids map[string]int64
	n := 0
	for rows.Next() {
		var id int64
		var fp []byte
		if err := rows.Scan(&id, &fp); err != nil {
			rows.Close()
			return 0, fmt.Errorf("storage: insert events: %w", err)
		}
		n++
		if ids == nil {
			ids = make(map[string]int64, len(part))
		}
		ids[string(fp)] = id
	}
	if err := rows.Close(); err != nil {
		return 0, fmt.Errorf("storage: insert events: %w", err)
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("storage: insert events: %w", err)
	}
	return n, s.insertOwners(ctx, tx, part, keys, ids)
}

// insertOwners links the newly inserted events (ids by fingerprint) to
// their owners.
func (s *Store) insertOwners(ctx context.Context, tx *sql.Tx, part []StoredEvent, keys [][]byte, ids map[string]int64) error {
	var a args
	var q strings.Builder
	for i := range part {
		e := &part[i]
		id, ok := ids[string(keys[i])]
		if !ok || len(e.Owners) == 0 {
			continue
		}
		delete(ids, string(keys[i])) // a duplicate later in the batch was not the row inserted
		for _, org := range e.Owners {
			if q.Len() == 0 {
				q.WriteString("INSERT INTO event_owners (event_id, org_id) VALUES ")
			} else {
				q.WriteString(", ")
			}
			q.WriteString("(" + s.bind(&a, id) + ", " + s.bind(&a, org) + ")")
			if len(a) >= 2*eventsPerInsert*4 {
				if err := s.execOwners(ctx, tx, &q, &a); err != nil {
					return err
				}
			}
		}
	}
	return s.execOwners(ctx, tx, &q, &a)
}

func (s *Store) execOwners(ctx context.Context, tx *sql.Tx, q *strings.Builder, a *args) error {
	if q.Len() == 0 {
		return nil
	}
	q.WriteString(" ON CONFLICT DO NOTHING")
	if _, err := tx.ExecContext(ctx, q.String(), *a...); err != nil {
		return fmt.Errorf("storage: insert event owners: %w", err)
	}
	q.Reset()
	*a = (*a)[:0]
	return nil
}

// bytesAsString lends b to the driver as a string without copying it:
// the JSON is most of a row's bytes, and the drivers copy it into the
// statement anyway. b must not change while the statement runs; the
// pipeline never writes a row's JSON after encoding it.
func bytesAsString(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// fingerprintKey is the stored form of a fingerprint: the first 16 bytes
// of a hex SHA-256, or the bytes of anything else.
func fingerprintKey(fp string) []byte {
	if len(fp) == 64 {
		if b, err := hex.DecodeString(fp[:32]); err == nil {
			return b
		}
	}
	return []byte(fp)
}

// EventFilter selects events; zero fields do not filter.
type EventFilter struct {
	Since, Until time.Time // time.source in [Since, Until)
	OrgID        int64     // owned by this organisation
	Feed         string
	Type         string // classification.type
	IP           string // source address, or a CIDR prefix
	ASN          uint32 // source.asn
	FQDN         string // source.fqdn, exactly
	Text         string // anywhere in the event's JSON
	BeforeID     int64  // cursor: the id of the last row of the previous page
	Limit        int    // default 100, at most 1000
}

// ipKey is an address's 16-byte form in hex: it sorts as the addresses
// do, so a CIDR search is a range of text on both databases. An IPv4
// address takes its IPv4-mapped form, so v4 and v6 never collide.
func ipKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ""
	}
	b := a.As16()
	return hex.EncodeToString(b[:])
}

// prefixRange returns the first and last ipKey of a prefix.
func prefixRange(p netip.Prefix) (lo, hi string) {
	p = p.Masked()
	first := p.Addr().As16()
	bits := p.Bits()
	if p.Addr().Is4() {
		bits += 96
	}
	last := first
	for i := bits; i < 128; i++ {
		last[i/8] |= 1 << (7 - i%8)
	}
	return hex.EncodeToString(first[:]), hex.EncodeToString(last[:])
}

// eventWhere builds the WHERE clause for sc and f. Tenancy is in the
// query: a scope limited to some organisations sees only events one of
// them owns, so a handler that forgets to check leaks nothing.
func eventWhere(sc auth.Scope, f EventFilter, a *args) (string, error) {
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
	if f.Feed != "" {
		conds = append(conds, "e.feed = "+a.add(f.Feed))
	}
	if f.Type != "" {
		conds = append(conds, "e.type = "+a.add(f.Type))
	}
	if f.IP != "" {
		if strings.Contains(f.IP, "/") {
			p, err := netip.ParsePrefix(f.IP)
			if err != nil {
				return "", fmt.Errorf("storage: events: bad prefix %q: %w", f.IP, err)
			}
			lo, hi := prefixRange(p)
			conds = append(conds, "e.source_ipkey BETWEEN "+a.add(lo)+" AND "+a.add(hi))
		} else {
			k := ipKey(f.IP)
			if k == "" {
				return "", fmt.Errorf("storage: events: bad address %q", f.IP)
			}
			conds = append(conds, "e.source_ipkey = "+a.add(k))
		}
	}
	if f.ASN != 0 {
		conds = append(conds, "e.source_asn = "+a.add(int64(f.ASN)))
	}
	if f.FQDN != "" {
		conds = append(conds, "e.source_fqdn = "+a.add(strings.ToLower(f.FQDN)))
	}
	if f.Text != "" {
		conds = append(conds, "e.data LIKE "+a.add("%"+escapeLike(f.Text)+"%")+" ESCAPE '\\'")
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
	var a args
	where, err := eventWhere(sc, f, &a)
	if err != nil {
		return nil, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 1000)
	rows, err := s.db.QueryContext(ctx, `SELECT e.id, `+prefixed("e.", eventColumns)+` FROM events e WHERE `+where+
		` ORDER BY e.id DESC LIMIT `+strconv.Itoa(limit), a...)
	if err != nil {
		return nil, fmt.Errorf("storage: list events: %w", err)
	}
	defer rows.Close()
	var out []StoredEvent
	for rows.Next() {
		var e StoredEvent
		var report sql.NullInt64
		var tsrc sql.NullTime
		var ipkey, data string
		var asn int64
		var fp []byte
		if err := rows.Scan(&e.ID, &report, &e.Line, &fp, &tsrc, &e.TimeObservation, &e.Feed, &e.Taxonomy, &e.Type,
			&e.Identifier, &e.SourceIP, &ipkey, &e.SourceFQDN, &asn, &data); err != nil {
			return nil, fmt.Errorf("storage: list events: %w", err)
		}
		e.Fingerprint = hex.EncodeToString(fp)
		e.ReportID = report.Int64
		if tsrc.Valid {
			e.TimeSource = tsrc.Time.UTC()
		}
		e.TimeObservation = e.TimeObservation.UTC()
		e.SourceASN = uint32(asn)
		e.Data = []byte(data)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: list events: %w", err)
	}
	rows.Close()
	return out, s.loadOwners(ctx, sc, out)
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
	where, err := eventWhere(sc, f, &a)
	if err != nil {
		return 0, err
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM events e WHERE `+where, a...).Scan(&n); err != nil {
		return 0, fmt.Errorf("storage: count events: %w", err)
	}
	return n, nil
}

func prefixed(p, cols string) string {
	parts := strings.Split(cols, ", ")
	for i := range parts {
		parts[i] = p + parts[i]
	}
	return strings.Join(parts, ", ")
}
