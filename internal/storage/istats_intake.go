package storage

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/qalxan/qalxan/internal/incident"
)

// setIncidentIntake records how and when a new incident first came in,
// for the statistics per channel and the times from the first report.
// A report that arrived after the incident opened does not move its
// start (times are counted from the first sign of the case).
func setIncidentIntake(ctx context.Context, tx *sql.Tx, id int64, ch incident.Channel, reported, opened time.Time) error {
	if ch == "" && reported.IsZero() {
		return nil
	}
	if ch != "" && !slices.Contains(incident.Channels, ch) {
		// Reports are normalised before they get here: this is a bug.
		return fmt.Errorf("storage: incident %d: unknown channel %q", id, ch)
	}
	var at any
	if !reported.IsZero() && reported.Before(opened) {
		at = reported.UTC()
	}
	if ch == "" {
		ch = incident.ChannelAnalyst
	}
	if _, err := tx.ExecContext(ctx, `UPDATE incidents SET channel = $1, reported_at = $2 WHERE id = $3`, string(ch), at, id); err != nil {
		return fmt.Errorf("storage: incident %d intake: %w", id, err)
	}
	return nil
}
