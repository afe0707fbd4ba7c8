package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/qalxan/qalxan/internal/errs"
)

// IncidentView is a user's saved filter of the incident list: a name and
// the list's URL query. It holds no data: applied, it runs through the
// list with the user's own scope, so a view is as safe to keep as a
// bookmark.
type IncidentView struct {
	ID        int64     `json:"id"`
	UserID    int64     `json:"user_id"`
	Name      string    `json:"name"`
	Query     string    `json:"query"` // "status=open&kind=phone&observable=…"
	CreatedAt time.Time `json:"created_at"`
}

// maxIncidentViews bounds one user's saved views: a list, not a database.
const maxIncidentViews = 50

// SaveIncidentView saves a filter under a name for the user; a name the
// user already has is replaced, so saving again updates the view.
func (s *Store) SaveIncidentView(ctx context.Context, userID int64, name, query string) (IncidentView, error) {
	v := IncidentView{UserID: userID, Name: strings.Join(strings.Fields(name), " "), Query: strings.TrimSpace(query)}
	if v.Name == "" {
		return v, errs.Field("name", "give the view a name")
	}
	if utf8.RuneCountInString(v.Name) > 80 || !utf8.ValidString(v.Name) {
		return v, errs.Field("name", "at most 80 characters")
	}
	if v.Query == "" {
		return v, errs.Field("query", "set a filter first: a view without one is the whole list")
	}
	if len(v.Query) > 2000 {
		return v, errs.Field("query", "at most 2000 bytes")
	}
	v.CreatedAt = s.Now().UTC()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM incident_views WHERE user_id = $1 AND name <> $2`, userID, v.Name).Scan(&n); err != nil {
			return fmt.Errorf("storage: save incident view: %w", err)
		}
		if n >= maxIncidentViews {
			return errs.Field("name", "at most %d saved views; delete one first", maxIncidentViews)
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO incident_views (user_id, name, query, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (user_id, name) DO UPDATE SET query = excluded.query, created_at = excluded.created_at RETURNING id`,
			userID, v.Name, v.Query, v.CreatedAt).Scan(&v.ID); err != nil {
			return fmt.Errorf("storage: save incident view: %w", err)
		}
		return nil
	})
	return v, err
}

// IncidentViews lists a user's saved views by name.
func (s *Store) IncidentViews(ctx context.Context, userID int64) ([]IncidentView, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, user_id, name, query, created_at FROM incident_views WHERE user_id = $1 ORDER BY name`, userID)
	if err != nil {
		return nil, fmt.Errorf("storage: incident views: %w", err)
	}
	defer rows.Close()
	var out []IncidentView
	for rows.Next() {
		var v IncidentView
		if err := rows.Scan(&v.ID, &v.UserID, &v.Name, &v.Query, &v.CreatedAt); err != nil {
			return nil, fmt.Errorf("storage: incident views: %w", err)
		}
		v.CreatedAt = v.CreatedAt.UTC()
		out = append(out, v)
	}
	return out, rows.Err()
}

// DeleteIncidentView deletes one of the user's views; another user's is
// not found.
func (s *Store) DeleteIncidentView(ctx context.Context, userID, id int64) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM incident_views WHERE id = $1 AND user_id = $2`, id, userID)
	if err != nil {
		return fmt.Errorf("storage: delete incident view %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.E(errs.NotFound, "view %d not found", id)
	}
	return nil
}
