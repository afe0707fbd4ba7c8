package storage

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
)

// MonitorSample is one run's availability: did the site answer, and how
// soon (time to first byte, -1 when it did not).
type MonitorSample struct {
	At     time.Time `json:"at"`
	Up     bool      `json:"up"`
	TTFBMS int64     `json:"ttfb_ms"`
}

// Uptime is the share of runs in a period in which the site answered.
type Uptime struct {
	Runs    int     `json:"runs"`
	Up      int     `json:"up"`
	Percent float64 `json:"percent"` // -1 when there were no runs
}

func uptimeOf(runs, up int) Uptime {
	u := Uptime{Runs: runs, Up: up, Percent: -1}
	if runs > 0 {
		u.Percent = 100 * float64(up) / float64(runs)
	}
	return u
}

// MonitorAvailability is a resource's availability over the last 30 days:
// uptime over 7 and 30 days, time-to-first-byte percentiles of the runs
// that answered, and the runs themselves, oldest first, for a sparkline.
type MonitorAvailability struct {
	Uptime7  Uptime          `json:"uptime_7d"`
	Uptime30 Uptime          `json:"uptime_30d"`
	TTFBP50  int64           `json:"ttfb_p50_ms"` // -1 when no run answered
	TTFBP90  int64           `json:"ttfb_p90_ms"`
	TTFBP99  int64           `json:"ttfb_p99_ms"`
	Samples  []MonitorSample `json:"samples"`
}

// availabilityDays is how far back the figures look.
const availabilityDays = 30

// maxSamples bounds what one resource's figures read: an interval of
// ten minutes over 30 days.
const maxSamples = 30 * 24 * 6

// GetMonitorAvailability reads a resource's runs of the last 30 days
// before now (in scope: none of another's) and sums them up.
func (s *Store) GetMonitorAvailability(ctx context.Context, sc auth.Scope, resourceID int64, now time.Time) (MonitorAvailability, error) {
	var a args
	q := `SELECT m.started_at, m.up, m.ttfb_ms FROM monitor_runs m JOIN orgs o ON o.id = m.org_id
		WHERE m.resource_id = ` + a.add(resourceID) + ` AND m.started_at >= ` + a.add(now.UTC().AddDate(0, 0, -availabilityDays)) +
		` AND ` + scopeCond(sc, &a, "o.id", "o.tlp_rank") + ` ORDER BY m.started_at DESC, m.id DESC LIMIT ` + fmt.Sprint(maxSamples)
	rows, err := s.db.QueryContext(ctx, q, a...)
	if err != nil {
		return MonitorAvailability{}, fmt.Errorf("storage: availability of resource %d: %w", resourceID, err)
	}
	defer rows.Close()
	var samples []MonitorSample
	for rows.Next() {
		var m MonitorSample
		if err := rows.Scan(&m.At, &m.Up, &m.TTFBMS); err != nil {
			return MonitorAvailability{}, fmt.Errorf("storage: availability of resource %d: %w", resourceID, err)
		}
		m.At = m.At.UTC()
		samples = append(samples, m)
	}
	if err := rows.Err(); err != nil {
		return MonitorAvailability{}, fmt.Errorf("storage: availability of resource %d: %w", resourceID, err)
	}
	slices.Reverse(samples)
	return summariseAvailability(samples, now), nil
}

// summariseAvailability works out the figures of samples (oldest first).
func summariseAvailability(samples []MonitorSample, now time.Time) MonitorAvailability {
	week := now.UTC().AddDate(0, 0, -7)
	var runs7, up7, up30 int
	var ttfb []int64
	for _, m := range samples {
		if m.Up {
			up30++
			if m.TTFBMS >= 0 {
				ttfb = append(ttfb, m.TTFBMS)
			}
		}
		if !m.At.Before(week) {
			runs7++
			if m.Up {
				up7++
			}
		}
	}
	slices.Sort(ttfb)
	return MonitorAvailability{Uptime7: uptimeOf(runs7, up7), Uptime30: uptimeOf(len(samples), up30),
		TTFBP50: percentile(ttfb, 50), TTFBP90: percentile(ttfb, 90), TTFBP99: percentile(ttfb, 99), Samples: samples}
}

// percentile is the nearest-rank percentile p of sorted; -1 for none.
func percentile(sorted []int64, p int) int64 {
	if len(sorted) == 0 {
		return -1
	}
	rank := (p*len(sorted) + 99) / 100 // ⌈p/100 · n⌉
	return sorted[max(rank, 1)-1]
}

// MonitorUptimes is the 30-day uptime of every resource in scope (of
// orgID when it is not 0), by resource id: a column of the scorecards.
func (s *Store) MonitorUptimes(ctx context.Context, sc auth.Scope, orgID int64, now time.Time) (map[int64]Uptime, error) {
	var a args
	q := `SELECT m.resource_id, COUNT(*), SUM(CASE WHEN m.up THEN 1 ELSE 0 END) FROM monitor_runs m JOIN orgs o ON o.id = m.org_id
		WHERE m.started_at >= ` + a.add(now.UTC().AddDate(0, 0, -availabilityDays)) + ` AND ` + scopeCond(sc, &a, "o.id", "o.tlp_rank")
	if orgID != 0 {
		q += ` AND m.org_id = ` + a.add(orgID)
	}
	q += ` GROUP BY m.resource_id`
	rows, err := s.db.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, fmt.Errorf("storage: uptimes of org %d: %w", orgID, err)
	}
	defer rows.Close()
	out := map[int64]Uptime{}
	for rows.Next() {
		var id int64
		var runs, up int
		if err := rows.Scan(&id, &runs, &up); err != nil {
			return nil, fmt.Errorf("storage: uptimes of org %d: %w", orgID, err)
		}
		out[id] = uptimeOf(runs, up)
	}
	return out, rows.Err()
}
