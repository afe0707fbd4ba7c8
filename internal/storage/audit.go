package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
)

// auditRow is one audit entry waiting to be written.
type auditRow struct {
	action, objType string
	objID, orgID    int64
	before, after   any // JSON-encodable values, nil for none
}

// audit appends one entry to the audit log inside tx, so the record and the
// change it describes commit or fail together.
func (s *Store) audit(ctx context.Context, tx *sql.Tx, actor auth.Actor, action, objType string, objID, orgID int64, before, after any) error {
	return s.auditMany(ctx, tx, actor, []auditRow{{action, objType, objID, orgID, before, after}})
}

// auditMany appends entries with multi-row INSERTs (bulk imports write
// thousands at once).
func (s *Store) auditMany(ctx context.Context, tx *sql.Tx, actor auth.Actor, rows []auditRow) error {
	now := s.Now()
	for chunk := range slices.Chunk(rows, insertBatchRows) {
		var a args
		vals := make([]string, len(chunk))
		for i, r := range chunk {
			var before, after sql.NullString
			for _, x := range []struct {
				v   any
				dst *sql.NullString
			}{{r.before, &before}, {r.after, &after}} {
				if x.v == nil {
					continue
				}
				j, err := json.Marshal(x.v)
				if err != nil {
					return fmt.Errorf("storage: audit %s: %w", r.action, err)
				}
				*x.dst = sql.NullString{String: string(j), Valid: true}
			}
			var oid string
			if r.objID != 0 {
				oid = strconv.FormatInt(r.objID, 10)
			}
			vals[i] = "(" + strings.Join([]string{
				s.bind(&a, now), s.bind(&a, actorName(actor)), s.bind(&a, nullID(actor.UserID)), s.bind(&a, string(actor.Role)), s.bind(&a, actor.IP),
				s.bind(&a, r.action), s.bind(&a, r.objType), s.bind(&a, oid), s.bind(&a, nullID(r.orgID)), s.bind(&a, before), s.bind(&a, after),
			}, ", ") + ")"
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO audit_log
			(at, actor, actor_id, role, ip, action, object_type, object_id, org_id, before_json, after_json)
			VALUES `+strings.Join(vals, ", "), a...)
		if err != nil {
			return fmt.Errorf("storage: audit: %w", err)
		}
	}
	return nil
}

// Audit records an event that changes no row of ours (a failed login, a
// read of personal data, an export) in its own transaction.
func (s *Store) Audit(ctx context.Context, actor auth.Actor, action, objType string, objID, orgID int64, detail any) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		return s.audit(ctx, tx, actor, action, objType, objID, orgID, nil, detail)
	})
}

func actorName(a auth.Actor) string {
	if a.Name == "" {
		return "system"
	}
	return a.Name
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// AuditFilter selects audit entries; zero fields do not filter.
type AuditFilter struct {
	Actor      string
	Action     string // exact action, or a prefix ending in "." ("org.")
	ObjectType string
	ObjectID   string
	Since      time.Time
	Until      time.Time
	BeforeID   int64 // cursor: entries older than this id
	Limit      int   // default 100, at most 1000
}

// ListAudit returns entries newest first.
func (s *Store) ListAudit(ctx context.Context, f AuditFilter) ([]auth.AuditEntry, error) {
	var a args
	q := `SELECT id, at, actor, actor_id, role, ip, action, object_type, object_id, org_id, before_json, after_json
		FROM audit_log WHERE 1 = 1`
	if f.Actor != "" {
		q += " AND actor = " + a.add(f.Actor)
	}
	if f.Action != "" {
		if f.Action[len(f.Action)-1] == '.' {
			q += " AND action LIKE " + a.add(f.Action+"%")
		} else {
			q += " AND action = " + a.add(f.Action)
		}
	}
	if f.ObjectType != "" {
		q += " AND object_type = " + a.add(f.ObjectType)
	}
	if f.ObjectID != "" {
		q += " AND object_id = " + a.add(f.ObjectID)
	}
	if !f.Since.IsZero() {
		q += " AND at >= " + a.add(f.Since.UTC())
	}
	if !f.Until.IsZero() {
		q += " AND at < " + a.add(f.Until.UTC())
	}
	if f.BeforeID > 0 {
		q += " AND id < " + a.add(f.BeforeID)
	}
	q += " ORDER BY id DESC LIMIT " + a.add(clampLimit(f.Limit, 100, 1000))
	rows, err := s.db.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, fmt.Errorf("storage: list audit: %w", err)
	}
	defer rows.Close()
	var out []auth.AuditEntry
	for rows.Next() {
		var e auth.AuditEntry
		var actorID, orgID sql.NullInt64
		var role string
		var before, after sql.NullString
		if err := rows.Scan(&e.ID, &e.At, &e.Actor, &actorID, &role, &e.IP, &e.Action, &e.ObjectType, &e.ObjectID, &orgID, &before, &after); err != nil {
			return nil, fmt.Errorf("storage: list audit: %w", err)
		}
		e.At = e.At.UTC()
		e.ActorID, e.OrgID, e.Role = actorID.Int64, orgID.Int64, auth.Role(role)
		if before.Valid {
			e.Before = json.RawMessage(before.String)
		}
		if after.Valid {
			e.After = json.RawMessage(after.String)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func clampLimit(n, def, max int) int {
	if n <= 0 {
		return def
	}
	return min(n, max)
}
