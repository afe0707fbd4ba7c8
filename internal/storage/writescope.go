package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/tlp"
)

// mayChangeOrg refuses, inside tx, a change by actor to an organisation
// outside the actor's scope. It answers "not found" like a read would, so a
// write cannot probe for another agency's organisations.
func mayChangeOrg(ctx context.Context, tx *sql.Tx, actor auth.Actor, orgID int64) error {
	var label string
	err := tx.QueryRowContext(ctx, `SELECT tlp FROM orgs WHERE id = $1`, orgID).Scan(&label)
	if errors.Is(err, sql.ErrNoRows) {
		return errs.E(errs.NotFound, "organisation %d not found", orgID)
	}
	if err != nil {
		return fmt.Errorf("storage: check scope of org %d: %w", orgID, err)
	}
	if !actor.Scope.AllowsOrg(orgID, tlp.Label(label)) {
		return errs.E(errs.NotFound, "organisation %d not found", orgID)
	}
	return nil
}

// mayChangeRegistry refuses registry-wide changes (new organisations, bulk
// imports) to actors whose scope is limited.
func mayChangeRegistry(actor auth.Actor) error {
	if !actor.Scope.Unlimited() {
		return errs.E(errs.Forbidden, "only CERT staff may add organisations or import the registry")
	}
	return nil
}
