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

const contactColumns = `id, org_id, email, name, role, language, pgp_key`

func scanContact(sc interface{ Scan(...any) error }) (constituency.Contact, error) {
	var c constituency.Contact
	var lang string
	err := sc.Scan(&c.ID, &c.OrgID, &c.Email, &c.Name, &c.Role, &lang, &c.PGPKey)
	c.Language = constituency.Language(lang)
	return c, err
}

func (s *Store) queryContacts(ctx context.Context, q querier, query string, a ...any) ([]constituency.Contact, error) {
	rows, err := q.QueryContext(ctx, query, a...)
	if err != nil {
		return nil, fmt.Errorf("storage: list contacts: %w", err)
	}
	defer rows.Close()
	var out []constituency.Contact
	for rows.Next() {
		c, err := scanContact(rows)
		if err != nil {
			return nil, fmt.Errorf("storage: list contacts: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ListContacts returns an organisation's contacts when it is in scope.
// Contacts are personal data, so the read is recorded in the audit log.
func (s *Store) ListContacts(ctx context.Context, sc auth.Scope, actor auth.Actor, orgID int64) ([]constituency.Contact, error) {
	var a args
	q := `SELECT c.id, c.org_id, c.email, c.name, c.role, c.language, c.pgp_key FROM contacts c JOIN orgs o ON o.id = c.org_id
		WHERE c.org_id = ` + a.add(orgID) + ` AND ` + scopeCond(sc, &a, "o.id", "o.tlp_rank") + ` ORDER BY c.email`
	cs, err := s.queryContacts(ctx, s.db, q, a...)
	if err != nil {
		return nil, err
	}
	if len(cs) > 0 {
		ids := make([]int64, len(cs))
		for i, c := range cs {
			ids[i] = c.ID
		}
		if err := s.Audit(ctx, actor, "contact.read", "org", orgID, orgID, map[string]any{"contact_ids": ids}); err != nil {
			return nil, err
		}
	}
	return cs, nil
}

// GetContact returns one contact whose organisation is in scope (and audits the read).
func (s *Store) GetContact(ctx context.Context, sc auth.Scope, actor auth.Actor, id int64) (*constituency.Contact, error) {
	var a args
	q := `SELECT c.id, c.org_id, c.email, c.name, c.role, c.language, c.pgp_key FROM contacts c JOIN orgs o ON o.id = c.org_id
		WHERE c.id = ` + a.add(id) + ` AND ` + scopeCond(sc, &a, "o.id", "o.tlp_rank")
	c, err := scanContact(s.db.QueryRowContext(ctx, q, a...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "contact %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("storage: get contact %d: %w", id, err)
	}
	if err := s.Audit(ctx, actor, "contact.read", "contact", c.ID, c.OrgID, nil); err != nil {
		return nil, err
	}
	return &c, nil
}

func (s *Store) insertContact(ctx context.Context, tx *sql.Tx, orgID int64, c *constituency.Contact) error {
	err := tx.QueryRowContext(ctx, `INSERT INTO contacts (org_id, email, name, role, language, pgp_key) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		orgID, c.Email, c.Name, c.Role, string(c.Language), c.PGPKey).Scan(&c.ID)
	if isUniqueViolation(err) {
		return errs.Field("email", "%s is already a contact of this organisation", c.Email)
	}
	if isForeignKeyViolation(err) {
		return errs.E(errs.NotFound, "organisation %d not found", orgID)
	}
	if err != nil {
		return fmt.Errorf("storage: insert contact: %w", err)
	}
	c.OrgID = orgID
	return nil
}

// orgLanguage is the default language for a new contact of the organisation.
func (s *Store) orgLanguage(ctx context.Context, q querier, orgID int64) (constituency.Language, error) {
	var lang string
	err := q.QueryRowContext(ctx, `SELECT language FROM orgs WHERE id = $1`, orgID).Scan(&lang)
	if errors.Is(err, sql.ErrNoRows) {
		return "", errs.E(errs.NotFound, "organisation %d not found", orgID)
	}
	return constituency.Language(lang), err
}

// AddContact adds a contact to an organisation.
func (s *Store) AddContact(ctx context.Context, actor auth.Actor, orgID int64, c *constituency.Contact) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := mayChangeOrg(ctx, tx, actor, orgID); err != nil {
			return err
		}
		lang, err := s.orgLanguage(ctx, tx, orgID)
		if err != nil {
			return err
		}
		if err := c.Normalize(lang); err != nil {
			return err
		}
		if err := s.insertContact(ctx, tx, orgID, c); err != nil {
			return err
		}
		if err := s.touchOrg(ctx, tx, orgID); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "contact.create", "contact", c.ID, orgID, nil, c)
	})
}

// UpdateContact changes a contact; c.ID names it.
func (s *Store) UpdateContact(ctx context.Context, actor auth.Actor, c *constituency.Contact) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		before, err := scanContact(tx.QueryRowContext(ctx, `SELECT `+contactColumns+` FROM contacts WHERE id = $1`, c.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return errs.E(errs.NotFound, "contact %d not found", c.ID)
		}
		if err != nil {
			return fmt.Errorf("storage: get contact %d: %w", c.ID, err)
		}
		if err := mayChangeOrg(ctx, tx, actor, before.OrgID); err != nil {
			return errs.E(errs.NotFound, "contact %d not found", c.ID)
		}
		lang, err := s.orgLanguage(ctx, tx, before.OrgID)
		if err != nil {
			return err
		}
		if err := c.Normalize(lang); err != nil {
			return err
		}
		c.OrgID = before.OrgID
		_, err = tx.ExecContext(ctx, `UPDATE contacts SET email = $1, name = $2, role = $3, language = $4, pgp_key = $5 WHERE id = $6`,
			c.Email, c.Name, c.Role, string(c.Language), c.PGPKey, c.ID)
		if isUniqueViolation(err) {
			return errs.Field("email", "%s is already a contact of this organisation", c.Email)
		}
		if err != nil {
			return fmt.Errorf("storage: update contact %d: %w", c.ID, err)
		}
		if err := s.touchOrg(ctx, tx, c.OrgID); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "contact.update", "contact", c.ID, c.OrgID, before, c)
	})
}

// DeleteContact removes a contact.
func (s *Store) DeleteContact(ctx context.Context, actor auth.Actor, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		before, err := scanContact(tx.QueryRowContext(ctx, `SELECT `+contactColumns+` FROM contacts WHERE id = $1`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return errs.E(errs.NotFound, "contact %d not found", id)
		}
		if err != nil {
			return fmt.Errorf("storage: get contact %d: %w", id, err)
		}
		if err := mayChangeOrg(ctx, tx, actor, before.OrgID); err != nil {
			return errs.E(errs.NotFound, "contact %d not found", id)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM contacts WHERE id = $1`, id); err != nil {
			return fmt.Errorf("storage: delete contact %d: %w", id, err)
		}
		if err := s.touchOrg(ctx, tx, before.OrgID); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "contact.delete", "contact", id, before.OrgID, before, nil)
	})
}
