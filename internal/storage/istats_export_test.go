package storage

import (
	"context"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/stats"
)

// IncidentStatsFromIncidents is IncidentStats counted from the incidents
// alone, never the aggregates: what the aggregates must agree with.
func IncidentStatsFromIncidents(ctx context.Context, s *Store, sc auth.Scope, q StatsQuery) (*stats.IncidentReport, error) {
	return s.incidentStats(ctx, sc, q, false)
}
