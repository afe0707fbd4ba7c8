-- Incident statistics, pre-aggregated (storage/istats.go), as 0009 does
-- for findings: a month's or a year's figures read these tables, never
-- every incident. Triggers keep them in the same transaction as every
-- write to incidents, their organisations and their take-downs, so no
-- writer has to know of them. Counts are signed: a change removes the
-- old row's contribution and adds the new one's. Months are numbered
-- year*12 + month - 1 in UTC (stats_month_of, from 0009). org_id 0
-- counts every incident once (what staff see); org_id N counts the
-- incidents affecting organisation N (what its agency sees). Rejected
-- and duplicate incidents count nowhere.

-- How an incident came in (the first report's channel; "analyst" when
-- an analyst opened it) and when it was first reported (NULL: when it
-- was opened), the start of every "time to".
ALTER TABLE incidents ADD COLUMN channel TEXT NOT NULL DEFAULT 'analyst';
ALTER TABLE incidents ADD COLUMN reported_at TIMESTAMPTZ;
UPDATE incidents SET
    channel = (SELECT r.channel FROM incident_reports r WHERE r.incident_id = incidents.id AND r.received_at <= incidents.created_at ORDER BY r.received_at, r.id LIMIT 1),
    reported_at = (SELECT MIN(r.received_at) FROM incident_reports r WHERE r.incident_id = incidents.id AND r.received_at <= incidents.created_at)
    WHERE EXISTS (SELECT 1 FROM incident_reports r WHERE r.incident_id = incidents.id AND r.received_at <= incidents.created_at);

-- istats_month: incidents opened (by created_at) and resolved (by
-- resolved_at) per month, organisation, classification, channel and
-- severity.
CREATE TABLE istats_month (
    month         INTEGER NOT NULL,
    org_id        BIGINT NOT NULL,
    taxonomy      TEXT NOT NULL,
    type          TEXT NOT NULL,
    identifier    TEXT NOT NULL,
    channel       TEXT NOT NULL,
    severity_rank INTEGER NOT NULL,
    opened        INTEGER NOT NULL DEFAULT 0,
    resolved      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (month, org_id, taxonomy, type, identifier, channel, severity_rank)
);
CREATE INDEX istats_month_org ON istats_month(org_id, month);

-- istats_duration: the times to triage, contain and resolve (from the
-- first report, in whole seconds, by the month they ended) and to take
-- down (a request's sending to its "done"), as a histogram: how many
-- fell in each bucket and their sum, so the mean is exact and the
-- median and 90th percentile are estimated within a bucket
-- (stats.Histogram, whose bounds are these).
CREATE TABLE istats_duration (
    month   INTEGER NOT NULL,
    org_id  BIGINT NOT NULL,
    measure TEXT NOT NULL,
    bucket  INTEGER NOT NULL,
    n       INTEGER NOT NULL,
    seconds BIGINT NOT NULL,
    PRIMARY KEY (org_id, month, measure, bucket)
);

-- The buckets, [lo, hi) seconds: 5, 15, 30 minutes, 1, 2, 4, 8, 12
-- hours, 1, 2, 3, 5, 7, 14, 30, 60, 90 days, and longer.
CREATE TABLE istats_buckets (
    bucket INTEGER PRIMARY KEY,
    lo     BIGINT NOT NULL,
    hi     BIGINT NOT NULL
);
INSERT INTO istats_buckets (bucket, lo, hi) VALUES
    (0, 0, 300),
    (1, 300, 900),
    (2, 900, 1800),
    (3, 1800, 3600),
    (4, 3600, 7200),
    (5, 7200, 14400),
    (6, 14400, 28800),
    (7, 28800, 43200),
    (8, 43200, 86400),
    (9, 86400, 172800),
    (10, 172800, 259200),
    (11, 259200, 432000),
    (12, 432000, 604800),
    (13, 604800, 1209600),
    (14, 1209600, 2592000),
    (15, 2592000, 5184000),
    (16, 5184000, 7776000),
    (17, 7776000, 9223372036854775807);

-- istats_seconds is whole seconds from a to b, never below 0 (the
-- SQLite triggers count the same: whole seconds of each, subtracted).
CREATE FUNCTION istats_seconds(b TIMESTAMPTZ, a TIMESTAMPTZ) RETURNS BIGINT LANGUAGE sql IMMUTABLE AS
$$ SELECT GREATEST(0, floor(EXTRACT(EPOCH FROM b))::bigint - floor(EXTRACT(EPOCH FROM a))::bigint) $$;

-- istats_add_duration counts one duration in at org, times s.
CREATE FUNCTION istats_add_duration(m INTEGER, org BIGINT, what TEXT, secs BIGINT, s INTEGER) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO istats_duration (month, org_id, measure, bucket, n, seconds)
        SELECT m, org, what, b.bucket, s, s * secs FROM istats_buckets b WHERE secs >= b.lo AND secs < b.hi
        ON CONFLICT (org_id, month, measure, bucket) DO UPDATE SET n = istats_duration.n + excluded.n, seconds = istats_duration.seconds + excluded.seconds;
END $$;

-- istats_incident adds an incident's contribution at org, times s.
CREATE FUNCTION istats_incident(i incidents, org BIGINT, s INTEGER) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    start TIMESTAMPTZ := COALESCE(i.reported_at, i.created_at);
BEGIN
    IF i.status IN ('rejected', 'duplicate') THEN
        RETURN;
    END IF;
    INSERT INTO istats_month (month, org_id, taxonomy, type, identifier, channel, severity_rank, opened, resolved)
        VALUES (stats_month_of(i.created_at), org, i.taxonomy, i.type, i.identifier, i.channel, i.severity_rank, s, 0)
        ON CONFLICT (month, org_id, taxonomy, type, identifier, channel, severity_rank) DO UPDATE SET opened = istats_month.opened + excluded.opened;
    IF i.resolved_at IS NOT NULL THEN
        INSERT INTO istats_month (month, org_id, taxonomy, type, identifier, channel, severity_rank, opened, resolved)
            VALUES (stats_month_of(i.resolved_at), org, i.taxonomy, i.type, i.identifier, i.channel, i.severity_rank, 0, s)
            ON CONFLICT (month, org_id, taxonomy, type, identifier, channel, severity_rank) DO UPDATE SET resolved = istats_month.resolved + excluded.resolved;
        PERFORM istats_add_duration(stats_month_of(i.resolved_at), org, 'resolve', istats_seconds(i.resolved_at, start), s);
    END IF;
    IF i.triaged_at IS NOT NULL THEN
        PERFORM istats_add_duration(stats_month_of(i.triaged_at), org, 'triage', istats_seconds(i.triaged_at, start), s);
    END IF;
    IF i.contained_at IS NOT NULL THEN
        PERFORM istats_add_duration(stats_month_of(i.contained_at), org, 'contain', istats_seconds(i.contained_at, start), s);
    END IF;
END $$;

-- istats_takedown adds a take-down's time at org, times s.
CREATE FUNCTION istats_takedown(t incident_takedowns, org BIGINT, s INTEGER) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF t.status = 'done' AND t.sent_at IS NOT NULL AND t.done_at IS NOT NULL THEN
        PERFORM istats_add_duration(stats_month_of(t.done_at), org, 'takedown', istats_seconds(t.done_at, t.sent_at), s);
    END IF;
END $$;

CREATE FUNCTION incidents_istats() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    o BIGINT;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        PERFORM istats_incident(OLD, 0, -1);
        FOR o IN SELECT org_id FROM incident_orgs WHERE incident_id = OLD.id LOOP
            PERFORM istats_incident(OLD, o, -1);
            PERFORM istats_incident(NEW, o, 1);
        END LOOP;
        PERFORM istats_incident(NEW, 0, 1);
    ELSIF TG_OP = 'INSERT' THEN
        PERFORM istats_incident(NEW, 0, 1);
    ELSE
        -- Its organisations' rows were counted out before the delete.
        PERFORM istats_incident(OLD, 0, -1);
    END IF;
    RETURN NULL;
END $$;

-- An incident deleted counts out of its organisations' rows first, while
-- it still exists.
CREATE FUNCTION incidents_istats_before_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM incident_orgs WHERE incident_id = OLD.id;
    RETURN OLD;
END $$;

CREATE TRIGGER incidents_istats AFTER INSERT OR DELETE ON incidents FOR EACH ROW EXECUTE FUNCTION incidents_istats();
CREATE TRIGGER incidents_istats_before_delete BEFORE DELETE ON incidents FOR EACH ROW EXECUTE FUNCTION incidents_istats_before_delete();
-- An update counts only when it moves what is counted: not a title, a
-- note's updated_at, nor a step between the statuses that count.
CREATE TRIGGER incidents_istats_update AFTER UPDATE ON incidents FOR EACH ROW
    WHEN (OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.reported_at IS DISTINCT FROM NEW.reported_at
        OR OLD.triaged_at IS DISTINCT FROM NEW.triaged_at OR OLD.contained_at IS DISTINCT FROM NEW.contained_at
        OR OLD.resolved_at IS DISTINCT FROM NEW.resolved_at OR OLD.taxonomy IS DISTINCT FROM NEW.taxonomy
        OR OLD.type IS DISTINCT FROM NEW.type OR OLD.identifier IS DISTINCT FROM NEW.identifier
        OR OLD.channel IS DISTINCT FROM NEW.channel OR OLD.severity_rank IS DISTINCT FROM NEW.severity_rank
        OR (OLD.status IN ('rejected', 'duplicate')) IS DISTINCT FROM (NEW.status IN ('rejected', 'duplicate')))
    EXECUTE FUNCTION incidents_istats();

-- An organisation added to (or removed from) an incident gains (or
-- loses) the incident and its take-downs.
CREATE FUNCTION incident_orgs_istats() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r incident_orgs;
    s INTEGER := 1;
    i incidents;
    t incident_takedowns;
BEGIN
    IF TG_OP = 'DELETE' THEN
        r := OLD;
        s := -1;
    ELSE
        r := NEW;
    END IF;
    SELECT * INTO i FROM incidents WHERE id = r.incident_id;
    IF FOUND THEN
        PERFORM istats_incident(i, r.org_id, s);
    END IF;
    FOR t IN SELECT * FROM incident_takedowns WHERE incident_id = r.incident_id LOOP
        PERFORM istats_takedown(t, r.org_id, s);
    END LOOP;
    RETURN NULL;
END $$;
CREATE TRIGGER incident_orgs_istats AFTER INSERT OR DELETE ON incident_orgs FOR EACH ROW EXECUTE FUNCTION incident_orgs_istats();

CREATE FUNCTION incident_takedowns_istats() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    o BIGINT;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM istats_takedown(OLD, 0, -1);
        FOR o IN SELECT org_id FROM incident_orgs WHERE incident_id = OLD.incident_id LOOP
            PERFORM istats_takedown(OLD, o, -1);
        END LOOP;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM istats_takedown(NEW, 0, 1);
        FOR o IN SELECT org_id FROM incident_orgs WHERE incident_id = NEW.incident_id LOOP
            PERFORM istats_takedown(NEW, o, 1);
        END LOOP;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER incident_takedowns_istats AFTER INSERT OR DELETE ON incident_takedowns FOR EACH ROW EXECUTE FUNCTION incident_takedowns_istats();
CREATE TRIGGER incident_takedowns_istats_update AFTER UPDATE ON incident_takedowns FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.sent_at IS DISTINCT FROM NEW.sent_at
        OR OLD.done_at IS DISTINCT FROM NEW.done_at OR OLD.incident_id IS DISTINCT FROM NEW.incident_id)
    EXECUTE FUNCTION incident_takedowns_istats();

-- What is already stored: every incident and take-down counted in.
DO $$
DECLARE
    i incidents;
    t incident_takedowns;
    o BIGINT;
BEGIN
    FOR i IN SELECT * FROM incidents LOOP
        PERFORM istats_incident(i, 0, 1);
        FOR o IN SELECT org_id FROM incident_orgs WHERE incident_id = i.id LOOP
            PERFORM istats_incident(i, o, 1);
        END LOOP;
    END LOOP;
    FOR t IN SELECT * FROM incident_takedowns LOOP
        PERFORM istats_takedown(t, 0, 1);
        FOR o IN SELECT org_id FROM incident_orgs WHERE incident_id = t.incident_id LOOP
            PERFORM istats_takedown(t, o, 1);
        END LOOP;
    END LOOP;
END $$;
