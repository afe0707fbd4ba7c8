package storage

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/netip"
	"strings"
	"time"
	"unsafe"
)

// StoredEvent is one event row: the columns queries filter on, and the
// whole event as compact JSON (without raw, which stays in the report
// archive at ReportID and Line).
type StoredEvent struct {
	ID              int64           `json:"id"`
	ReportID        int64           `json:"report_id,omitempty"` // 0: not from an archived report
	Line            int             `json:"line,omitempty"`      // where the event's row starts in its report (line, or record number for JSON)
	Fingerprint     string          `json:"fingerprint"`         // hex; includes the day of time.source; read back as fingerprintKey's 16 bytes
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

	// GapResource and GapIdentifier are the security gap the event reports
	// (finding.GapOf), when the pipeline makes findings; not stored with
	// the event.
	GapResource   string `json:"-"`
	GapIdentifier string `json:"-"`
}

// Rows per multi-row INSERT: 16 columns × 500 rows stays under both
// databases' parameter limits (SQLite 32766, PostgreSQL 65535) while
// amortising the statement cost.
const eventsPerInsert = 500

const eventColumnCount = 14

// ownersPerInsert is the rows of a multi-row INSERT of event owners.
const ownersPerInsert = 4 * eventsPerInsert

const eventColumns = `report_id, line, fingerprint, time_source, time_observation, feed, taxonomy, type, identifier, source_ip, source_ipkey, source_fqdn, source_asn, data`

// InsertEvents stores a batch in one transaction. An event whose
// fingerprint is already stored (the same observation on the same day,
// from this report or another) is not stored again and is counted in
// duplicates; duplicates within the batch count the same way. Owners are
// linked for the inserted events only. Each inserted event's ID is set in
// batch; a duplicate's is 0 (the findings of an ingest come from the new
// events alone).
func (s *Store) InsertEvents(ctx context.Context, batch []StoredEvent) (inserted, duplicates int, err error) {
	if len(batch) == 0 {
		return 0, 0, nil
	}
	err = s.eventTx(ctx, func(tx *sql.Tx) error {
		inserted = 0
		for start := 0; start < len(batch); start += eventsPerInsert {
			part := batch[start:min(start+eventsPerInsert, len(batch))]
			n, err := s.insertEventRows(ctx, tx, part)
			if err != nil {
				return err
			}
			inserted += n
		}
		return s.requireEventReferences(ctx, tx, batch)
	})
	if err != nil {
		return 0, 0, err
	}
	return inserted, len(batch) - inserted, nil
}

// requireEventReferences checks the reports and organisations batch's
// events refer to (events_references.go says why).
func (s *Store) requireEventReferences(ctx context.Context, tx *sql.Tx, batch []StoredEvent) error {
	var reports, orgs []int64
	for i := range batch {
		if i == 0 || batch[i].ReportID != batch[i-1].ReportID {
			reports = append(reports, batch[i].ReportID)
		}
		orgs = append(orgs, batch[i].Owners...)
	}
	if err := s.requireIDs(ctx, tx, "reports", "report", reports); err != nil {
		return err
	}
	return s.requireIDs(ctx, tx, "orgs", "organisation", orgs)
}

// insertEventRows inserts up to eventsPerInsert events and their owners
// with one statement each, and returns how many events were new.
func (s *Store) insertEventRows(ctx context.Context, tx *sql.Tx, part []StoredEvent) (int, error) {
	a := make(args, 0, len(part)*eventColumnCount)
	keys := make([][]byte, len(part))
	var q strings.Builder
	q.Grow(len(part) * eventColumnCount * 3)
	q.WriteString(s.dialect.insertIgnoring + " INTO events (" + eventColumns + ") VALUES ")
	for i := range part {
		e := &part[i]
		if i > 0 {
			q.WriteString(", ")
		}
		keys[i] = fingerprintKey(e.Fingerprint, e.TimeSource)
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
	q.WriteString(s.dialect.ignoreConflict("fingerprint") + " RETURNING id, fingerprint")
	rows, err := s.cachedQuery(ctx, tx, q.String(), len(part) == eventsPerInsert, a...)
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
// their owners, and sets the ids of the inserted events in part.
func (s *Store) insertOwners(ctx context.Context, tx *sql.Tx, part []StoredEvent, keys [][]byte, ids map[string]int64) error {
	var a args
	var q strings.Builder
	for i := range part {
		e := &part[i]
		id, ok := ids[string(keys[i])]
		e.ID = 0
		if !ok {
			continue
		}
		delete(ids, string(keys[i])) // a duplicate later in the batch was not the row inserted
		e.ID = id
		if len(e.Owners) == 0 {
			continue
		}
		for _, org := range e.Owners {
			if q.Len() == 0 {
				q.WriteString(s.dialect.insertIgnoring + " INTO event_owners (event_id, org_id) VALUES ")
			} else {
				q.WriteString(", ")
			}
			q.WriteString("(" + s.bind(&a, id) + ", " + s.bind(&a, org) + ")")
			if len(a) >= 2*ownersPerInsert {
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
	q.WriteString(s.dialect.ignoreConflict(""))
	if err := s.cachedExec(ctx, tx, q.String(), len(*a) == 2*ownersPerInsert, *a...); err != nil {
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

// fingerprintKey is the stored form of a fingerprint: the day of
// time.source (days since 1970 in two bytes; 0 without one) and the first
// 14 bytes of the hex SHA-256, or the bytes of anything else. The day
// comes first because the unique index takes these keys: a day's report
// then inserts into one narrow range of it, where random keys dirtied a
// page of the whole index per event, and by a few million events wrote
// several times more index than event pages to the WAL in every batch.
// The fingerprint already includes that day, so equal fingerprints still
// have equal keys (two different ones collide after ~2^56 events a day).
func fingerprintKey(fp string, seen time.Time) []byte {
	if len(fp) != 64 {
		return []byte(fp)
	}
	key := make([]byte, 16)
	if _, err := hex.Decode(key[2:], []byte(fp[:28])); err != nil {
		return []byte(fp)
	}
	var day int64
	if !seen.IsZero() {
		day = min(max(seen.Unix()/86400, 0), 0xffff)
	}
	key[0], key[1] = byte(day>>8), byte(day)
	return key
}

// ipKey is an address as text that sorts as the addresses do, so that
// a CIDR search is a range of text on both databases: "4" and 8 hex
// digits for IPv4 (an IPv4-mapped IPv6 address is its IPv4 address),
// "6" and 32 hex digits for IPv6. Until migration 0021 every address
// took 32 digits; in a report whose addresses come in no order, the
// index of the longer keys was a third of the events' ingest
// (docs/performance.md, "SQLite's ceiling").
func ipKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ""
	}
	return addrKey(a.Unmap())
}

// addrKey is ipKey of an address already parsed and unmapped.
func addrKey(a netip.Addr) string {
	if a.Is4() {
		b := a.As4()
		return "4" + hex.EncodeToString(b[:])
	}
	b := a.As16()
	return "6" + hex.EncodeToString(b[:])
}
