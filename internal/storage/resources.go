package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/errs"
)

// querier is what both *sql.DB and *sql.Tx offer for reading.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

const resourceColumns = `id, org_id, kind, value, criticality, notes`

func scanResource(sc interface{ Scan(...any) error }) (constituency.Resource, error) {
	var r constituency.Resource
	var kind, crit string
	err := sc.Scan(&r.ID, &r.OrgID, &kind, &r.Value, &crit, &r.Notes)
	r.Kind, r.Criticality = constituency.ResourceKind(kind), constituency.Criticality(crit)
	return r, err
}

func (s *Store) queryResources(ctx context.Context, q querier, query string, a ...any) ([]constituency.Resource, error) {
	rows, err := q.QueryContext(ctx, query, a...)
	if err != nil {
		return nil, fmt.Errorf("storage: list resources: %w", err)
	}
	defer rows.Close()
	var out []constituency.Resource
	for rows.Next() {
		r, err := scanResource(rows)
		if err != nil {
			return nil, fmt.Errorf("storage: list resources: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func (s *Store) listResources(ctx context.Context, q querier, orgID int64) ([]constituency.Resource, error) {
	return s.queryResources(ctx, q, `SELECT `+resourceColumns+` FROM resources WHERE org_id = $1 ORDER BY kind, value`, orgID)
}

// GetResource returns one resource whose organisation is in scope.
func (s *Store) GetResource(ctx context.Context, sc auth.Scope, id int64) (*constituency.Resource, error) {
	var a args
	q := `SELECT r.id, r.org_id, r.kind, r.value, r.criticality, r.notes FROM resources r JOIN orgs o ON o.id = r.org_id
		WHERE r.id = ` + a.add(id) + ` AND ` + scopeCond(sc, &a, "o.id", "o.tlp_rank")
	r, err := scanResource(s.db.QueryRowContext(ctx, q, a...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "resource %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("storage: get resource %d: %w", id, err)
	}
	return &r, nil
}

func (s *Store) insertResource(ctx context.Context, tx *sql.Tx, orgID int64, r *constituency.Resource) error {
	err := tx.QueryRowContext(ctx, `INSERT INTO resources (org_id, kind, value, criticality, notes) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		orgID, string(r.Kind), r.Value, string(r.Criticality), r.Notes).Scan(&r.ID)
	if isUniqueViolation(err) {
		return errs.Field("value", "%s %s is already registered for this organisation", r.Kind, r.Value)
	}
	if isForeignKeyViolation(err) {
		return errs.E(errs.NotFound, "organisation %d not found", orgID)
	}
	if err != nil {
		return fmt.Errorf("storage: insert resource: %w", err)
	}
	r.OrgID = orgID
	return nil
}

// AddResource registers a resource for an organisation.
func (s *Store) AddResource(ctx context.Context, actor auth.Actor, orgID int64, r *constituency.Resource) error {
	if err := r.Normalize(); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := mayChangeOrg(ctx, tx, actor, orgID); err != nil {
			return err
		}
		if err := s.insertResource(ctx, tx, orgID, r); err != nil {
			return err
		}
		if err := s.touchOrg(ctx, tx, orgID); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "resource.create", "resource", r.ID, orgID, nil, r)
	})
}

// UpdateResource changes a resource; r.ID names it. Its organisation does not change.
func (s *Store) UpdateResource(ctx context.Context, actor auth.Actor, r *constituency.Resource) error {
	if err := r.Normalize(); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		before, err := scanResource(tx.QueryRowContext(ctx, `SELECT `+resourceColumns+` FROM resources WHERE id = $1`, r.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return errs.E(errs.NotFound, "resource %d not found", r.ID)
		}
		if err != nil {
			return fmt.Errorf("storage: get resource %d: %w", r.ID, err)
		}
		if err := mayChangeOrg(ctx, tx, actor, before.OrgID); err != nil {
			return errs.E(errs.NotFound, "resource %d not found", r.ID)
		}
		r.OrgID = before.OrgID
		_, err = tx.ExecContext(ctx, `UPDATE resources SET kind = $1, value = $2, criticality = $3, notes = $4 WHERE id = $5`,
			string(r.Kind), r.Value, string(r.Criticality), r.Notes, r.ID)
		if isUniqueViolation(err) {
			return errs.Field("value", "%s %s is already registered for this organisation", r.Kind, r.Value)
		}
		if err != nil {
			return fmt.Errorf("storage: update resource %d: %w", r.ID, err)
		}
		if err := s.touchOrg(ctx, tx, r.OrgID); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "resource.update", "resource", r.ID, r.OrgID, before, r)
	})
}

// DeleteResource removes a resource.
func (s *Store) DeleteResource(ctx context.Context, actor auth.Actor, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		before, err := scanResource(tx.QueryRowContext(ctx, `SELECT `+resourceColumns+` FROM resources WHERE id = $1`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return errs.E(errs.NotFound, "resource %d not found", id)
		}
		if err != nil {
			return fmt.Errorf("storage: get resource %d: %w", id, err)
		}
		if err := mayChangeOrg(ctx, tx, actor, before.OrgID); err != nil {
			return errs.E(errs.NotFound, "resource %d not found", id)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM resources WHERE id = $1`, id); err != nil {
			return fmt.Errorf("storage: delete resource %d: %w", id, err)
		}
		if err := s.touchOrg(ctx, tx, before.OrgID); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "resource.delete", "resource", id, before.OrgID, before, nil)
	})
}

// touchOrg marks an organisation as changed when one of its lists changes.
func (s *Store) touchOrg(ctx context.Context, tx *sql.Tx, orgID int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE orgs SET updated_at = $1 WHERE id = $2`, s.Now(), orgID); err != nil {
		return fmt.Errorf("storage: touch org %d: %w", orgID, err)
	}
	return nil
}
