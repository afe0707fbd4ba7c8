package enrich

import (
	"fmt"
	"net/netip"

	"github.com/oschwald/maxminddb-golang/v2"
)

// MMDB is an IPSource backed by one MaxMind DB file. The file is memory
// mapped, so opening a 100 MB database is instant and costs page cache, not
// heap.
type MMDB struct {
	path   string
	db     *maxminddb.Reader
	schema schema
	v4only bool
}

// OpenMMDB opens a MaxMind DB file and works out from its metadata (or, for
// an unknown database type, from its first record) which fields hold the AS
// number, AS name and country. A file of an unknown type whose records
// carry none of them (an Anonymous-IP or Connection-Type database, say) is
// an error, so a wrong path fails at start-up rather than enriching nothing.
func OpenMMDB(path string) (*MMDB, error) {
	db, err := maxminddb.Open(path)
	if err != nil {
		return nil, fmt.Errorf("enrich: open %s: %w", path, err)
	}
	s, err := detectSchema(db)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("enrich: %s: %w", path, err)
	}
	return &MMDB{
		path:   path,
		db:     db,
		schema: s,
		v4only: db.Metadata.IPVersion == 4,
	}, nil
}

// Lookup implements IPSource.
func (m *MMDB) Lookup(a netip.Addr) (IPInfo, bool) {
	if !a.IsValid() {
		return IPInfo{}, false
	}
	a = a.Unmap()
	// An IPv4-only tree has no IPv6 half; the reader would return an error
	// for every such lookup, which for us is simply "unknown".
	if m.v4only && a.Is6() {
		return IPInfo{}, false
	}
	r := m.db.Lookup(a)
	if !r.Found() {
		return IPInfo{}, false
	}
	// A record that does not decode (a corrupt or unexpected file) is
	// treated as unknown: enrichment is best effort and must not fail the
	// event. OpenMMDB already checked the schema against a real record.
	info, err := m.schema.decode(r)
	if err != nil {
		return IPInfo{}, false
	}
	return info, !info.IsZero()
}

// DatabaseType is the type named in the file's metadata, for logs.
func (m *MMDB) DatabaseType() string { return m.db.Metadata.DatabaseType }

// Path is the file the database was opened from.
func (m *MMDB) Path() string { return m.path }

// String describes the source for logs.
func (m *MMDB) String() string {
	return fmt.Sprintf("mmdb %s (%s, %s)", m.path, m.db.Metadata.DatabaseType, m.schema)
}

// Close unmaps the file. Lookups must have finished.
func (m *MMDB) Close() error { return m.db.Close() }
