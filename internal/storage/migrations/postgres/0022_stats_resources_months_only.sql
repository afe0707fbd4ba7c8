-- The distinct resources with gaps were counted per month, quarter and
-- year: six rows of stats_resources and stats_taxonomy_resources for
-- every new finding. Those rows' keys end in the organisation and the
-- resource, so in a report whose addresses come in no order each one
-- landed on a page of its own: they were the largest part of a
-- scattered ingest's writes (docs/performance.md, "Scattered
-- addresses"). Now only months are kept (kind 0), and a quarter's or a
-- year's distinct resources are counted over its months when read
-- (storage/stats_agg.go): twelve months of an organisation's rows, where
-- ingest saves four upserts per finding. The functions below are those
-- of 0009 (stats_count, for deletions and updates) and 0018 (inserts)
-- without the quarter's and the year's rows.
DELETE FROM stats_resources WHERE kind <> 0;
DELETE FROM stats_taxonomy_resources WHERE kind <> 0;

CREATE OR REPLACE FUNCTION stats_count(f findings, s INTEGER) RETURNS void LANGUAGE plpgsql AS $$
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
        VALUES (0, m, f.org_id, f.resource, s)
        ON CONFLICT (kind, period, org_id, resource) DO UPDATE SET n = stats_resources.n + excluded.n;
    INSERT INTO stats_taxonomy_resources (kind, period, taxonomy, org_id, resource, n)
        VALUES (0, m, f.taxonomy, f.org_id, f.resource, s)
        ON CONFLICT (kind, period, taxonomy, org_id, resource) DO UPDATE SET n = stats_taxonomy_resources.n + excluded.n;
END $$;

CREATE OR REPLACE FUNCTION findings_stats_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- What stats_count(NEW, 1) does per row, grouped: each key's count
    -- is added once.
    CREATE TEMP TABLE IF NOT EXISTS stats_inserted (
        org_id BIGINT, resource TEXT, identifier TEXT, taxonomy TEXT, m INTEGER, closed_m INTEGER,
        counted BOOLEAN, ended_m INTEGER
    ) ON COMMIT DELETE ROWS;
    INSERT INTO stats_inserted
    SELECT f.org_id, f.resource, f.identifier, f.taxonomy, stats_month_of(f.first_seen),
        CASE WHEN f.closed_at IS NOT NULL THEN stats_month_of(f.closed_at) END,
        f.status IN ('open', 'notified', 'acknowledged', 'reopened') OR e.ended,
        CASE WHEN e.ended THEN GREATEST(stats_month_of(f.first_seen),
            stats_month_of(CASE WHEN f.status = 'resolved' THEN f.resolved_at ELSE COALESCE(f.resolved_at, f.closed_at) END)) END
    FROM inserted_findings f
    CROSS JOIN LATERAL (SELECT (f.status = 'resolved' AND f.resolved_at IS NOT NULL)
        OR (f.status = 'closed' AND COALESCE(f.resolved_at, f.closed_at) IS NOT NULL) AS ended) e;

    INSERT INTO stats_month (month, org_id, identifier, taxonomy, opened, closed)
        SELECT m, org_id, identifier, taxonomy, count(*), 0 FROM stats_inserted GROUP BY m, org_id, identifier, taxonomy
        ON CONFLICT (month, org_id, identifier, taxonomy) DO UPDATE SET opened = stats_month.opened + excluded.opened;
    INSERT INTO stats_month (month, org_id, identifier, taxonomy, opened, closed)
        SELECT closed_m, org_id, identifier, taxonomy, 0, count(*) FROM stats_inserted WHERE closed_m IS NOT NULL
        GROUP BY closed_m, org_id, identifier, taxonomy
        ON CONFLICT (month, org_id, identifier, taxonomy) DO UPDATE SET closed = stats_month.closed + excluded.closed;
    -- A finding both counted in and ended in its first month nets to
    -- zero there, as the two row-wise upserts did.
    INSERT INTO stats_open (org_id, month, delta)
        SELECT org_id, month, sum(delta) FROM (
            SELECT org_id, m AS month, 1 AS delta FROM stats_inserted WHERE counted
            UNION ALL
            SELECT org_id, ended_m, -1 FROM stats_inserted WHERE ended_m IS NOT NULL
        ) d GROUP BY org_id, month
        ON CONFLICT (org_id, month) DO UPDATE SET delta = stats_open.delta + excluded.delta;
    INSERT INTO stats_resources (kind, period, org_id, resource, n)
        SELECT 0, m, org_id, resource, count(*) FROM stats_inserted GROUP BY m, org_id, resource
        ON CONFLICT (kind, period, org_id, resource) DO UPDATE SET n = stats_resources.n + excluded.n;
    INSERT INTO stats_taxonomy_resources (kind, period, taxonomy, org_id, resource, n)
        SELECT 0, m, taxonomy, org_id, resource, count(*) FROM stats_inserted GROUP BY m, taxonomy, org_id, resource
        ON CONFLICT (kind, period, taxonomy, org_id, resource) DO UPDATE SET n = stats_taxonomy_resources.n + excluded.n;
    DELETE FROM stats_inserted;
    RETURN NULL;
END $$;
