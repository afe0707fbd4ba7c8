package storage

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkSQLiteCeiling measures SQLite itself, without Qalxan's code:
// how fast it can store rows the size of a scan_rdp event (1.67 KB of
// JSON) on the same settings as the ingest writer (16 KiB pages, WAL,
// synchronous NORMAL, a 32 MiB cache, one connection, transactions of
// 5,000 rows in INSERTs of 500), first with no index at all, then with
// the one unique index deduplication needs, then with the address index
// and an owner row per event as well. It bounds what any ingest into
// SQLite can reach on a machine; docs/performance.md quotes it. One
// operation is one row; run it on a million:
//
//	go test -run X -bench SQLiteCeiling -benchtime 1000000x ./internal/storage/
func BenchmarkSQLiteCeiling(b *testing.B) {
	for _, c := range []struct {
		name   string
		schema []string
		cols   string // the columns row gives values for; the id is the next rowid
		// row appends one row's values to a and returns it.
		row func(a []any) []any
		// owners is whether each row also gets an event_owners row.
		owners bool
	}{
		{
			name:   "rows",
			schema: []string{`CREATE TABLE events (id INTEGER PRIMARY KEY, data TEXT NOT NULL)`},
			cols:   "data",
			row:    func(a []any) []any { return append(a, ceilingData) },
		},
		{
			name:   "rows+fingerprint",
			schema: []string{`CREATE TABLE events (id INTEGER PRIMARY KEY, data TEXT NOT NULL, fingerprint BLOB NOT NULL UNIQUE)`},
			cols:   "data, fingerprint",
			row:    func(a []any) []any { return append(a, ceilingData, ceilingFingerprint()) },
		},
		{
			name: "rows+fingerprint+address+owner",
			schema: []string{
				`CREATE TABLE events (id INTEGER PRIMARY KEY, data TEXT NOT NULL, fingerprint BLOB NOT NULL UNIQUE, source_ipkey TEXT NOT NULL)`,
				`CREATE INDEX events_source_ip ON events(source_ipkey)`,
				`CREATE INDEX event_owners_event ON event_owners(event_id)`,
			},
			cols: "data, fingerprint, source_ipkey",
			row: func(a []any) []any {
				return append(a, ceilingData, ceilingFingerprint(), hex.EncodeToString(ceilingFingerprint()))
			},
			owners: true,
		},
	} {
		b.Run(c.name, func(b *testing.B) {
			db := openCeilingDB(b)
			for _, q := range append([]string{ceilingOwnersTable}, c.schema...) {
				if _, err := db.Exec(q); err != nil {
					b.Fatal(err)
				}
			}
			perRow := len(c.row(nil))
			insert := "INSERT INTO events (" + c.cols + ") VALUES " + strings.TrimSuffix(strings.Repeat("("+strings.TrimSuffix(strings.Repeat("?, ", perRow), ", ")+"), ", ceilingPerInsert), ", ")
			owners := "INSERT INTO event_owners VALUES " + strings.TrimSuffix(strings.Repeat("(?, ?), ", ceilingPerInsert), ", ")
			// Prepared once, as the store's statement cache does.
			insertStmt, err := db.Prepare(insert)
			if err != nil {
				b.Fatal(err)
			}
			ownersStmt, err := db.Prepare(owners)
			if err != nil {
				b.Fatal(err)
			}
			a := make([]any, 0, ceilingPerInsert*perRow)
			o := make([]any, 0, 2*ceilingPerInsert)
			b.ResetTimer()
			var id int64
			for id < int64(b.N) {
				tx, err := db.Begin()
				if err != nil {
					b.Fatal(err)
				}
				for range ceilingBatch / ceilingPerInsert {
					a, o = a[:0], o[:0]
					for range ceilingPerInsert {
						id++
						a = c.row(a)
						if c.owners {
							o = append(o, 1+rand.Int64N(1000), id)
						}
					}
					if _, err := tx.Stmt(insertStmt).Exec(a...); err != nil {
						b.Fatal(err)
					}
					if c.owners {
						if _, err := tx.Stmt(ownersStmt).Exec(o...); err != nil {
							b.Fatal(err)
						}
					}
				}
				if err := tx.Commit(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(id)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// ceilingOwnersTable is event_owners as migration 0003 makes it, without
// its foreign keys. Every case has it, so that its INSERT can be
// prepared; only the last fills it.
const ceilingOwnersTable = `CREATE TABLE IF NOT EXISTS event_owners (org_id INTEGER NOT NULL, event_id INTEGER NOT NULL, PRIMARY KEY (org_id, event_id)) WITHOUT ROWID`

const (
	ceilingBatch     = 5000 // rows per transaction, as the pipeline's batches
	ceilingPerInsert = 500  // rows per INSERT, as eventsPerInsert
)

// ceilingData is the size of a scan_rdp event's JSON as stored.
var ceilingData = strings.Repeat("x", 1670)

// ceilingFingerprint is a stored fingerprint's shape: the day, then
// random bytes, as SHA-256 gives them (fingerprintKey).
func ceilingFingerprint() []byte {
	key := make([]byte, 16)
	key[0], key[1] = 0x4e, 0x20
	binary.BigEndian.PutUint64(key[2:], rand.Uint64())
	binary.BigEndian.PutUint64(key[8:], rand.Uint64()) // bytes 8 and 9 written twice: still random
	return key
}

// openCeilingDB opens a new SQLite database with the store's settings
// and the writer's cache, on one connection.
func openCeilingDB(b *testing.B) *sql.DB {
	_, driver, dsn, err := parseDSN(filepath.Join(b.TempDir(), "ceiling.db"))
	if err != nil {
		b.Fatal(err)
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		b.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	b.Cleanup(func() { db.Close() })
	if _, err := db.ExecContext(context.Background(), fmt.Sprintf("PRAGMA cache_size = -%d", writerCacheKiB)); err != nil {
		b.Fatal(err)
	}
	return db
}
