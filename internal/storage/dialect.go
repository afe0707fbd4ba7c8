package storage

import (
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// dialect holds what differs between SQLite and PostgreSQL. The queries
// themselves are shared.
type dialect struct {
	name string
	// lockMigrations serialises migrations across serve nodes sharing one
	// database; SQLite's immediate transaction already does.
	lockMigrations string
}

var (
	sqlite   = dialect{name: "sqlite"}
	postgres = dialect{name: "postgres", lockMigrations: "SELECT pg_advisory_xact_lock(7271016)"}
)

// forUpdate is the clause that locks the rows of table alias t read for
// a read-modify-write: PostgreSQL's FOR UPDATE. SQLite has none and needs
// none: its writer holds the database from BEGIN.
func (d dialect) forUpdate(t string) string {
	if d.name == "postgres" {
		return " FOR UPDATE OF " + t
	}
	return ""
}

// isUniqueViolation reports whether err is a unique-constraint failure.
func isUniqueViolation(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505"
	}
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// isForeignKeyViolation reports whether err is a foreign-key failure.
func isForeignKeyViolation(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23503"
	}
	return err != nil && strings.Contains(err.Error(), "FOREIGN KEY constraint failed")
}
