-- Statistics, pre-aggregated (storage/stats.go). Counting a period from
-- the findings themselves read every finding of the period, and every
-- finding at all for "still open": 10.9 s for a year over 200k findings
-- on SQLite (BenchmarkStats). These tables hold the counts per calendar
-- month in UTC, kept by a trigger in the same transaction as every write
-- to findings (insert, update, delete, an organisation's cascade), so no
-- writer has to know of them. Each holds signed counts: a change removes
-- the old row's contribution and adds the new one's; rows counted down to
-- zero stay and count nothing. Months are numbered year*12 + month - 1,
-- quarters year*4 + quarter - 1. There are no foreign keys: the trigger
-- counts an organisation's findings out as its cascade deletes them.
--
-- stats_month: findings opened (by first_seen) and closed (by closed_at)
-- per month, organisation, identifier and taxonomy.
CREATE TABLE stats_month (
    month      INTEGER NOT NULL,
    org_id     BIGINT NOT NULL,
    identifier TEXT NOT NULL,
    taxonomy   TEXT NOT NULL,
    opened     INTEGER NOT NULL DEFAULT 0,
    closed     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (month, org_id, identifier, taxonomy)
);
-- stats_open: per organisation and month, the findings that became open
-- (+1 in the month first seen) less those that stopped being open (-1 in
-- the month fixed, never before the month first seen), as "still open"
-- counts them (stats.Summary): the sum over the months before M is the
-- count still open at the start of M.
CREATE TABLE stats_open (
    org_id BIGINT NOT NULL,
    month  INTEGER NOT NULL,
    delta  INTEGER NOT NULL,
    PRIMARY KEY (org_id, month)
);
-- stats_resources: per month (kind 0), quarter (1) and year (2), the
-- findings opened on each resource of each organisation: the resources
-- with gaps in a period are its rows with n > 0. The same per taxonomy.
CREATE TABLE stats_resources (
    kind     INTEGER NOT NULL,
    period   INTEGER NOT NULL,
    org_id   BIGINT NOT NULL,
    resource TEXT NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (kind, period, org_id, resource)
);
CREATE TABLE stats_taxonomy_resources (
    kind     INTEGER NOT NULL,
    period   INTEGER NOT NULL,
    taxonomy TEXT NOT NULL,
    org_id   BIGINT NOT NULL,
    resource TEXT NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (kind, period, taxonomy, org_id, resource)
);

CREATE FUNCTION stats_month_of(t TIMESTAMPTZ) RETURNS INTEGER LANGUAGE sql IMMUTABLE AS
$$ SELECT (EXTRACT(YEAR FROM t AT TIME ZONE 'UTC')::int * 12 + EXTRACT(MONTH FROM t AT TIME ZONE 'UTC')::int - 1) $$;

-- stats_count adds a finding's contribution to the tables, times s (1 to
-- count it in, -1 to count it out).
CREATE FUNCTION stats_count(f findings, s INTEGER) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    m INTEGER := stats_month_of(f.first_seen);
    ended BOOLEAN := (f.status = 'resolved' AND f.resolved_at IS NOT NULL)
        OR (f.status = 'closed' AND COALESCE(f.resolved_at, f.closed_at) IS NOT NULL);
BEGIN
    INSERT INTO stats_month (month, org_id, identifier, taxonomy, opened, closed) VALUES (m, f.org_id, f.identifier, f.taxonomy, s, 0)
        ON CONFLICT (month, org_id, identifier, taxonomy) DO UPDATE SET opened = stats_month.opened + excluded.opened;
    IF f.closed_at IS NOT NULL THEN
        INSERT INTO stats_month (month, org_id, identifier, taxonomy, opened, closed)
            VALUES (stats_month_of(f.closed_at), f.org_id, f.identifier, f.taxonomy, 0, s)
            ON CONFLICT (month, org_id, identifier, taxonomy) DO UPDATE SET closed = stats_month.closed + excluded.closed;
    END IF;
    IF f.status IN ('open', 'notified', 'acknowledged', 'reopened') OR ended THEN
        INSERT INTO stats_open (org_id, month, delta) VALUES (f.org_id, m, s)
            ON CONFLICT (org_id, month) DO UPDATE SET delta = stats_open.delta + excluded.delta;
    END IF;
    IF ended THEN
        INSERT INTO stats_open (org_id, month, delta)
            VALUES (f.org_id, GREATEST(m, stats_month_of(CASE WHEN f.status = 'resolved' THEN f.resolved_at ELSE COALESCE(f.resolved_at, f.closed_at) END)), -s)
            ON CONFLICT (org_id, month) DO UPDATE SET delta = stats_open.delta + excluded.delta;
    END IF;
    INSERT INTO stats_resources (kind, period, org_id, resource, n)
        VALUES (0, m, f.org_id, f.resource, s), (1, m / 12 * 4 + m % 12 / 3, f.org_id, f.resource, s), (2, m / 12, f.org_id, f.resource, s)
        ON CONFLICT (kind, period, org_id, resource) DO UPDATE SET n = stats_resources.n + excluded.n;
    INSERT INTO stats_taxonomy_resources (kind, period, taxonomy, org_id, resource, n)
        VALUES (0, m, f.taxonomy, f.org_id, f.resource, s), (1, m / 12 * 4 + m % 12 / 3, f.taxonomy, f.org_id, f.resource, s),
            (2, m / 12, f.taxonomy, f.org_id, f.resource, s)
        ON CONFLICT (kind, period, taxonomy, org_id, resource) DO UPDATE SET n = stats_taxonomy_resources.n + excluded.n;
END $$;

CREATE FUNCTION findings_stats() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM stats_count(OLD, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM stats_count(NEW, 1);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER findings_stats AFTER INSERT OR DELETE ON findings FOR EACH ROW EXECUTE FUNCTION findings_stats();
-- An update counts only when it moves what is counted: not a sighting's
-- last_seen, nor a step between the active statuses (a notice sent).
CREATE TRIGGER findings_stats_update AFTER UPDATE ON findings FOR EACH ROW
    WHEN (OLD.first_seen IS DISTINCT FROM NEW.first_seen OR OLD.closed_at IS DISTINCT FROM NEW.closed_at
        OR OLD.resolved_at IS DISTINCT FROM NEW.resolved_at OR OLD.org_id IS DISTINCT FROM NEW.org_id
        OR OLD.resource IS DISTINCT FROM NEW.resource OR OLD.identifier IS DISTINCT FROM NEW.identifier
        OR OLD.taxonomy IS DISTINCT FROM NEW.taxonomy
        OR (CASE WHEN OLD.status IN ('open', 'notified', 'acknowledged', 'reopened') THEN 'active' ELSE OLD.status END)
            IS DISTINCT FROM (CASE WHEN NEW.status IN ('open', 'notified', 'acknowledged', 'reopened') THEN 'active' ELSE NEW.status END))
    EXECUTE FUNCTION findings_stats();

-- What is already stored.
INSERT INTO stats_month (month, org_id, identifier, taxonomy, opened, closed)
    SELECT month, org_id, identifier, taxonomy, SUM(opened), SUM(closed) FROM (
        SELECT stats_month_of(f.first_seen) AS month, f.org_id, f.identifier, f.taxonomy, 1 AS opened, 0 AS closed FROM findings f
        UNION ALL
        SELECT stats_month_of(f.closed_at), f.org_id, f.identifier, f.taxonomy, 0, 1 FROM findings f WHERE f.closed_at IS NOT NULL
    ) x GROUP BY month, org_id, identifier, taxonomy;
INSERT INTO stats_open (org_id, month, delta)
    SELECT org_id, month, SUM(delta) FROM (
        SELECT f.org_id, stats_month_of(f.first_seen) AS month, 1 AS delta FROM findings f
            WHERE f.status IN ('open', 'notified', 'acknowledged', 'reopened') OR (f.status = 'resolved' AND f.resolved_at IS NOT NULL)
                OR (f.status = 'closed' AND COALESCE(f.resolved_at, f.closed_at) IS NOT NULL)
        UNION ALL
        SELECT f.org_id, GREATEST(stats_month_of(f.first_seen),
            stats_month_of(CASE WHEN f.status = 'resolved' THEN f.resolved_at ELSE COALESCE(f.resolved_at, f.closed_at) END)), -1 FROM findings f
            WHERE (f.status = 'resolved' AND f.resolved_at IS NOT NULL) OR (f.status = 'closed' AND COALESCE(f.resolved_at, f.closed_at) IS NOT NULL)
    ) x GROUP BY org_id, month;
INSERT INTO stats_resources (kind, period, org_id, resource, n)
    SELECT k.kind, CASE k.kind WHEN 0 THEN m WHEN 1 THEN m / 12 * 4 + m % 12 / 3 ELSE m / 12 END, org_id, resource, COUNT(*)
    FROM (SELECT stats_month_of(first_seen) AS m, org_id, resource FROM findings) f CROSS JOIN (VALUES (0), (1), (2)) k(kind)
    GROUP BY 1, 2, 3, 4;
INSERT INTO stats_taxonomy_resources (kind, period, taxonomy, org_id, resource, n)
    SELECT k.kind, CASE k.kind WHEN 0 THEN m WHEN 1 THEN m / 12 * 4 + m % 12 / 3 ELSE m / 12 END, taxonomy, org_id, resource, COUNT(*)
    FROM (SELECT stats_month_of(first_seen) AS m, taxonomy, org_id, resource FROM findings) f CROSS JOIN (VALUES (0), (1), (2)) k(kind)
    GROUP BY 1, 2, 3, 4, 5;

-- The findings closed in a period are read with what their time to
-- remediate and SLA need, from the index alone.
DROP INDEX findings_closed_at;
CREATE INDEX findings_closed_at ON findings(closed_at, org_id, first_seen, resolved_at, due_at);
