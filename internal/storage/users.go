package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
)

const userColumns = `id, name, display_name, email, role, language, disabled, password_hash, created_at, last_login_at`

func scanUser(sc interface{ Scan(...any) error }) (*auth.User, error) {
	var u auth.User
	var role string
	var last sql.NullTime
	if err := sc.Scan(&u.ID, &u.Name, &u.DisplayName, &u.Email, &role, &u.Language, &u.Disabled, &u.PasswordHash, &u.CreatedAt, &last); err != nil {
		return nil, err
	}
	u.Role = auth.Role(role)
	u.CreatedAt = u.CreatedAt.UTC()
	if last.Valid {
		u.LastLoginAt = last.Time.UTC()
	}
	return &u, nil
}

// loadUserOrgs fills the organisations a user is bound to.
func (s *Store) loadUserOrgs(ctx context.Context, q querier, u *auth.User) error {
	rows, err := q.QueryContext(ctx, `SELECT o.id, o.short_name FROM user_orgs uo JOIN orgs o ON o.id = uo.org_id
		WHERE uo.user_id = $1 ORDER BY o.short_name`, u.ID)
	if err != nil {
		return fmt.Errorf("storage: user orgs: %w", err)
	}
	defer rows.Close()
	u.OrgIDs, u.OrgNames = nil, nil
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return fmt.Errorf("storage: user orgs: %w", err)
		}
		u.OrgIDs, u.OrgNames = append(u.OrgIDs, id), append(u.OrgNames, name)
	}
	return rows.Err()
}

// GetUser returns a user by id.
func (s *Store) GetUser(ctx context.Context, id int64) (*auth.User, error) {
	return s.getUser(ctx, s.db, `id = $1`, id)
}

// GetUserByName returns a user by login name.
func (s *Store) GetUserByName(ctx context.Context, name string) (*auth.User, error) {
	return s.getUser(ctx, s.db, `name = $1`, name)
}

func (s *Store) getUser(ctx context.Context, q querier, cond string, key any) (*auth.User, error) {
	u, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE `+cond, key))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "user %v not found", key)
	}
	if err != nil {
		return nil, fmt.Errorf("storage: get user %v: %w", key, err)
	}
	if err := s.loadUserOrgs(ctx, q, u); err != nil {
		return nil, err
	}
	return u, nil
}

// ListUsers returns all users ordered by name.
func (s *Store) ListUsers(ctx context.Context) ([]*auth.User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("storage: list users: %w", err)
	}
	var out []*auth.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("storage: list users: %w", err)
		}
		out = append(out, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: list users: %w", err)
	}
	for _, u := range out {
		if err := s.loadUserOrgs(ctx, s.db, u); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// resolveUserOrgs turns the user's OrgNames (if given) into OrgIDs.
func (s *Store) resolveUserOrgs(ctx context.Context, tx *sql.Tx, u *auth.User) error {
	if len(u.OrgNames) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(u.OrgNames))
	for _, name := range u.OrgNames {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM orgs WHERE short_name = $1`, name).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.Field("org", "organisation %q does not exist", name)
		}
		if err != nil {
			return fmt.Errorf("storage: find org %s: %w", name, err)
		}
		ids = append(ids, id)
	}
	u.OrgIDs = ids
	return nil
}

func (s *Store) writeUserOrgs(ctx context.Context, tx *sql.Tx, u *auth.User) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM user_orgs WHERE user_id = $1`, u.ID); err != nil {
		return fmt.Errorf("storage: user orgs: %w", err)
	}
	slices.Sort(u.OrgIDs)
	u.OrgIDs = slices.Compact(u.OrgIDs)
	for _, id := range u.OrgIDs {
		_, err := tx.ExecContext(ctx, `INSERT INTO user_orgs (user_id, org_id) VALUES ($1, $2)`, u.ID, id)
		if isForeignKeyViolation(err) {
			return errs.Field("org", "organisation %d does not exist", id)
		}
		if err != nil {
			return fmt.Errorf("storage: user orgs: %w", err)
		}
	}
	return s.loadUserOrgs(ctx, tx, u)
}

// CreateUser adds a user. u.PasswordHash may be empty (no password login
// until one is set, e.g. a partner using only API tokens).
func (s *Store) CreateUser(ctx context.Context, actor auth.Actor, u *auth.User) error {
	if err := u.Normalize(); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.resolveUserOrgs(ctx, tx, u); err != nil {
			return err
		}
		u.CreatedAt = s.Now()
		err := tx.QueryRowContext(ctx, `INSERT INTO users (name, display_name, email, role, language, disabled, password_hash, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			u.Name, u.DisplayName, u.Email, string(u.Role), u.Language, u.Disabled, u.PasswordHash, u.CreatedAt).Scan(&u.ID)
		if isUniqueViolation(err) {
			return errs.Field("name", "a user named %q already exists", u.Name)
		}
		if err != nil {
			return fmt.Errorf("storage: create user: %w", err)
		}
		if err := s.writeUserOrgs(ctx, tx, u); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "user.create", "user", u.ID, 0, nil, u)
	})
}

// UpdateUser changes a user's profile, role, organisations and disabled
// flag (not the password: SetPassword). Disabling a user or changing their
// role or organisations ends their sessions, so the change takes effect now.
func (s *Store) UpdateUser(ctx context.Context, actor auth.Actor, u *auth.User) error {
	if err := u.Normalize(); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		before, err := s.getUser(ctx, tx, `id = $1`, u.ID)
		if err != nil {
			return err
		}
		if err := s.resolveUserOrgs(ctx, tx, u); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE users SET name = $1, display_name = $2, email = $3, role = $4, language = $5, disabled = $6 WHERE id = $7`,
			u.Name, u.DisplayName, u.Email, string(u.Role), u.Language, u.Disabled, u.ID)
		if isUniqueViolation(err) {
			return errs.Field("name", "a user named %q already exists", u.Name)
		}
		if err != nil {
			return fmt.Errorf("storage: update user %d: %w", u.ID, err)
		}
		if err := s.writeUserOrgs(ctx, tx, u); err != nil {
			return err
		}
		if u.Disabled || u.Role != before.Role || !slices.Equal(u.OrgIDs, before.OrgIDs) {
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, u.ID); err != nil {
				return fmt.Errorf("storage: end sessions: %w", err)
			}
		}
		u.CreatedAt, u.LastLoginAt = before.CreatedAt, before.LastLoginAt
		return s.audit(ctx, tx, actor, "user.update", "user", u.ID, 0, before, u)
	})
}

// SetPassword stores a new password hash and ends the user's other sessions.
func (s *Store) SetPassword(ctx context.Context, actor auth.Actor, userID int64, hash string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		r, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1 WHERE id = $2`, hash, userID)
		if err != nil {
			return fmt.Errorf("storage: set password: %w", err)
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return errs.E(errs.NotFound, "user %d not found", userID)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
			return fmt.Errorf("storage: end sessions: %w", err)
		}
		return s.audit(ctx, tx, actor, "user.password", "user", userID, 0, nil, nil)
	})
}

// RecordLogin notes a successful password login.
func (s *Store) RecordLogin(ctx context.Context, actor auth.Actor, userID int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET last_login_at = $1 WHERE id = $2`, s.Now(), userID); err != nil {
			return fmt.Errorf("storage: record login: %w", err)
		}
		return s.audit(ctx, tx, actor, "user.login", "user", userID, 0, nil, nil)
	})
}

// CountUsers returns how many users exist (to know whether set-up is needed).
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n, err
}
