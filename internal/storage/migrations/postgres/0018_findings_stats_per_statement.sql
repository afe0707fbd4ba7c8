-- Findings inserted by one statement are counted into the statistics by
-- one set of statements, not by a PL/pgSQL call per row. An ingest batch
-- inserts hundreds of findings with one INSERT; counted row by row, the
-- trigger took half of a PostgreSQL ingest's time (8 upserts per
-- finding). The transition table holds the statement's inserted rows
-- only: rows an upsert updated instead go through findings_stats_update,
-- as before. Deletions stay counted per row (an organisation's cascade
-- is rare), so findings_stats now fires on DELETE alone.
DROP TRIGGER findings_stats ON findings;
CREATE TRIGGER findings_stats AFTER DELETE ON findings FOR EACH ROW EXECUTE FUNCTION findings_stats();

CREATE FUNCTION findings_stats_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
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
        SELECT k.kind, CASE k.kind WHEN 0 THEN m WHEN 1 THEN m / 12 * 4 + m % 12 / 3 ELSE m / 12 END, org_id, resource, count(*)
        FROM stats_inserted CROSS JOIN (VALUES (0), (1), (2)) AS k(kind) GROUP BY 1, 2, 3, 4
        ON CONFLICT (kind, period, org_id, resource) DO UPDATE SET n = stats_resources.n + excluded.n;
    INSERT INTO stats_taxonomy_resources (kind, period, taxonomy, org_id, resource, n)
        SELECT k.kind, CASE k.kind WHEN 0 THEN m WHEN 1 THEN m / 12 * 4 + m % 12 / 3 ELSE m / 12 END, taxonomy, org_id, resource, count(*)
        FROM stats_inserted CROSS JOIN (VALUES (0), (1), (2)) AS k(kind) GROUP BY 1, 2, 3, 4, 5
        ON CONFLICT (kind, period, taxonomy, org_id, resource) DO UPDATE SET n = stats_taxonomy_resources.n + excluded.n;
    DELETE FROM stats_inserted;
    RETURN NULL;
END $$;

CREATE TRIGGER findings_stats_inserted AFTER INSERT ON findings
    REFERENCING NEW TABLE AS inserted_findings FOR EACH STATEMENT EXECUTE FUNCTION findings_stats_inserted();
