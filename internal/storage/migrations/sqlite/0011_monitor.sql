-- Monitoring: one row per check run of one registered resource, with every
-- check's result as JSON (the history of a resource's scorecard). Failing
-- checks also open findings; this table is what the scorecards read.
CREATE TABLE monitor_runs (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    resource_id  INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
    target       TEXT NOT NULL,                -- what was checked: the resource's value
    started_at   TIMESTAMP NOT NULL,
    duration_ms  INTEGER NOT NULL,
    score        INTEGER NOT NULL,             -- header score; -1 when the site did not answer
    grade        TEXT NOT NULL DEFAULT '',
    passed       INTEGER NOT NULL,
    failed       INTEGER NOT NULL,
    errors       INTEGER NOT NULL,
    results      TEXT NOT NULL                 -- JSON array of monitor.Result
);
-- A resource's history, newest first, and its latest run.
CREATE INDEX monitor_runs_resource ON monitor_runs(resource_id, started_at);
CREATE INDEX monitor_runs_org ON monitor_runs(org_id, started_at);
