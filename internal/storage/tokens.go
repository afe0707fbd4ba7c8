package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
)

// MaxTokenLifetime bounds API token lifetimes: a forgotten token expires.
const MaxTokenLifetime = 366 * 24 * time.Hour

const tokenColumns = `t.id, t.user_id, u.name, t.name, t.prefix, t.created_at, t.expires_at, t.last_used_at, t.revoked_at`

func scanToken(sc interface{ Scan(...any) error }) (*auth.Token, error) {
	var t auth.Token
	var used, revoked sql.NullTime
	if err := sc.Scan(&t.ID, &t.UserID, &t.UserName, &t.Name, &t.Prefix, &t.CreatedAt, &t.ExpiresAt, &used, &revoked); err != nil {
		return nil, err
	}
	t.CreatedAt, t.ExpiresAt = t.CreatedAt.UTC(), t.ExpiresAt.UTC()
	if used.Valid {
		t.LastUsedAt = used.Time.UTC()
	}
	if revoked.Valid {
		t.RevokedAt = revoked.Time.UTC()
	}
	return &t, nil
}

// CreateToken issues an API token for a user and returns its secret, which
// is not stored and cannot be shown again.
func (s *Store) CreateToken(ctx context.Context, actor auth.Actor, userID int64, name string, lifetime time.Duration) (string, *auth.Token, error) {
	if userID == 0 {
		// A session opened by a notice link has no account to own a token.
		return "", nil, errs.E(errs.Forbidden, "only a user account may hold API tokens")
	}
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 100 {
		return "", nil, errs.Field("name", "give the token a name of at most 100 characters, saying what it is for")
	}
	if lifetime <= 0 || lifetime > MaxTokenLifetime {
		return "", nil, errs.Field("expires_in", "must be between 1 second and 366 days")
	}
	secret := auth.NewSecret(auth.TokenPrefix)
	now := s.Now()
	t := &auth.Token{UserID: userID, Name: name, Prefix: secret[:len(auth.TokenPrefix)+6], CreatedAt: now, ExpiresAt: now.Add(lifetime)}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO tokens (user_id, name, prefix, hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			userID, t.Name, t.Prefix, auth.HashSecret(secret), t.CreatedAt, t.ExpiresAt).Scan(&t.ID)
		if isForeignKeyViolation(err) {
			return errs.E(errs.NotFound, "user %d not found", userID)
		}
		if err != nil {
			return fmt.Errorf("storage: create token: %w", err)
		}
		return s.audit(ctx, tx, actor, "token.create", "token", t.ID, 0, nil, t)
	})
	if err != nil {
		return "", nil, err
	}
	return secret, t, nil
}

// ListTokens returns the tokens of one user (userID > 0) or of everyone (0).
func (s *Store) ListTokens(ctx context.Context, userID int64) ([]*auth.Token, error) {
	q := `SELECT ` + tokenColumns + ` FROM tokens t JOIN users u ON u.id = t.user_id`
	var a args
	if userID > 0 {
		q += ` WHERE t.user_id = ` + a.add(userID)
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY t.id`, a...)
	if err != nil {
		return nil, fmt.Errorf("storage: list tokens: %w", err)
	}
	defer rows.Close()
	var out []*auth.Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("storage: list tokens: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// GetToken returns a token's record by id.
func (s *Store) GetToken(ctx context.Context, id int64) (*auth.Token, error) {
	t, err := scanToken(s.db.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "token %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("storage: get token %d: %w", id, err)
	}
	return t, nil
}

// RevokeToken makes a token unusable from now on.
func (s *Store) RevokeToken(ctx context.Context, actor auth.Actor, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		r, err := tx.ExecContext(ctx, `UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL`, s.Now(), id)
		if err != nil {
			return fmt.Errorf("storage: revoke token %d: %w", id, err)
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return errs.E(errs.NotFound, "token %d not found or already revoked", id)
		}
		return s.audit(ctx, tx, actor, "token.revoke", "token", id, 0, nil, nil)
	})
}

// UserByToken authenticates an API token: it returns the token's user when
// the token exists, is neither expired nor revoked, and the user is enabled.
func (s *Store) UserByToken(ctx context.Context, secret string) (*auth.User, *auth.Token, error) {
	if !auth.LooksLikeToken(secret) {
		return nil, nil, errs.E(errs.Unauthorized, "invalid API token")
	}
	t, err := scanToken(s.db.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = $1`, auth.HashSecret(secret)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, errs.E(errs.Unauthorized, "invalid API token")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("storage: find token: %w", err)
	}
	now := s.Now()
	if !t.Active(now) {
		return nil, nil, errs.E(errs.Unauthorized, "API token expired or revoked")
	}
	u, err := s.GetUser(ctx, t.UserID)
	if err != nil {
		return nil, nil, err
	}
	if u.Disabled {
		return nil, nil, errs.E(errs.Unauthorized, "user is disabled")
	}
	// Record use at most once a minute per token: a busy script must not
	// turn every read into a write.
	if now.Sub(t.LastUsedAt) > time.Minute {
		if _, err := s.db.ExecContext(ctx, `UPDATE tokens SET last_used_at = $1 WHERE id = $2`, now, t.ID); err != nil {
			return nil, nil, fmt.Errorf("storage: token last use: %w", err)
		}
		t.LastUsedAt = now
	}
	return u, t, nil
}
