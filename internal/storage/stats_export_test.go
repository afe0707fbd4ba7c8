package storage

import (
	"context"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/stats"
)

// StatsFromFindings is Stats counted from the findings alone, never the
// aggregates: what the aggregates must agree with.
func StatsFromFindings(ctx context.Context, s *Store, sc auth.Scope, q StatsQuery) (*stats.Report, error) {
	return s.stats(ctx, sc, q, false)
}
