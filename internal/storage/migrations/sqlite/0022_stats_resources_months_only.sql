-- The distinct resources with gaps were counted per month, quarter and
-- year: six rows of stats_resources and stats_taxonomy_resources for
-- every new finding. Those rows' keys end in the organisation and the
-- resource, so in a report whose addresses come in no order each one
-- landed on a page of its own: they were the largest part of a
-- scattered ingest's writes (docs/performance.md, "Scattered
-- addresses"). Now only months are kept (kind 0), and a quarter's or a
-- year's distinct resources are counted over its months when read
-- (storage/stats_agg.go): twelve months of an organisation's rows, where
-- ingest saves four upserts per finding. The triggers are those of 0009
-- without the quarter's and the year's rows.
DROP TRIGGER findings_stats_insert;
DROP TRIGGER findings_stats_delete;
DROP TRIGGER findings_stats_update;
DELETE FROM stats_resources WHERE kind <> 0;
DELETE FROM stats_taxonomy_resources WHERE kind <> 0;

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
        VALUES (0, (CAST(substr(NEW.first_seen, 1, 4) AS INTEGER) * 12 + CAST(substr(NEW.first_seen, 6, 2) AS INTEGER) - 1), NEW.org_id, NEW.resource, 1)
        ON CONFLICT (kind, period, org_id, resource) DO UPDATE SET n = n + excluded.n;
    INSERT INTO stats_taxonomy_resources (kind, period, taxonomy, org_id, resource, n)
        VALUES (0, (CAST(substr(NEW.first_seen, 1, 4) AS INTEGER) * 12 + CAST(substr(NEW.first_seen, 6, 2) AS INTEGER) - 1), NEW.taxonomy, NEW.org_id, NEW.resource, 1)
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
        VALUES (0, (CAST(substr(OLD.first_seen, 1, 4) AS INTEGER) * 12 + CAST(substr(OLD.first_seen, 6, 2) AS INTEGER) - 1), OLD.org_id, OLD.resource, -1)
        ON CONFLICT (kind, period, org_id, resource) DO UPDATE SET n = n + excluded.n;
    INSERT INTO stats_taxonomy_resources (kind, period, taxonomy, org_id, resource, n)
        VALUES (0, (CAST(substr(OLD.first_seen, 1, 4) AS INTEGER) * 12 + CAST(substr(OLD.first_seen, 6, 2) AS INTEGER) - 1), OLD.taxonomy, OLD.org_id, OLD.resource, -1)
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
        VALUES (0, (CAST(substr(OLD.first_seen, 1, 4) AS INTEGER) * 12 + CAST(substr(OLD.first_seen, 6, 2) AS INTEGER) - 1), OLD.org_id, OLD.resource, -1)
        ON CONFLICT (kind, period, org_id, resource) DO UPDATE SET n = n + excluded.n;
    INSERT INTO stats_taxonomy_resources (kind, period, taxonomy, org_id, resource, n)
        VALUES (0, (CAST(substr(OLD.first_seen, 1, 4) AS INTEGER) * 12 + CAST(substr(OLD.first_seen, 6, 2) AS INTEGER) - 1), OLD.taxonomy, OLD.org_id, OLD.resource, -1)
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
        VALUES (0, (CAST(substr(NEW.first_seen, 1, 4) AS INTEGER) * 12 + CAST(substr(NEW.first_seen, 6, 2) AS INTEGER) - 1), NEW.org_id, NEW.resource, 1)
        ON CONFLICT (kind, period, org_id, resource) DO UPDATE SET n = n + excluded.n;
    INSERT INTO stats_taxonomy_resources (kind, period, taxonomy, org_id, resource, n)
        VALUES (0, (CAST(substr(NEW.first_seen, 1, 4) AS INTEGER) * 12 + CAST(substr(NEW.first_seen, 6, 2) AS INTEGER) - 1), NEW.taxonomy, NEW.org_id, NEW.resource, 1)
        ON CONFLICT (kind, period, taxonomy, org_id, resource) DO UPDATE SET n = n + excluded.n;
END;
