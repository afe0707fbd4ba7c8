package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/lookalike"
)

// Brand is a protected brand with the organisation it belongs to.
type Brand struct {
	lookalike.Brand
	OrgID     int64     `json:"org_id"`
	Org       string    `json:"org"` // the organisation's short name
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

const brandColumns = `b.id, b.org_id, o.short_name, b.name, b.domains, b.keywords, b.created_at, b.updated_at`

func scanBrand(sc interface{ Scan(...any) error }, b *Brand) error {
	var domains, keywords string
	if err := sc.Scan(&b.ID, &b.OrgID, &b.Org, &b.Name, &domains, &keywords, &b.CreatedAt, &b.UpdatedAt); err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(domains), &b.Domains); err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(keywords), &b.Keywords); err != nil {
		return err
	}
	b.CreatedAt, b.UpdatedAt = b.CreatedAt.UTC(), b.UpdatedAt.UTC()
	return nil
}

// ListBrands returns the brands of the organisations in scope, by name.
func (s *Store) ListBrands(ctx context.Context, sc auth.Scope) ([]Brand, error) {
	var a args
	rows, err := s.db.QueryContext(ctx, `SELECT `+brandColumns+` FROM brands b JOIN orgs o ON o.id = b.org_id
		WHERE `+scopeCond(sc, &a, "b.org_id", "o.tlp_rank")+` ORDER BY b.name, b.id`, a...)
	if err != nil {
		return nil, fmt.Errorf("storage: list brands: %w", err)
	}
	defer rows.Close()
	var out []Brand
	for rows.Next() {
		var b Brand
		if err := scanBrand(rows, &b); err != nil {
			return nil, fmt.Errorf("storage: list brands: %w", err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// GetBrand returns one brand in scope.
func (s *Store) GetBrand(ctx context.Context, sc auth.Scope, id int64) (*Brand, error) {
	var a args
	q := `SELECT ` + brandColumns + ` FROM brands b JOIN orgs o ON o.id = b.org_id
		WHERE b.id = ` + a.add(id) + ` AND ` + scopeCond(sc, &a, "b.org_id", "o.tlp_rank")
	var b Brand
	if err := scanBrand(s.db.QueryRowContext(ctx, q, a...), &b); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, errs.E(errs.NotFound, "brand %d not found", id)
		}
		return nil, fmt.Errorf("storage: get brand %d: %w", id, err)
	}
	return &b, nil
}

// normalizeBrand validates b. Domains are kept as the user wrote them
// (Unicode or punycode): the matcher converts them itself.
func normalizeBrand(b *Brand) error {
	if b.OrgID == 0 {
		return errs.Field("org_id", "a brand belongs to an organisation")
	}
	if err := b.Validate(); err != nil {
		return err
	}
	if b.Name == "" {
		b.Name = b.Label()
	}
	if b.Keywords == nil {
		b.Keywords = []string{}
	}
	return nil
}

// CreateBrand adds a brand to an organisation the actor may change.
func (s *Store) CreateBrand(ctx context.Context, actor auth.Actor, b *Brand) error {
	if err := normalizeBrand(b); err != nil {
		return err
	}
	domains, _ := json.Marshal(b.Domains)
	keywords, _ := json.Marshal(b.Keywords)
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := mayChangeOrg(ctx, tx, actor, b.OrgID); err != nil {
			return err
		}
		now := s.Now()
		if err := tx.QueryRowContext(ctx, `INSERT INTO brands (org_id, name, domains, keywords, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $5) RETURNING id`, b.OrgID, b.Name, string(domains), string(keywords), now).Scan(&b.ID); err != nil {
			return fmt.Errorf("storage: insert brand: %w", err)
		}
		b.CreatedAt, b.UpdatedAt = now, now
		return s.audit(ctx, tx, actor, "brand.create", "brand", b.ID, b.OrgID, nil, b)
	})
}

// UpdateBrand replaces a brand's name, domains and keywords (and may move
// it to another organisation the actor may change).
func (s *Store) UpdateBrand(ctx context.Context, actor auth.Actor, b *Brand) error {
	if err := normalizeBrand(b); err != nil {
		return err
	}
	domains, _ := json.Marshal(b.Domains)
	keywords, _ := json.Marshal(b.Keywords)
	return s.tx(ctx, func(tx *sql.Tx) error {
		before, err := s.brandForUpdate(ctx, tx, actor, b.ID)
		if err != nil {
			return err
		}
		if err := mayChangeOrg(ctx, tx, actor, b.OrgID); err != nil {
			return err
		}
		now := s.Now()
		if _, err := tx.ExecContext(ctx, `UPDATE brands SET org_id = $1, name = $2, domains = $3, keywords = $4, updated_at = $5 WHERE id = $6`,
			b.OrgID, b.Name, string(domains), string(keywords), now, b.ID); err != nil {
			return fmt.Errorf("storage: update brand %d: %w", b.ID, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE lookalike_candidates SET org_id = $1 WHERE brand_id = $2`, b.OrgID, b.ID); err != nil {
			return fmt.Errorf("storage: update brand %d: %w", b.ID, err)
		}
		b.CreatedAt, b.UpdatedAt = before.CreatedAt, now
		return s.audit(ctx, tx, actor, "brand.update", "brand", b.ID, b.OrgID, before, b)
	})
}

// DeleteBrand removes a brand and its candidates.
func (s *Store) DeleteBrand(ctx context.Context, actor auth.Actor, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		before, err := s.brandForUpdate(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM lookalike_candidates WHERE brand_id = $1`, id); err != nil {
			return fmt.Errorf("storage: delete brand %d: %w", id, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM brands WHERE id = $1`, id); err != nil {
			return fmt.Errorf("storage: delete brand %d: %w", id, err)
		}
		return s.audit(ctx, tx, actor, "brand.delete", "brand", id, before.OrgID, before, nil)
	})
}

func (s *Store) brandForUpdate(ctx context.Context, tx *sql.Tx, actor auth.Actor, id int64) (*Brand, error) {
	var b Brand
	err := scanBrand(tx.QueryRowContext(ctx, `SELECT `+brandColumns+` FROM brands b JOIN orgs o ON o.id = b.org_id WHERE b.id = $1`, id), &b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "brand %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("storage: get brand %d: %w", id, err)
	}
	if err := mayChangeOrg(ctx, tx, actor, b.OrgID); err != nil {
		return nil, errs.E(errs.NotFound, "brand %d not found", id)
	}
	return &b, nil
}
