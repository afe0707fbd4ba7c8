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

// LinkSessionPrefix marks the secrets of sessions opened by a notice link.
const LinkSessionPrefix = "qxl_"

// CreateLinkSession starts a session for a contact of an organisation who
// followed a signed notice link (auth.VerifyLink), and returns its secret.
// The session belongs to no user: UserBySession gives it an agency actor
// named "link:<contact>", scoped to that one organisation. Opening it is
// audited.
func (s *Store) CreateLinkSession(ctx context.Context, orgID int64, contact, ip string, lifetime time.Duration) (string, error) {
	contact = strings.TrimSpace(contact)
	if contact == "" || len(contact) > 320 {
		return "", errs.Field("contact", "a link session needs the contact it was sent to")
	}
	secret := auth.NewSecret(LinkSessionPrefix)
	now := s.Now()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM orgs WHERE id = $1`, orgID).Scan(&n); err != nil {
			return fmt.Errorf("storage: create link session: %w", err)
		}
		if n == 0 {
			return errs.E(errs.NotFound, "organisation %d not found", orgID)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO link_sessions (hash, org_id, contact, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
			auth.HashSecret(secret), orgID, contact, now, now.Add(lifetime)); err != nil {
			return fmt.Errorf("storage: create link session: %w", err)
		}
		actor := auth.Actor{Name: auth.LinkActorPrefix + contact, Role: auth.Agency, IP: ip, Scope: auth.Scope{OrgIDs: []int64{orgID}}}
		return s.audit(ctx, tx, actor, "session.link", "org", orgID, orgID, nil, map[string]any{"contact": contact, "expires_at": now.Add(lifetime).UTC()})
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// userByLinkSession is UserBySession for a link session: a user of no
// account (ID 0) with the agency role and only the link's organisation.
func (s *Store) userByLinkSession(ctx context.Context, secret string) (*auth.User, error) {
	var orgID int64
	var contact, short, lang string
	var expires time.Time
	err := s.db.QueryRowContext(ctx, `SELECT l.org_id, l.contact, l.expires_at, o.short_name, o.language
		FROM link_sessions l JOIN orgs o ON o.id = l.org_id WHERE l.hash = $1`, auth.HashSecret(secret)).
		Scan(&orgID, &contact, &expires, &short, &lang)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !s.Now().Before(expires)) {
		return nil, errs.E(errs.Unauthorized, "session expired; open the link again")
	}
	if err != nil {
		return nil, fmt.Errorf("storage: find link session: %w", err)
	}
	return &auth.User{
		Name: auth.LinkActorPrefix + contact, DisplayName: contact, Role: auth.Agency,
		OrgIDs: []int64{orgID}, OrgNames: []string{short}, Language: lang,
	}, nil
}
