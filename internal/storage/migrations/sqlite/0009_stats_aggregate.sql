-- Statistics, pre-aggregated (storage/stats.go). Counting a period from
-- the findings themselves read every finding of the period, and every
-- finding at all for "still open": 10.9 s for a year over 200k findings
-- on SQLite (BenchmarkStats). These tables hold the counts per calendar
-- month in UTC, kept by triggers in the same transaction as every write
-- to findings (insert, update, delete, an organisation's cascade), so no
-- writer has to know of them. Each holds signed counts: a change removes
-- the old row's contribution and adds the new one's; rows counted down to
-- zero stay and count nothing. Months are numbered year*12 + month - 1,
-- quarters year*4 + quarter - 1; times are stored in UTC, so the month is
-- read from the text. There are no foreign keys: the findings' triggers
-- count an organisation's findings out as its cascade deletes them.
--
-- stats_month: findings opened (by first_seen) and closed (by closed_at)
-- per month, organisation, identifier and taxonomy.
CREATE TABLE stats_month (
    month      INTEGER NOT NULL,
    org_id     INTEGER NOT NULL,
    identifier TEXT NOT NULL,
    taxonomy   TEXT NOT NULL,
    opened     INTEGER NOT NULL DEFAULT 0,
    closed     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (month, org_id, identifier, taxonomy)
) WITHOUT ROWID;
-- stats_open: per organisation and month, the findings that became open
-- (+1 in the month first seen) less those that stopped being open (-1 in
-- the month fixed, never before the month first seen), as "still open"
-- counts them (stats.Summary): the sum over the months before M is the
-- count still open at the start of M.
CREATE TABLE stats_open (
    org_id INTEGER NOT NULL,
    month  INTEGER NOT NULL,
    delta  INTEGER NOT NULL,
    PRIMARY KEY (org_id, month)
) WITHOUT ROWID;
-- stats_resources: per month (kind 0), quarter (1) and year (2), the
-- findings opened on each resource of each organisation: the resources
-- with gaps in a period are its rows with n > 0. The same per taxonomy.
CREATE TABLE stats_resources (
    kind     INTEGER NOT NULL,
    period   INTEGER NOT NULL,
    org_id   INTEGER NOT NULL,
    resource TEXT NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (kind, period, org_id, resource)
) WITHOUT ROWID;
CREATE TABLE stats_taxonomy_resources (
    kind     INTEGER NOT NULL,
    period   INTEGER NOT NULL,
    taxonomy TEXT NOT NULL,
    org_id   INTEGER NOT NULL,
    resource TEXT NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (kind, period, taxonomy, org_id, resource)
) WITHOUT ROWID;

CREATE TRIGGER findings_stats_insert AFTER INSERT ON findings BEGIN
    INSERT INTO stats_month (month, org_id, identifier, taxonomy, opened, closed)
        VALUES ((CAST(substr(NEW.first_seen, 1, 4) AS INTEGER) * 12 + CAST(substr(NEW.first_seen, 6, 2) AS INTEGER) - 1), NEW.org_id, NEW.identifier, NEW.taxonomy, 1, 0)
        ON CONFLICT (month, org_id, identifier, taxonomy) DO UPDATE SET opened = opened + excluded.opened;
    INSERT INTO stats_month (month, org_id, identifier, taxonomy, opened, closed)
        SELECT (CAST(substr(NEW.closed_at, 1, 4) AS INTEGER) * 12 + CAST(substr(NEW.closed_at, 6, 2) AS INTEGER) - 1), NEW.org_id, NEW.identifier, NEW.taxonomy, 0, 1 WHERE NEW.closed_at IS NOT NULL
        ON CONFLICT (month, org_id, identifier, taxonomy) DO UPDATE SET closed = closed + excluded.closed;
    INSERT INTO stats_open (org_id, month, delta)
        SELECT NEW.org_id, (CAST(substr(NEW.first_seen, 1, 4) AS INTEGER) * 12 + CAST(substr(NEW.first_seen, 6, 2) AS INTEGER) - 1), 1 WHERE NEW.status IN ('open', 'notified', 'acknowledged', 'reopened') OR ((NEW.status = 'resolved' AND NEW.resolved_at IS NOT NULL) OR (NEW.status = 'closed' AND COALESCE(NEW.resolved_at, NEW.closed_at) IS NOT NULL))
        ON CONFLICT (org_id, month) DO UPDATE SET delta = delta + excluded.delta;
    INSERT INTO stats_open (org_id, month, delta)
        SELECT NEW.org_id, max((CAST(substr(NEW.first_seen, 1, 4) AS INTEGER) * 12 + CAST(substr(NEW.first_seen, 6, 2) AS INTEGER) - 1), (CAST(substr(CASE WHEN NEW.status = 'resolved' THEN NEW.resolved_at ELSE COALESCE(NEW.resolved_at, NEW.closed_at) END, 1, 4) AS INTEGER) * 12 + CAST(substr(CASE WHEN NEW.status = 'resolved' THEN NEW.resolved_at ELSE COALESCE(NEW.resolved_at, NEW.closed_at) END, 6, 2) AS INTEGER) - 1)), -(1) WHERE ((NEW.status = 'resolved' AND NEW.resolved_at IS NOT NULL) OR (NEW.status = 'closed' AND COALESCE(NEW.resolved_at, NEW.closed_at) IS NOT NULL))
        ON CONFLICT (org_id, month) DO UPDATE SET delta = delta + excluded.delta;
    INSERT INTO stats_resources (kind, period, org_id, resource, n)
        VALUES (0, (CAST(substr(NEW.first_seen, 1, 4) AS INTEGER) * 12 + CAST(substr(NEW.first_seen, 6, 2) AS INTEGER) - 1), NEW.org_id, NEW.resource, 1), (1, (CAST(substr(NEW.first_seen, 1, 4) AS INTEGER) * 4 + (CAST(substr(NEW.first_seen, 6, 2) AS INTEGER) - 1) / 3), NEW.org_id, NEW.resource, 1), (2, CAST(substr(NEW.first_seen, 1, 4) AS INTEGER), NEW.org_id, NEW.resource, 1)
        ON CONFLICT (kind, period, org_id, resource) DO UPDATE SET n = n + excluded.n;
    INSERT INTO stats_taxonomy_resources (kind, period, taxonomy, org_id, resource, n)
        VALUES (0, (CAST(substr(NEW.first_seen, 1, 4) AS INTEGER) * 12 + CAST(substr(NEW.first_seen, 6, 2) AS INTEGER) - 1), NEW.taxonomy, NEW.org_id, NEW.resource, 1), (1, (CAST(substr(NEW.first_seen, 1, 4) AS INTEGER) * 4 + (CAST(substr(NEW.first_seen, 6, 2) AS INTEGER) - 1) / 3), NEW.taxonomy, NEW.org_id, NEW.resource, 1), (2, CAST(substr(NEW.first_seen, 1, 4) AS INTEGER), NEW.taxonomy, NEW.org_id, NEW.resource, 1)
        ON CONFLICT (kind, period, taxonomy, org_id, resource) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER findings_stats_delete AFTER DELETE ON findings BEGIN
    INSERT INTO stats_month (month, org_id, identifier, taxonomy, opened, closed)
        VALUES ((CAST(substr(OLD.first_seen, 1, 4) AS INTEGER) * 12 + CAST(substr(OLD.first_seen, 6, 2) AS INTEGER) - 1), OLD.org_id, OLD.identifier, OLD.taxonomy, -1, 0)
        ON CONFLICT (month, org_id, identifier, taxonomy) DO UPDATE SET opened = opened + excluded.opened;
    INSERT INTO stats_month (month, org_id, identifier, taxonomy, opened, closed)
        SELECT (CAST(substr(OLD.closed_at, 1, 4) AS INTEGER) * 12 + CAST(substr(OLD.closed_at, 6, 2) AS INTEGER) - 1), OLD.org_id, OLD.identifier, OLD.taxonomy, 0, -1 WHERE OLD.closed_at IS NOT NULL
        ON CONFLICT (month, org_id, identifier, taxonomy) DO UPDATE SET closed = closed + excluded.closed;
    INSERT INTO stats_open (org_id, month, delta)
        SELECT OLD.org_id, (CAST(substr(OLD.first_seen, 1, 4) AS INTEGER) * 12 + CAST(substr(OLD.first_seen, 6, 2) AS INTEGER) - 1), -1 WHERE OLD.status IN ('open', 'notified', 'acknowledged', 'reopened') OR ((OLD.status = 'resolved' AND OLD.resolved_at IS NOT NULL) OR (OLD.status = 'closed' AND COALESCE(OLD.resolved_at, OLD.closed_at) IS NOT NULL))
        ON CONFLICT (org_id, month) DO UPDATE SET delta = delta + excluded.delta;
    INSERT INTO stats_open (org_id, month, delta)
        SELECT OLD.org_id, max((CAST(substr(OLD.first_seen, 1, 4) AS INTEGER) * 12 + CAST(substr(OLD.first_seen, 6, 2) AS INTEGER) - 1), (CAST(substr(CASE WHEN OLD.status = 'resolved' THEN OLD.resolved_at ELSE COALESCE(OLD.resolved_at, OLD.closed_at) END, 1, 4) AS INTEGER) * 12 + CAST(substr(CASE WHEN OLD.status = 'resolved' THEN OLD.resolved_at ELSE COALESCE(OLD.resolved_at, OLD.closed_at) END, 6, 2) AS INTEGER) - 1)), -(-1) WHERE ((OLD.status = 'resolved' AND OLD.resolved_at IS NOT NULL) OR (OLD.status = 'closed' AND COALESCE(OLD.resolved_at, OLD.closed_at) IS NOT NULL))
        ON CONFLICT (org_id, month) DO UPDATE SET delta = delta + excluded.delta;
    INSERT INTO stats_resources (kind, period, org_id, resource, n)
        VALUES (0, (CAST(substr(OLD.first_seen, 1, 4) AS INTEGER) * 12 + CAST(substr(OLD.first_seen, 6, 2) AS INTEGER) - 1), OLD.org_id, OLD.resource, -1), (1, (CAST(substr(OLD.first_seen, 1, 4) AS INTEGER) * 4 + (CAST(substr(OLD.first_seen, 6, 2) AS INTEGER) - 1) / 3), OLD.org_id, OLD.resource, -1), (2, CAST(substr(OLD.first_seen, 1, 4) AS INTEGER), OLD.org_id, OLD.resource, -1)
        ON CONFLICT (kind, period, org_id, resource) DO UPDATE SET n = n + excluded.n;
    INSERT INTO stats_taxonomy_resources (kind, period, taxonomy, org_id, resource, n)
        VALUES (0, (CAST(substr(OLD.first_seen, 1, 4) AS INTEGER) * 12 + CAST(substr(OLD.first_seen, 6, 2) AS INTEGER) - 1), OLD.taxonomy, OLD.org_id, OLD.resource, -1), (1, (CAST(substr(OLD.first_seen, 1, 4) AS INTEGER) * 4 + (CAST(substr(OLD.first_seen, 6, 2) AS INTEGER) - 1) / 3), OLD.taxonomy, OLD.org_id, OLD.resource, -1), (2, CAST(substr(OLD.first_seen, 1, 4) AS INTEGER), OLD.taxonomy, OLD.org_id, OLD.resource, -1)
        ON CONFLICT (kind, period, taxonomy, org_id, resource) DO UPDATE SET n = n + excluded.n;
END;

-- An update counts only when it moves what is counted: not a sighting's
-- last_seen, nor a step between the active statuses (a notice sent).
CREATE TRIGGER findings_stats_update AFTER UPDATE ON findings
WHEN OLD.first_seen IS NOT NEW.first_seen OR OLD.closed_at IS NOT NEW.closed_at OR OLD.resolved_at IS NOT NEW.resolved_at OR OLD.org_id IS NOT NEW.org_id OR OLD.resource IS NOT NEW.resource OR OLD.identifier IS NOT NEW.identifier OR OLD.taxonomy IS NOT NEW.taxonomy OR CASE WHEN OLD.status IN ('open', 'notified', 'acknowledged', 'reopened') THEN 'active' ELSE OLD.status END IS NOT CASE WHEN NEW.status IN ('open', 'notified', 'acknowledged', 'reopened') THEN 'active' ELSE NEW.status END
BEGIN
    INSERT INTO stats_month (month, org_id, identifier, taxonomy, opened, closed)
        VALUES ((CAST(substr(OLD.first_seen, 1, 4) AS INTEGER) * 12 + CAST(substr(OLD.first_seen, 6, 2) AS INTEGER) - 1), OLD.org_id, OLD.identifier, OLD.taxonomy, -1, 0)
        ON CONFLICT (month, org_id, identifier, taxonomy) DO UPDATE SET opened = opened + excluded.opened;
    INSERT INTO stats_month (month, org_id, identifier, taxonomy, opened, closed)
        SELECT (CAST(substr(OLD.closed_at, 1, 4) AS INTEGER) * 12 + CAST(substr(OLD.closed_at, 6, 2) AS INTEGER) - 1), OLD.org_id, OLD.identifier, OLD.taxonomy, 0, -1 WHERE OLD.closed_at IS NOT NULL
        ON CONFLICT (month, org_id, identifier, taxonomy) DO UPDATE SET closed = closed + excluded.closed;
    INSERT INTO stats_open (org_id, month, delta)
        SELECT OLD.org_id, (CAST(substr(OLD.first_seen, 1, 4) AS INTEGER) * 12 + CAST(substr(OLD.first_seen, 6, 2) AS INTEGER) - 1), -1 WHERE OLD.status IN ('open', 'notified', 'acknowledged', 'reopened') OR ((OLD.status = 'resolved' AND OLD.resolved_at IS NOT NULL) OR (OLD.status = 'closed' AND COALESCE(OLD.resolved_at, OLD.closed_at) IS NOT NULL))
        ON CONFLICT (org_id, month) DO UPDATE SET delta = delta + excluded.delta;
    INSERT INTO stats_open (org_id, month, delta)
        SELECT OLD.org_id, max((CAST(substr(OLD.first_seen, 1, 4) AS INTEGER) * 12 + CAST(substr(OLD.first_seen, 6, 2) AS INTEGER) - 1), (CAST(substr(CASE WHEN OLD.status = 'resolved' THEN OLD.resolved_at ELSE COALESCE(OLD.resolved_at, OLD.closed_at) END, 1, 4) AS INTEGER) * 12 + CAST(substr(CASE WHEN OLD.status = 'resolved' THEN OLD.resolved_at ELSE COALESCE(OLD.resolved_at, OLD.closed_at) END, 6, 2) AS INTEGER) - 1)), -(-1) WHERE ((OLD.status = 'resolved' AND OLD.resolved_at IS NOT NULL) OR (OLD.status = 'closed' AND COALESCE(OLD.resolved_at, OLD.closed_at) IS NOT NULL))
        ON CONFLICT (org_id, month) DO UPDATE SET delta = delta + excluded.delta;
    INSERT INTO stats_resources (kind, period, org_id, resource, n)
        VALUES (0, (CAST(substr(OLD.first_seen, 1, 4) AS INTEGER) * 12 + CAST(substr(OLD.first_seen, 6, 2) AS INTEGER) - 1), OLD.org_id, OLD.resource, -1), (1, (CAST(substr(OLD.first_seen, 1, 4) AS INTEGER) * 4 + (CAST(substr(OLD.first_seen, 6, 2) AS INTEGER) - 1) / 3), OLD.org_id, OLD.resource, -1), (2, CAST(substr(OLD.first_seen, 1, 4) AS INTEGER), OLD.org_id, OLD.resource, -1)
        ON CONFLICT (kind, period, org_id, resource) DO UPDATE SET n = n + excluded.n;
    INSERT INTO stats_taxonomy_resources (kind, period, taxonomy, org_id, resource, n)
        VALUES (0, (CAST(substr(OLD.first_seen, 1, 4) AS INTEGER) * 12 + CAST(substr(OLD.first_seen, 6, 2) AS INTEGER) - 1), OLD.taxonomy, OLD.org_id, OLD.resource, -1), (1, (CAST(substr(OLD.first_seen, 1, 4) AS INTEGER) * 4 + (CAST(substr(OLD.first_seen, 6, 2) AS INTEGER) - 1) / 3), OLD.taxonomy, OLD.org_id, OLD.resource, -1), (2, CAST(substr(OLD.first_seen, 1, 4) AS INTEGER), OLD.taxonomy, OLD.org_id, OLD.resource, -1)
        ON CONFLICT (kind, period, taxonomy, org_id, resource) DO UPDATE SET n = n + excluded.n;
    INSERT INTO stats_month (month, org_id, identifier, taxonomy, opened, closed)
        VALUES ((CAST(substr(NEW.first_seen, 1, 4) AS INTEGER) * 12 + CAST(substr(NEW.first_seen, 6, 2) AS INTEGER) - 1), NEW.org_id, NEW.identifier, NEW.taxonomy, 1, 0)
        ON CONFLICT (month, org_id, identifier, taxonomy) DO UPDATE SET opened = opened + excluded.opened;
    INSERT INTO stats_month (month, org_id, identifier, taxonomy, opened, closed)
        SELECT (CAST(substr(NEW.closed_at, 1, 4) AS INTEGER) * 12 + CAST(substr(NEW.closed_at, 6, 2) AS INTEGER) - 1), NEW.org_id, NEW.identifier, NEW.taxonomy, 0, 1 WHERE NEW.closed_at IS NOT NULL
        ON CONFLICT (month, org_id, identifier, taxonomy) DO UPDATE SET closed = closed + excluded.closed;
    INSERT INTO stats_open (org_id, month, delta)
        SELECT NEW.org_id, (CAST(substr(NEW.first_seen, 1, 4) AS INTEGER) * 12 + CAST(substr(NEW.first_seen, 6, 2) AS INTEGER) - 1), 1 WHERE NEW.status IN ('open', 'notified', 'acknowledged', 'reopened') OR ((NEW.status = 'resolved' AND NEW.resolved_at IS NOT NULL) OR (NEW.status = 'closed' AND COALESCE(NEW.resolved_at, NEW.closed_at) IS NOT NULL))
        ON CONFLICT (org_id, month) DO UPDATE SET delta = delta + excluded.delta;
    INSERT INTO stats_open (org_id, month, delta)
        SELECT NEW.org_id, max((CAST(substr(NEW.first_seen, 1, 4) AS INTEGER) * 12 + CAST(substr(NEW.first_seen, 6, 2) AS INTEGER) - 1), (CAST(substr(CASE WHEN NEW.status = 'resolved' THEN NEW.resolved_at ELSE COALESCE(NEW.resolved_at, NEW.closed_at) END, 1, 4) AS INTEGER) * 12 + CAST(substr(CASE WHEN NEW.status = 'resolved' THEN NEW.resolved_at ELSE COALESCE(NEW.resolved_at, NEW.closed_at) END, 6, 2) AS INTEGER) - 1)), -(1) WHERE ((NEW.status = 'resolved' AND NEW.resolved_at IS NOT NULL) OR (NEW.status = 'closed' AND COALESCE(NEW.resolved_at, NEW.closed_at) IS NOT NULL))
        ON CONFLICT (org_id, month) DO UPDATE SET delta = delta + excluded.delta;
    INSERT INTO stats_resources (kind, period, org_id, resource, n)
        VALUES (0, (CAST(substr(NEW.first_seen, 1, 4) AS INTEGER) * 12 + CAST(substr(NEW.first_seen, 6, 2) AS INTEGER) - 1), NEW.org_id, NEW.resource, 1), (1, (CAST(substr(NEW.first_seen, 1, 4) AS INTEGER) * 4 + (CAST(substr(NEW.first_seen, 6, 2) AS INTEGER) - 1) / 3), NEW.org_id, NEW.resource, 1), (2, CAST(substr(NEW.first_seen, 1, 4) AS INTEGER), NEW.org_id, NEW.resource, 1)
        ON CONFLICT (kind, period, org_id, resource) DO UPDATE SET n = n + excluded.n;
    INSERT INTO stats_taxonomy_resources (kind, period, taxonomy, org_id, resource, n)
        VALUES (0, (CAST(substr(NEW.first_seen, 1, 4) AS INTEGER) * 12 + CAST(substr(NEW.first_seen, 6, 2) AS INTEGER) - 1), NEW.taxonomy, NEW.org_id, NEW.resource, 1), (1, (CAST(substr(NEW.first_seen, 1, 4) AS INTEGER) * 4 + (CAST(substr(NEW.first_seen, 6, 2) AS INTEGER) - 1) / 3), NEW.taxonomy, NEW.org_id, NEW.resource, 1), (2, CAST(substr(NEW.first_seen, 1, 4) AS INTEGER), NEW.taxonomy, NEW.org_id, NEW.resource, 1)
        ON CONFLICT (kind, period, taxonomy, org_id, resource) DO UPDATE SET n = n + excluded.n;
END;

-- What is already stored.
INSERT INTO stats_month (month, org_id, identifier, taxonomy, opened, closed)
    SELECT month, org_id, identifier, taxonomy, SUM(opened), SUM(closed) FROM (
        SELECT (CAST(substr(f.first_seen, 1, 4) AS INTEGER) * 12 + CAST(substr(f.first_seen, 6, 2) AS INTEGER) - 1) AS month, f.org_id, f.identifier, f.taxonomy, 1 AS opened, 0 AS closed FROM findings f
        UNION ALL
        SELECT (CAST(substr(f.closed_at, 1, 4) AS INTEGER) * 12 + CAST(substr(f.closed_at, 6, 2) AS INTEGER) - 1), f.org_id, f.identifier, f.taxonomy, 0, 1 FROM findings f WHERE f.closed_at IS NOT NULL
    ) GROUP BY month, org_id, identifier, taxonomy;
INSERT INTO stats_open (org_id, month, delta)
    SELECT org_id, month, SUM(delta) FROM (
        SELECT f.org_id, (CAST(substr(f.first_seen, 1, 4) AS INTEGER) * 12 + CAST(substr(f.first_seen, 6, 2) AS INTEGER) - 1) AS month, 1 AS delta FROM findings f WHERE f.status IN ('open', 'notified', 'acknowledged', 'reopened') OR ((f.status = 'resolved' AND f.resolved_at IS NOT NULL) OR (f.status = 'closed' AND COALESCE(f.resolved_at, f.closed_at) IS NOT NULL))
        UNION ALL
        SELECT f.org_id, max((CAST(substr(f.first_seen, 1, 4) AS INTEGER) * 12 + CAST(substr(f.first_seen, 6, 2) AS INTEGER) - 1), (CAST(substr(CASE WHEN f.status = 'resolved' THEN f.resolved_at ELSE COALESCE(f.resolved_at, f.closed_at) END, 1, 4) AS INTEGER) * 12 + CAST(substr(CASE WHEN f.status = 'resolved' THEN f.resolved_at ELSE COALESCE(f.resolved_at, f.closed_at) END, 6, 2) AS INTEGER) - 1)), -1 FROM findings f WHERE ((f.status = 'resolved' AND f.resolved_at IS NOT NULL) OR (f.status = 'closed' AND COALESCE(f.resolved_at, f.closed_at) IS NOT NULL))
    ) GROUP BY org_id, month;
INSERT INTO stats_resources (kind, period, org_id, resource, n)
    SELECT 0, (CAST(substr(f.first_seen, 1, 4) AS INTEGER) * 12 + CAST(substr(f.first_seen, 6, 2) AS INTEGER) - 1), f.org_id, f.resource, COUNT(*) FROM findings f GROUP BY 2, 3, 4;
INSERT INTO stats_resources (kind, period, org_id, resource, n)
    SELECT 1, (CAST(substr(f.first_seen, 1, 4) AS INTEGER) * 4 + (CAST(substr(f.first_seen, 6, 2) AS INTEGER) - 1) / 3), f.org_id, f.resource, COUNT(*) FROM findings f GROUP BY 2, 3, 4;
INSERT INTO stats_resources (kind, period, org_id, resource, n)
    SELECT 2, CAST(substr(f.first_seen, 1, 4) AS INTEGER), f.org_id, f.resource, COUNT(*) FROM findings f GROUP BY 2, 3, 4;
INSERT INTO stats_taxonomy_resources (kind, period, taxonomy, org_id, resource, n)
    SELECT 0, (CAST(substr(f.first_seen, 1, 4) AS INTEGER) * 12 + CAST(substr(f.first_seen, 6, 2) AS INTEGER) - 1), f.taxonomy, f.org_id, f.resource, COUNT(*) FROM findings f GROUP BY 2, 3, 4, 5;
INSERT INTO stats_taxonomy_resources (kind, period, taxonomy, org_id, resource, n)
    SELECT 1, (CAST(substr(f.first_seen, 1, 4) AS INTEGER) * 4 + (CAST(substr(f.first_seen, 6, 2) AS INTEGER) - 1) / 3), f.taxonomy, f.org_id, f.resource, COUNT(*) FROM findings f GROUP BY 2, 3, 4, 5;
INSERT INTO stats_taxonomy_resources (kind, period, taxonomy, org_id, resource, n)
    SELECT 2, CAST(substr(f.first_seen, 1, 4) AS INTEGER), f.taxonomy, f.org_id, f.resource, COUNT(*) FROM findings f GROUP BY 2, 3, 4, 5;

-- The findings closed in a period are read with what their time to
-- remediate and SLA need, from the index alone.
DROP INDEX findings_closed_at;
CREATE INDEX findings_closed_at ON findings(closed_at, org_id, first_seen, resolved_at, due_at);

