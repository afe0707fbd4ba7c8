-- Monitoring history: whether the site answered and how soon (time to
-- first byte) on every run, for uptime and response-time figures; runs
-- before this migration answered when they had a score.
ALTER TABLE monitor_runs ADD COLUMN up BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE monitor_runs ADD COLUMN ttfb_ms INTEGER NOT NULL DEFAULT -1;   -- -1: not measured (the site did not answer)
UPDATE monitor_runs SET up = TRUE WHERE score >= 0;

-- The landing page's content per resource: the baseline content-changed
-- compares with (taken on the first run, or accepted by staff later) and
-- what the latest run saw, so staff can accept it as the new baseline.
-- A fingerprint is monitor.Fingerprint's stored form (hash, words,
-- MinHash signature).
CREATE TABLE monitor_content (
    resource_id  BIGINT PRIMARY KEY REFERENCES resources(id) ON DELETE CASCADE,
    baseline     TEXT NOT NULL,
    baseline_at  TIMESTAMPTZ NOT NULL,
    accepted_by  TEXT NOT NULL DEFAULT '',     -- who accepted it; '' for the first run's
    latest       TEXT NOT NULL,
    latest_at    TIMESTAMPTZ NOT NULL
);
