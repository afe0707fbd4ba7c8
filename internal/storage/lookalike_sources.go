package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// SourceState is where an observed-domain stream got to: the file and the
// offset of its last whole line read, or the validators of the last
// download read, with running counts for the operator.
type SourceState struct {
	Name         string    `json:"name"`
	FileID       string    `json:"file_id,omitempty"`
	Offset       int64     `json:"offset,omitempty"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	Domains      int64     `json:"domains"`
	Matched      int64     `json:"matched"`
	UpdatedAt    time.Time `json:"updated_at,omitzero"`
}

// LookalikeSourceState returns the state of the named source; a source
// never read has the zero state.
func (s *Store) LookalikeSourceState(ctx context.Context, name string) (SourceState, error) {
	st := SourceState{Name: name}
	err := s.db.QueryRowContext(ctx, `SELECT file_id, file_offset, etag, last_modified, domains, matched, updated_at
		FROM lookalike_sources WHERE name = $1`, name).Scan(&st.FileID, &st.Offset, &st.ETag, &st.LastModified, &st.Domains, &st.Matched, &st.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return SourceState{Name: name}, nil
	}
	if err != nil {
		return st, fmt.Errorf("storage: look-alike source %s: %w", name, err)
	}
	st.UpdatedAt = st.UpdatedAt.UTC()
	return st, nil
}

// SaveLookalikeSourceState records where the source got to, adding
// domains and matched to its counts.
func (s *Store) SaveLookalikeSourceState(ctx context.Context, st SourceState, domains, matched int) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO lookalike_sources (name, file_id, file_offset, etag, last_modified, domains, matched, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (name) DO UPDATE SET file_id = excluded.file_id, file_offset = excluded.file_offset, etag = excluded.etag,
			last_modified = excluded.last_modified, domains = lookalike_sources.domains + excluded.domains,
			matched = lookalike_sources.matched + excluded.matched, updated_at = excluded.updated_at`,
		st.Name, st.FileID, st.Offset, st.ETag, st.LastModified, domains, matched, s.Now().UTC())
	if err != nil {
		return fmt.Errorf("storage: save look-alike source %s: %w", st.Name, err)
	}
	return nil
}

// ListLookalikeSourceStates returns every source's state, by name: what
// the operator looks at to see whether a stream still flows.
func (s *Store) ListLookalikeSourceStates(ctx context.Context) ([]SourceState, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name, file_id, file_offset, etag, last_modified, domains, matched, updated_at
		FROM lookalike_sources ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("storage: look-alike sources: %w", err)
	}
	defer rows.Close()
	var out []SourceState
	for rows.Next() {
		var st SourceState
		if err := rows.Scan(&st.Name, &st.FileID, &st.Offset, &st.ETag, &st.LastModified, &st.Domains, &st.Matched, &st.UpdatedAt); err != nil {
			return nil, fmt.Errorf("storage: look-alike sources: %w", err)
		}
		st.UpdatedAt = st.UpdatedAt.UTC()
		out = append(out, st)
	}
	return out, rows.Err()
}
