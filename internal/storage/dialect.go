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
	// insertIgnoring starts an INSERT that skips the rows that conflict
	// with a unique key (with ignoreConflict). On SQLite it is INSERT OR
	// IGNORE rather than ON CONFLICT DO NOTHING: under an upsert clause a
	// multi-row INSERT may still abort on a NOT NULL column, so SQLite
	// keeps a statement journal of every page it writes, and allocating
	// and freeing it was a fifth of an ingest's time.
	insertIgnoring string
}

var (
	sqlite   = dialect{name: "sqlite", insertIgnoring: "INSERT OR IGNORE"}
	postgres = dialect{name: "postgres", lockMigrations: "SELECT pg_advisory_xact_lock(7271016)", insertIgnoring: "INSERT"}
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

// ignoreConflict ends an INSERT begun with insertIgnoring: on PostgreSQL
// the rows conflicting on the unique key are skipped (on any unique key
// when key is empty); SQLite's OR IGNORE already said so.
func (d dialect) ignoreConflict(key string) string {
	switch {
	case d.name != "postgres":
		return ""
	case key == "":
		return " ON CONFLICT DO NOTHING"
	}
	return " ON CONFLICT (" + key + ") DO NOTHING"
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
