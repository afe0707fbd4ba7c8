package storage

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/finding"
)

// findingWriteColumns are the columns an upsert of a finding writes.
const findingWriteColumns = `org_id, resource, identifier, taxonomy, type, source, severity, severity_rank, status,
	first_seen, last_seen, seen_count, due_at, assignee, notified_at, acknowledged_at, resolved_at, closed_at,
	accepted_until, reason, updated_at`

// findingsPerStatement bounds the rows of one multi-row statement over
// findings: 21 columns × 500 rows stays under both databases' parameter
// limits.
const findingsPerStatement = 500

// sighting is what a batch does to one finding: its state before, after,
// the changes to record and the events to link.
type sighting struct {
	before  *finding.Finding // nil: new
	after   finding.Finding
	changes []finding.Change
	events  []int64
}

// ObserveFindings applies a batch of sightings under policy in one
// transaction: it opens a finding for each new key, refreshes the known
// ones (reopening those seen again after a fix), records status changes
// in the history and links the events. It runs in the ingest writer after
// every batch of events, so it reads the batch's findings in a few
// multi-row queries and writes them with one upsert per 500 keys.
func (s *Store) ObserveFindings(ctx context.Context, policy finding.Policy, obs []finding.Observation) (opened, refreshed, reopened int, err error) {
	if len(obs) == 0 {
		return 0, 0, 0, nil
	}
	// Group by key in the order keys first appear, and apply each key's
	// sightings in time order, so a batch gives what one-by-one would.
	byKey := map[finding.Key][]finding.Observation{}
	var keys []finding.Key
	for _, o := range obs {
		k := o.KeyOf()
		if _, ok := byKey[k]; !ok {
			keys = append(keys, k)
		}
		byKey[k] = append(byKey[k], o)
	}
	// On the event writer's connection: a write from another connection
	// makes SQLite drop the writer's whole page cache at its next batch
	// (a third of ingest's time went to re-reading and re-allocating it).
	err = s.eventTx(ctx, func(tx *sql.Tx) error {
		opened, refreshed, reopened = 0, 0, 0
		if err := s.requireObservedReferences(ctx, tx, obs); err != nil {
			return err
		}
		now := s.Now().UTC()
		for chunk := range slices.Chunk(keys, findingsPerStatement) {
			known, err := s.findingsByKey(ctx, tx, chunk)
			if err != nil {
				return err
			}
			sights := make([]sighting, len(chunk))
			for i, k := range chunk {
				sg := &sights[i]
				group := byKey[k]
				slices.SortStableFunc(group, func(a, b finding.Observation) int { return a.Seen.Compare(b.Seen) })
				var cur *finding.Finding
				if f, ok := known[k]; ok {
					sg.before, cur = f, f
				}
				for _, o := range group {
					next, ch := policy.Observe(cur, o)
					if cur == nil {
						ch = &finding.Change{At: next.FirstSeen, Actor: finding.SystemActor, To: finding.Open}
					}
					if ch != nil {
						sg.changes = append(sg.changes, *ch)
					}
					if o.EventID != 0 {
						sg.events = append(sg.events, o.EventID)
					}
					cur = &next
				}
				sg.after = *cur
				switch {
				case sg.before == nil:
					opened++
				case slices.ContainsFunc(sg.changes, func(c finding.Change) bool { return c.To == finding.Reopened }):
					reopened++
				default:
					refreshed++
				}
			}
			if err := s.upsertFindings(ctx, tx, sights, now); err != nil {
				return err
			}
			if err := s.insertFindingHistory(ctx, tx, sights); err != nil {
				return err
			}
			if err := s.linkFindingEvents(ctx, tx, sights); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, 0, 0, err
	}
	return opened, refreshed, reopened, nil
}

// requireObservedReferences checks the organisations and events the
// sightings refer to (events_references.go says why): the events were
// stored by the batch's own earlier transaction, and another writer may
// have deleted some since.
func (s *Store) requireObservedReferences(ctx context.Context, tx *sql.Tx, obs []finding.Observation) error {
	orgs := make([]int64, len(obs))
	events := make([]int64, len(obs))
	for i, o := range obs {
		orgs[i], events[i] = o.OrgID, o.EventID
	}
	if err := s.requireIDs(ctx, tx, "orgs", "organisation", orgs); err != nil {
		return err
	}
	return s.requireIDs(ctx, tx, "events", "event", events)
}

// findingsByKey reads the stored findings of keys in one query. On
// PostgreSQL it locks them, so a person's change in between is not lost.
func (s *Store) findingsByKey(ctx context.Context, tx *sql.Tx, keys []finding.Key) (map[finding.Key]*finding.Finding, error) {
	var rows *sql.Rows
	var err error
	if s.dialect.name == "postgres" {
		rows, err = s.findingsByKeyArrays(ctx, tx, keys)
	} else {
		var a args
		var q strings.Builder
		q.WriteString(`SELECT ` + findingColumns + findingFrom + ` WHERE (f.org_id, f.resource, f.identifier) IN (`)
		for i, k := range keys {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(" + s.bind(&a, k.OrgID) + ", " + s.bind(&a, k.Resource) + ", " + s.bind(&a, k.Identifier) + ")")
		}
		q.WriteString(")")
		rows, err = s.cachedQuery(ctx, tx, q.String(), len(keys) == findingsPerStatement, a...)
	}
	if err != nil {
		return nil, fmt.Errorf("storage: read findings: %w", err)
	}
	defer rows.Close()
	out := make(map[finding.Key]*finding.Finding, len(keys))
	for rows.Next() {
		f, err := scanFinding(rows)
		if err != nil {
			return nil, fmt.Errorf("storage: read findings: %w", err)
		}
		out[f.KeyOf()] = &f
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: read findings: %w", err)
	}
	return out, nil
}

// findingsByKeyArrays is findingsByKey's query on PostgreSQL: the keys
// as three arrays joined to findings, one statement whatever their
// number. Written as 500 row values in IN, PostgreSQL spent 76 ms
// planning it and 40 ms running it for each batch of an ingest, and a
// 100,000-row ingest took twice as long.
func (s *Store) findingsByKeyArrays(ctx context.Context, tx *sql.Tx, keys []finding.Key) (*sql.Rows, error) {
	orgs := make([]int64, len(keys))
	resources := make([]string, len(keys))
	identifiers := make([]string, len(keys))
	for i, k := range keys {
		orgs[i], resources[i], identifiers[i] = k.OrgID, k.Resource, k.Identifier
	}
	return tx.QueryContext(ctx, `SELECT `+findingColumns+findingFrom+`
		JOIN unnest($1::bigint[], $2::text[], $3::text[]) AS k(org_id, resource, identifier)
		  ON f.org_id = k.org_id AND f.resource = k.resource AND f.identifier = k.identifier`+s.dialect.forUpdate("f"),
		orgs, resources, identifiers)
}

// findingValues are a finding's values in findingWriteColumns' order.
func findingValues(f *finding.Finding, now time.Time) []any {
	return []any{f.OrgID, f.Resource, f.Identifier, f.Taxonomy, f.Type, f.Source, f.Severity.String(), int(f.Severity), string(f.Status),
		f.FirstSeen.UTC(), f.LastSeen.UTC(), f.Count, nullTime(f.DueAt), f.Assignee, nullTime(f.NotifiedAt), nullTime(f.AcknowledgedAt),
		nullTime(f.ResolvedAt), nullTime(f.ClosedAt), nullTime(f.AcceptedUntil), f.Reason, now}
}

// upsertFindings writes the sightings' findings with one statement and
// fills in the ids of the new ones. An upsert rather than an INSERT and
// an UPDATE: one statement for both, and a finding another writer opened
// since it was read is refreshed instead of failing the batch. Only what
// a sighting changes is updated; a person's changes (assignee, severity)
// stay.
func (s *Store) upsertFindings(ctx context.Context, tx *sql.Tx, sights []sighting, now time.Time) error {
	if s.dialect.name == "sqlite" {
		var err error
		if sights, err = s.refreshSeenFindings(ctx, tx, sights, now); err != nil || len(sights) == 0 {
			return err
		}
	}
	var a args
	var q strings.Builder
	q.WriteString("INSERT INTO findings (" + findingWriteColumns + ") VALUES ")
	at := make(map[finding.Key]int, len(sights))
	for i := range sights {
		sg := &sights[i]
		at[sg.after.KeyOf()] = i
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(")
		for j, v := range findingValues(&sg.after, now) {
			if j > 0 {
				q.WriteString(", ")
			}
			q.WriteString(s.bind(&a, v))
		}
		q.WriteString(")")
	}
	q.WriteString(` ON CONFLICT (org_id, resource, identifier) DO UPDATE SET source = excluded.source, status = excluded.status,
		last_seen = excluded.last_seen, seen_count = excluded.seen_count, due_at = excluded.due_at, reason = excluded.reason,
		updated_at = excluded.updated_at RETURNING id, org_id, resource, identifier`)
	rows, err := s.cachedQuery(ctx, tx, q.String(), len(sights) == findingsPerStatement, a...)
	if err != nil {
		return fmt.Errorf("storage: write findings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var k finding.Key
		if err := rows.Scan(&id, &k.OrgID, &k.Resource, &k.Identifier); err != nil {
			return fmt.Errorf("storage: write findings: %w", err)
		}
		if i, ok := at[k]; ok {
			sights[i].after.ID = id
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("storage: write findings: %w", err)
	}
	return rows.Close()
}

// refreshSeenFindings writes, on SQLite, the sightings that only saw a
// known finding again (its status, due date and reason unchanged) with
// an UPDATE of the four columns a sighting moves, and returns the other
// sightings, for the upsert. The upsert assigns status, due_at and
// reason too, and SQLite rewrites every index holding an assigned
// column, changed or not: three of the finding's indexes for each
// finding a daily report sees again. sights is reordered.
func (s *Store) refreshSeenFindings(ctx context.Context, tx *sql.Tx, sights []sighting, now time.Time) ([]sighting, error) {
	seen := func(sg *sighting) bool {
		b := sg.before
		return b != nil && b.Status == sg.after.Status && b.DueAt.Equal(sg.after.DueAt) && b.Reason == sg.after.Reason
	}
	// Seen-again sightings first, the rest after: both keep their order.
	sort.SliceStable(sights, func(i, j int) bool { return seen(&sights[i]) && !seen(&sights[j]) })
	n := 0
	for n < len(sights) && seen(&sights[n]) {
		n++
	}
	for chunk := range slices.Chunk(sights[:n], findingsPerStatement) {
		var a args
		var q strings.Builder
		q.WriteString("UPDATE findings SET source = v.column2, last_seen = v.column3, seen_count = v.column4, updated_at = v.column5 FROM (VALUES ")
		for i := range chunk {
			f := &chunk[i].after
			f.ID = chunk[i].before.ID
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(" + s.bind(&a, f.ID) + ", " + s.bind(&a, f.Source) + ", " + s.bind(&a, f.LastSeen.UTC()) + ", " +
				s.bind(&a, f.Count) + ", " + s.bind(&a, now) + ")")
		}
		q.WriteString(") AS v WHERE findings.id = v.column1")
		if err := s.cachedExec(ctx, tx, q.String(), len(chunk) == findingsPerStatement, a...); err != nil {
			return nil, fmt.Errorf("storage: refresh findings: %w", err)
		}
	}
	return sights[n:], nil
}

// insertFindingHistory records the sightings' status changes.
func (s *Store) insertFindingHistory(ctx context.Context, tx *sql.Tx, sights []sighting) error {
	var changes []finding.Change
	for i := range sights {
		for _, c := range sights[i].changes {
			c.FindingID = sights[i].after.ID
			changes = append(changes, c)
		}
	}
	return s.insertChanges(ctx, tx, changes)
}

// insertChanges writes history rows with multi-row INSERTs.
func (s *Store) insertChanges(ctx context.Context, tx *sql.Tx, changes []finding.Change) error {
	for chunk := range slices.Chunk(changes, findingsPerStatement) {
		var a args
		vals := make([]string, len(chunk))
		for i, c := range chunk {
			vals[i] = "(" + s.bind(&a, c.FindingID) + ", " + s.bind(&a, c.At.UTC()) + ", " + s.bind(&a, c.Actor) + ", " +
				s.bind(&a, string(c.From)) + ", " + s.bind(&a, string(c.To)) + ", " + s.bind(&a, c.Reason) + ")"
		}
		if err := s.cachedExec(ctx, tx, `INSERT INTO finding_history (finding_id, at, actor, from_status, to_status, reason) VALUES `+
			strings.Join(vals, ", "), len(chunk) == findingsPerStatement, a...); err != nil {
			return fmt.Errorf("storage: write finding history: %w", err)
		}
	}
	return nil
}

// linkFindingEvents links the sightings' events to their findings.
func (s *Store) linkFindingEvents(ctx context.Context, tx *sql.Tx, sights []sighting) error {
	type link struct{ finding, event int64 }
	var links []link
	for i := range sights {
		for _, e := range sights[i].events {
			links = append(links, link{sights[i].after.ID, e})
		}
	}
	for chunk := range slices.Chunk(links, 2*findingsPerStatement) {
		var a args
		vals := make([]string, len(chunk))
		for i, l := range chunk {
			vals[i] = "(" + s.bind(&a, l.finding) + ", " + s.bind(&a, l.event) + ")"
		}
		if err := s.cachedExec(ctx, tx, s.dialect.insertIgnoring+` INTO finding_events (finding_id, event_id) VALUES `+
			strings.Join(vals, ", ")+s.dialect.ignoreConflict(""), len(chunk) == 2*findingsPerStatement, a...); err != nil {
			return fmt.Errorf("storage: link finding events: %w", err)
		}
	}
	return nil
}
