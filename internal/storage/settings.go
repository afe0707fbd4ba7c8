package storage

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
)

// GetOrCreateSecret returns the 32-byte secret kept under name, making
// and storing a random one the first time. Several nodes starting at once
// agree: the first insert wins and every node reads that one back.
func (s *Store) GetOrCreateSecret(ctx context.Context, name string) ([]byte, error) {
	read := func() ([]byte, error) {
		var v string
		err := s.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE name = $1`, name).Scan(&v)
		if err != nil {
			return nil, err
		}
		b, err := base64.StdEncoding.DecodeString(v)
		if err != nil || len(b) == 0 {
			return nil, fmt.Errorf("storage: setting %s is not a base64 secret", name)
		}
		return b, nil
	}
	b, err := read()
	if err == nil {
		return b, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("storage: read secret %s: %w", name, err)
	}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, fmt.Errorf("storage: make secret %s: %w", name, err)
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO settings (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING`,
		name, base64.StdEncoding.EncodeToString(fresh), s.Now().UTC()); err != nil {
		return nil, fmt.Errorf("storage: store secret %s: %w", name, err)
	}
	if b, err = read(); err != nil {
		return nil, fmt.Errorf("storage: read secret %s: %w", name, err)
	}
	return b, nil
}
