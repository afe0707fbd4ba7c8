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

// SessionPrefix marks session secrets.
const SessionPrefix = "qxs_"

// CreateSession starts a browser session and returns its secret (the cookie
// value); only its hash is stored.
func (s *Store) CreateSession(ctx context.Context, userID int64, lifetime time.Duration) (string, error) {
	secret := auth.NewSecret(SessionPrefix)
	now := s.Now()
	_, err := s.db.ExecContext(ctx, `INSERT INTO sessions (hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
		auth.HashSecret(secret), userID, now, now.Add(lifetime))
	if err != nil {
		return "", fmt.Errorf("storage: create session: %w", err)
	}
	return secret, nil
}

// UserBySession returns the signed-in user of a live session.
func (s *Store) UserBySession(ctx context.Context, secret string) (*auth.User, error) {
	if strings.HasPrefix(secret, LinkSessionPrefix) {
		return s.userByLinkSession(ctx, secret)
	}
	var userID int64
	var expires time.Time
	err := s.db.QueryRowContext(ctx, `SELECT user_id, expires_at FROM sessions WHERE hash = $1`, auth.HashSecret(secret)).Scan(&userID, &expires)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !s.Now().Before(expires)) {
		return nil, errs.E(errs.Unauthorized, "session expired; sign in again")
	}
	if err != nil {
		return nil, fmt.Errorf("storage: find session: %w", err)
	}
	u, err := s.GetUser(ctx, userID)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, errs.E(errs.Unauthorized, "user is disabled")
	}
	return u, nil
}

// DeleteSession ends a session (sign out).
func (s *Store) DeleteSession(ctx context.Context, secret string) error {
	table := "sessions"
	if strings.HasPrefix(secret, LinkSessionPrefix) {
		table = "link_sessions"
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM `+table+` WHERE hash = $1`, auth.HashSecret(secret)); err != nil {
		return fmt.Errorf("storage: delete session: %w", err)
	}
	return nil
}

// PurgeSessions deletes expired sessions and returns how many.
func (s *Store) PurgeSessions(ctx context.Context) (int64, error) {
	var total int64
	for _, table := range []string{"sessions", "link_sessions"} {
		r, err := s.db.ExecContext(ctx, `DELETE FROM `+table+` WHERE expires_at <= $1`, s.Now())
		if err != nil {
			return total, fmt.Errorf("storage: purge %s: %w", table, err)
		}
		n, _ := r.RowsAffected()
		total += n
	}
	return total, nil
}
