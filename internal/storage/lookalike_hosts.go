package storage

import (
	"context"
	"encoding/json"
	"fmt"
)

// MaxEventID is the id of the newest stored event (0 when none): the
// watermark from which new events' host names are read.
func (s *Store) MaxEventID(ctx context.Context) (int64, error) {
	var id int64
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM events`).Scan(&id); err != nil {
		return 0, fmt.Errorf("storage: max event id: %w", err)
	}
	return id, nil
}

// hostFields are the event fields that name a host: look-alike domains
// turn up as phishing URLs, as the names of scanned or infected hosts,
// and as destinations.
var hostFields = []string{"source.url", "destination.fqdn", "destination.url"}

// EventHostsAfter returns the host names and URLs of up to limit events
// stored after the event afterID, and the id of the last event read (to
// pass next time). source.fqdn comes from its column; the others from the
// event's data.
func (s *Store) EventHostsAfter(ctx context.Context, afterID int64, limit int) ([]string, int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, source_fqdn, data FROM events WHERE id > $1 ORDER BY id LIMIT $2`, afterID, limit)
	if err != nil {
		return nil, afterID, fmt.Errorf("storage: event hosts: %w", err)
	}
	defer rows.Close()
	last := afterID
	var out []string
	for rows.Next() {
		var fqdn, data string
		if err := rows.Scan(&last, &fqdn, &data); err != nil {
			return nil, afterID, fmt.Errorf("storage: event hosts: %w", err)
		}
		if fqdn != "" {
			out = append(out, fqdn)
		}
		var m map[string]any
		if json.Unmarshal([]byte(data), &m) != nil {
			continue
		}
		for _, f := range hostFields {
			if v, ok := m[f].(string); ok && v != "" {
				out = append(out, v)
			}
		}
	}
	return out, last, rows.Err()
}
