-- Statistics (storage/stats.go): the findings closed in a period are
-- read by closed_at, and "still open at the end of a period" scans every
-- finding's status and dates. Without these, a month's statistics over
-- 1M findings took 24 s on SQLite (BenchmarkStats): seven full scans of
-- the table. The second index covers the still-open count, so it reads
-- the index alone.
CREATE INDEX findings_closed_at ON findings(closed_at);
CREATE INDEX findings_stats_open ON findings(org_id, status, first_seen, resolved_at, closed_at);
