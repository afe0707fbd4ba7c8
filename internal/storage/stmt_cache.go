package storage

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps the SQLite statements whose text recurs, prepared once:
// a multi-row statement of 500 rows is thousands of characters, and
// preparing it again in every batch took a tenth of the event writer's
// time. PostgreSQL's driver keeps its own cache of prepared statements.
type stmtCache struct {
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

// stmtCacheLimit bounds the cache: the full-size statements of every kind
// fit many times over.
const stmtCacheLimit = 64

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.stmts {
		st.Close()
		delete(c.stmts, q)
	}
}

// stmt returns the statement q for tx from the cache when reuse is set (a
// statement whose text recurs: a full-size chunk), else nil, and the
// caller runs q on tx as it is. The result belongs to tx.
func (s *Store) stmt(ctx context.Context, tx *sql.Tx, q string, reuse bool) (*sql.Stmt, error) {
	if s.dialect.name != "sqlite" || !reuse {
		return nil, nil
	}
	c := &s.stmts
	c.mu.Lock()
	st := c.stmts[q]
	if st == nil && len(c.stmts) < stmtCacheLimit {
		// Prepared on the database, not on a connection: a connection's
		// statement is prepared again in each of its transactions, while
		// the database's keeps one per connection it has run on.
		var err error
		if st, err = s.db.PrepareContext(ctx, q); err != nil {
			c.mu.Unlock()
			return nil, err
		}
		if c.stmts == nil {
			c.stmts = map[string]*sql.Stmt{}
		}
		c.stmts[q] = st
	}
	c.mu.Unlock()
	if st == nil {
		return nil, nil
	}
	return tx.StmtContext(ctx, st), nil
}

// cachedQuery runs q on tx, through the statement cache when reuse is set.
func (s *Store) cachedQuery(ctx context.Context, tx *sql.Tx, q string, reuse bool, a ...any) (*sql.Rows, error) {
	st, err := s.stmt(ctx, tx, q, reuse)
	switch {
	case err != nil:
		return nil, err
	case st == nil:
		return tx.QueryContext(ctx, q, a...)
	}
	return st.QueryContext(ctx, a...)
}

// cachedExec is cachedQuery for statements that return no rows.
func (s *Store) cachedExec(ctx context.Context, tx *sql.Tx, q string, reuse bool, a ...any) error {
	st, err := s.stmt(ctx, tx, q, reuse)
	switch {
	case err != nil:
		return err
	case st == nil:
		_, err = tx.ExecContext(ctx, q, a...)
	default:
		_, err = st.ExecContext(ctx, a...)
	}
	return err
}
