-- Incident statistics, pre-aggregated (storage/istats.go), as 0009 does
-- for findings: a month's or a year's figures read these tables, never
-- every incident. Triggers keep them in the same transaction as every
-- write to incidents, their organisations and their take-downs, so no
-- writer has to know of them. Counts are signed: a change removes the
-- old row's contribution and adds the new one's. Months are numbered
-- year*12 + month - 1 in UTC (times are stored in UTC, so the month is
-- read from the text). org_id 0 counts every incident once (what staff
-- see); org_id N counts the incidents affecting organisation N (what
-- its agency sees). Rejected and duplicate incidents count nowhere.

-- How an incident came in (the first report's channel; "analyst" when
-- an analyst opened it) and when it was first reported (NULL: when it
-- was opened), the start of every "time to".
ALTER TABLE incidents ADD COLUMN channel TEXT NOT NULL DEFAULT 'analyst';
ALTER TABLE incidents ADD COLUMN reported_at TIMESTAMP;
UPDATE incidents SET
    channel = (SELECT r.channel FROM incident_reports r WHERE r.incident_id = incidents.id AND r.received_at <= incidents.created_at ORDER BY r.received_at, r.id LIMIT 1),
    reported_at = (SELECT MIN(r.received_at) FROM incident_reports r WHERE r.incident_id = incidents.id AND r.received_at <= incidents.created_at)
    WHERE EXISTS (SELECT 1 FROM incident_reports r WHERE r.incident_id = incidents.id AND r.received_at <= incidents.created_at);

-- istats_month: incidents opened (by created_at) and resolved (by
-- resolved_at) per month, organisation, classification, channel and
-- severity.
CREATE TABLE istats_month (
    month         INTEGER NOT NULL,
    org_id        INTEGER NOT NULL,
    taxonomy      TEXT NOT NULL,
    type          TEXT NOT NULL,
    identifier    TEXT NOT NULL,
    channel       TEXT NOT NULL,
    severity_rank INTEGER NOT NULL,
    opened        INTEGER NOT NULL DEFAULT 0,
    resolved      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (month, org_id, taxonomy, type, identifier, channel, severity_rank)
) WITHOUT ROWID;
CREATE INDEX istats_month_org ON istats_month(org_id, month);

-- istats_duration: the times to triage, contain and resolve (from the
-- first report, in whole seconds, by the month they ended) and to take
-- down (a request's sending to its "done"), as a histogram: how many
-- fell in each bucket and their sum, so the mean is exact and the
-- median and 90th percentile are estimated within a bucket
-- (stats.Histogram, whose bounds are these).
CREATE TABLE istats_duration (
    month   INTEGER NOT NULL,
    org_id  INTEGER NOT NULL,
    measure TEXT NOT NULL,
    bucket  INTEGER NOT NULL,
    n       INTEGER NOT NULL,
    seconds INTEGER NOT NULL,
    PRIMARY KEY (org_id, month, measure, bucket)
) WITHOUT ROWID;

-- The buckets, [lo, hi) seconds: 5, 15, 30 minutes, 1, 2, 4, 8, 12
-- hours, 1, 2, 3, 5, 7, 14, 30, 60, 90 days, and longer.
CREATE TABLE istats_buckets (
    bucket INTEGER PRIMARY KEY,
    lo     INTEGER NOT NULL,
    hi     INTEGER NOT NULL
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

CREATE TRIGGER incidents_istats_insert AFTER INSERT ON incidents BEGIN
    INSERT INTO istats_month (month, org_id, taxonomy, type, identifier, channel, severity_rank, opened, resolved)
        SELECT (CAST(substr(NEW.created_at, 1, 4) AS INTEGER) * 12 + CAST(substr(NEW.created_at, 6, 2) AS INTEGER) - 1), o.org_id, NEW.taxonomy, NEW.type, NEW.identifier, NEW.channel, NEW.severity_rank, 1, 0 FROM (SELECT 0 AS org_id UNION ALL SELECT org_id FROM incident_orgs WHERE incident_id = NEW.id) o WHERE NEW.status NOT IN ('rejected', 'duplicate')
        ON CONFLICT (month, org_id, taxonomy, type, identifier, channel, severity_rank) DO UPDATE SET opened = opened + excluded.opened;
    INSERT INTO istats_month (month, org_id, taxonomy, type, identifier, channel, severity_rank, opened, resolved)
        SELECT (CAST(substr(NEW.resolved_at, 1, 4) AS INTEGER) * 12 + CAST(substr(NEW.resolved_at, 6, 2) AS INTEGER) - 1), o.org_id, NEW.taxonomy, NEW.type, NEW.identifier, NEW.channel, NEW.severity_rank, 0, 1 FROM (SELECT 0 AS org_id UNION ALL SELECT org_id FROM incident_orgs WHERE incident_id = NEW.id) o WHERE NEW.status NOT IN ('rejected', 'duplicate') AND NEW.resolved_at IS NOT NULL
        ON CONFLICT (month, org_id, taxonomy, type, identifier, channel, severity_rank) DO UPDATE SET resolved = resolved + excluded.resolved;
    INSERT INTO istats_duration (month, org_id, measure, bucket, n, seconds)
        SELECT (CAST(substr(NEW.triaged_at, 1, 4) AS INTEGER) * 12 + CAST(substr(NEW.triaged_at, 6, 2) AS INTEGER) - 1), o.org_id, 'triage', b.bucket, 1, 1 * max(0, unixepoch(substr(NEW.triaged_at, 1, 19)) - unixepoch(substr(COALESCE(NEW.reported_at, NEW.created_at), 1, 19))) FROM (SELECT 0 AS org_id UNION ALL SELECT org_id FROM incident_orgs WHERE incident_id = NEW.id) o JOIN istats_buckets b ON max(0, unixepoch(substr(NEW.triaged_at, 1, 19)) - unixepoch(substr(COALESCE(NEW.reported_at, NEW.created_at), 1, 19))) >= b.lo AND max(0, unixepoch(substr(NEW.triaged_at, 1, 19)) - unixepoch(substr(COALESCE(NEW.reported_at, NEW.created_at), 1, 19))) < b.hi WHERE NEW.status NOT IN ('rejected', 'duplicate') AND NEW.triaged_at IS NOT NULL
        ON CONFLICT (month, org_id, measure, bucket) DO UPDATE SET n = n + excluded.n, seconds = seconds + excluded.seconds;
    INSERT INTO istats_duration (month, org_id, measure, bucket, n, seconds)
        SELECT (CAST(substr(NEW.contained_at, 1, 4) AS INTEGER) * 12 + CAST(substr(NEW.contained_at, 6, 2) AS INTEGER) - 1), o.org_id, 'contain', b.bucket, 1, 1 * max(0, unixepoch(substr(NEW.contained_at, 1, 19)) - unixepoch(substr(COALESCE(NEW.reported_at, NEW.created_at), 1, 19))) FROM (SELECT 0 AS org_id UNION ALL SELECT org_id FROM incident_orgs WHERE incident_id = NEW.id) o JOIN istats_buckets b ON max(0, unixepoch(substr(NEW.contained_at, 1, 19)) - unixepoch(substr(COALESCE(NEW.reported_at, NEW.created_at), 1, 19))) >= b.lo AND max(0, unixepoch(substr(NEW.contained_at, 1, 19)) - unixepoch(substr(COALESCE(NEW.reported_at, NEW.created_at), 1, 19))) < b.hi WHERE NEW.status NOT IN ('rejected', 'duplicate') AND NEW.contained_at IS NOT NULL
        ON CONFLICT (month, org_id, measure, bucket) DO UPDATE SET n = n + excluded.n, seconds = seconds + excluded.seconds;
    INSERT INTO istats_duration (month, org_id, measure, bucket, n, seconds)
        SELECT (CAST(substr(NEW.resolved_at, 1, 4) AS INTEGER) * 12 + CAST(substr(NEW.resolved_at, 6, 2) AS INTEGER) - 1), o.org_id, 'resolve', b.bucket, 1, 1 * max(0, unixepoch(substr(NEW.resolved_at, 1, 19)) - unixepoch(substr(COALESCE(NEW.reported_at, NEW.created_at), 1, 19))) FROM (SELECT 0 AS org_id UNION ALL SELECT org_id FROM incident_orgs WHERE incident_id = NEW.id) o JOIN istats_buckets b ON max(0, unixepoch(substr(NEW.resolved_at, 1, 19)) - unixepoch(substr(COALESCE(NEW.reported_at, NEW.created_at), 1, 19))) >= b.lo AND max(0, unixepoch(substr(NEW.resolved_at, 1, 19)) - unixepoch(substr(COALESCE(NEW.reported_at, NEW.created_at), 1, 19))) < b.hi WHERE NEW.status NOT IN ('rejected', 'duplicate') AND NEW.resolved_at IS NOT NULL
        ON CONFLICT (month, org_id, measure, bucket) DO UPDATE SET n = n + excluded.n, seconds = seconds + excluded.seconds;
END;

-- An incident deleted counts out of its organisations' rows first
-- (its organisations' rows go with it), then out of the whole.
CREATE TRIGGER incidents_istats_before_delete BEFORE DELETE ON incidents BEGIN
    DELETE FROM incident_orgs WHERE incident_id = OLD.id;
END;

CREATE TRIGGER incidents_istats_delete AFTER DELETE ON incidents BEGIN
    INSERT INTO istats_month (month, org_id, taxonomy, type, identifier, channel, severity_rank, opened, resolved)
        SELECT (CAST(substr(OLD.created_at, 1, 4) AS INTEGER) * 12 + CAST(substr(OLD.created_at, 6, 2) AS INTEGER) - 1), o.org_id, OLD.taxonomy, OLD.type, OLD.identifier, OLD.channel, OLD.severity_rank, -1, 0 FROM (SELECT 0 AS org_id) o WHERE OLD.status NOT IN ('rejected', 'duplicate')
        ON CONFLICT (month, org_id, taxonomy, type, identifier, channel, severity_rank) DO UPDATE SET opened = opened + excluded.opened;
    INSERT INTO istats_month (month, org_id, taxonomy, type, identifier, channel, severity_rank, opened, resolved)
        SELECT (CAST(substr(OLD.resolved_at, 1, 4) AS INTEGER) * 12 + CAST(substr(OLD.resolved_at, 6, 2) AS INTEGER) - 1), o.org_id, OLD.taxonomy, OLD.type, OLD.identifier, OLD.channel, OLD.severity_rank, 0, -1 FROM (SELECT 0 AS org_id) o WHERE OLD.status NOT IN ('rejected', 'duplicate') AND OLD.resolved_at IS NOT NULL
        ON CONFLICT (month, org_id, taxonomy, type, identifier, channel, severity_rank) DO UPDATE SET resolved = resolved + excluded.resolved;
    INSERT INTO istats_duration (month, org_id, measure, bucket, n, seconds)
        SELECT (CAST(substr(OLD.triaged_at, 1, 4) AS INTEGER) * 12 + CAST(substr(OLD.triaged_at, 6, 2) AS INTEGER) - 1), o.org_id, 'triage', b.bucket, -1, -1 * max(0, unixepoch(substr(OLD.triaged_at, 1, 19)) - unixepoch(substr(COALESCE(OLD.reported_at, OLD.created_at), 1, 19))) FROM (SELECT 0 AS org_id) o JOIN istats_buckets b ON max(0, unixepoch(substr(OLD.triaged_at, 1, 19)) - unixepoch(substr(COALESCE(OLD.reported_at, OLD.created_at), 1, 19))) >= b.lo AND max(0, unixepoch(substr(OLD.triaged_at, 1, 19)) - unixepoch(substr(COALESCE(OLD.reported_at, OLD.created_at), 1, 19))) < b.hi WHERE OLD.status NOT IN ('rejected', 'duplicate') AND OLD.triaged_at IS NOT NULL
        ON CONFLICT (month, org_id, measure, bucket) DO UPDATE SET n = n + excluded.n, seconds = seconds + excluded.seconds;
    INSERT INTO istats_duration (month, org_id, measure, bucket, n, seconds)
        SELECT (CAST(substr(OLD.contained_at, 1, 4) AS INTEGER) * 12 + CAST(substr(OLD.contained_at, 6, 2) AS INTEGER) - 1), o.org_id, 'contain', b.bucket, -1, -1 * max(0, unixepoch(substr(OLD.contained_at, 1, 19)) - unixepoch(substr(COALESCE(OLD.reported_at, OLD.created_at), 1, 19))) FROM (SELECT 0 AS org_id) o JOIN istats_buckets b ON max(0, unixepoch(substr(OLD.contained_at, 1, 19)) - unixepoch(substr(COALESCE(OLD.reported_at, OLD.created_at), 1, 19))) >= b.lo AND max(0, unixepoch(substr(OLD.contained_at, 1, 19)) - unixepoch(substr(COALESCE(OLD.reported_at, OLD.created_at), 1, 19))) < b.hi WHERE OLD.status NOT IN ('rejected', 'duplicate') AND OLD.contained_at IS NOT NULL
        ON CONFLICT (month, org_id, measure, bucket) DO UPDATE SET n = n + excluded.n, seconds = seconds + excluded.seconds;
    INSERT INTO istats_duration (month, org_id, measure, bucket, n, seconds)
        SELECT (CAST(substr(OLD.resolved_at, 1, 4) AS INTEGER) * 12 + CAST(substr(OLD.resolved_at, 6, 2) AS INTEGER) - 1), o.org_id, 'resolve', b.bucket, -1, -1 * max(0, unixepoch(substr(OLD.resolved_at, 1, 19)) - unixepoch(substr(COALESCE(OLD.reported_at, OLD.created_at), 1, 19))) FROM (SELECT 0 AS org_id) o JOIN istats_buckets b ON max(0, unixepoch(substr(OLD.resolved_at, 1, 19)) - unixepoch(substr(COALESCE(OLD.reported_at, OLD.created_at), 1, 19))) >= b.lo AND max(0, unixepoch(substr(OLD.resolved_at, 1, 19)) - unixepoch(substr(COALESCE(OLD.reported_at, OLD.created_at), 1, 19))) < b.hi WHERE OLD.status NOT IN ('rejected', 'duplicate') AND OLD.resolved_at IS NOT NULL
        ON CONFLICT (month, org_id, measure, bucket) DO UPDATE SET n = n + excluded.n, seconds = seconds + excluded.seconds;
END;

-- An update counts only when it moves what is counted: not a title, a
-- note's updated_at, nor a step between the statuses that count.
CREATE TRIGGER incidents_istats_update AFTER UPDATE ON incidents
WHEN OLD.created_at IS NOT NEW.created_at OR OLD.reported_at IS NOT NEW.reported_at OR OLD.triaged_at IS NOT NEW.triaged_at OR OLD.contained_at IS NOT NEW.contained_at OR OLD.resolved_at IS NOT NEW.resolved_at OR OLD.taxonomy IS NOT NEW.taxonomy OR OLD.type IS NOT NEW.type OR OLD.identifier IS NOT NEW.identifier OR OLD.channel IS NOT NEW.channel OR OLD.severity_rank IS NOT NEW.severity_rank OR (OLD.status IN ('rejected', 'duplicate')) IS NOT (NEW.status IN ('rejected', 'duplicate'))
BEGIN
    INSERT INTO istats_month (month, org_id, taxonomy, type, identifier, channel, severity_rank, opened, resolved)
        SELECT (CAST(substr(OLD.created_at, 1, 4) AS INTEGER) * 12 + CAST(substr(OLD.created_at, 6, 2) AS INTEGER) - 1), o.org_id, OLD.taxonomy, OLD.type, OLD.identifier, OLD.channel, OLD.severity_rank, -1, 0 FROM (SELECT 0 AS org_id UNION ALL SELECT org_id FROM incident_orgs WHERE incident_id = OLD.id) o WHERE OLD.status NOT IN ('rejected', 'duplicate')
        ON CONFLICT (month, org_id, taxonomy, type, identifier, channel, severity_rank) DO UPDATE SET opened = opened + excluded.opened;
    INSERT INTO istats_month (month, org_id, taxonomy, type, identifier, channel, severity_rank, opened, resolved)
        SELECT (CAST(substr(OLD.resolved_at, 1, 4) AS INTEGER) * 12 + CAST(substr(OLD.resolved_at, 6, 2) AS INTEGER) - 1), o.org_id, OLD.taxonomy, OLD.type, OLD.identifier, OLD.channel, OLD.severity_rank, 0, -1 FROM (SELECT 0 AS org_id UNION ALL SELECT org_id FROM incident_orgs WHERE incident_id = OLD.id) o WHERE OLD.status NOT IN ('rejected', 'duplicate') AND OLD.resolved_at IS NOT NULL
        ON CONFLICT (month, org_id, taxonomy, type, identifier, channel, severity_rank) DO UPDATE SET resolved = resolved + excluded.resolved;
    INSERT INTO istats_duration (month, org_id, measure, bucket, n, seconds)
        SELECT (CAST(substr(OLD.triaged_at, 1, 4) AS INTEGER) * 12 + CAST(substr(OLD.triaged_at, 6, 2) AS INTEGER) - 1), o.org_id, 'triage', b.bucket, -1, -1 * max(0, unixepoch(substr(OLD.triaged_at, 1, 19)) - unixepoch(substr(COALESCE(OLD.reported_at, OLD.created_at), 1, 19))) FROM (SELECT 0 AS org_id UNION ALL SELECT org_id FROM incident_orgs WHERE incident_id = OLD.id) o JOIN istats_buckets b ON max(0, unixepoch(substr(OLD.triaged_at, 1, 19)) - unixepoch(substr(COALESCE(OLD.reported_at, OLD.created_at), 1, 19))) >= b.lo AND max(0, unixepoch(substr(OLD.triaged_at, 1, 19)) - unixepoch(substr(COALESCE(OLD.reported_at, OLD.created_at), 1, 19))) < b.hi WHERE OLD.status NOT IN ('rejected', 'duplicate') AND OLD.triaged_at IS NOT NULL
        ON CONFLICT (month, org_id, measure, bucket) DO UPDATE SET n = n + excluded.n, seconds = seconds + excluded.seconds;
    INSERT INTO istats_duration (month, org_id, measure, bucket, n, seconds)
        SELECT (CAST(substr(OLD.contained_at, 1, 4) AS INTEGER) * 12 + CAST(substr(OLD.contained_at, 6, 2) AS INTEGER) - 1), o.org_id, 'contain', b.bucket, -1, -1 * max(0, unixepoch(substr(OLD.contained_at, 1, 19)) - unixepoch(substr(COALESCE(OLD.reported_at, OLD.created_at), 1, 19))) FROM (SELECT 0 AS org_id UNION ALL SELECT org_id FROM incident_orgs WHERE incident_id = OLD.id) o JOIN istats_buckets b ON max(0, unixepoch(substr(OLD.contained_at, 1, 19)) - unixepoch(substr(COALESCE(OLD.reported_at, OLD.created_at), 1, 19))) >= b.lo AND max(0, unixepoch(substr(OLD.contained_at, 1, 19)) - unixepoch(substr(COALESCE(OLD.reported_at, OLD.created_at), 1, 19))) < b.hi WHERE OLD.status NOT IN ('rejected', 'duplicate') AND OLD.contained_at IS NOT NULL
        ON CONFLICT (month, org_id, measure, bucket) DO UPDATE SET n = n + excluded.n, seconds = seconds + excluded.seconds;
    INSERT INTO istats_duration (month, org_id, measure, bucket, n, seconds)
        SELECT (CAST(substr(OLD.resolved_at, 1, 4) AS INTEGER) * 12 + CAST(substr(OLD.resolved_at, 6, 2) AS INTEGER) - 1), o.org_id, 'resolve', b.bucket, -1, -1 * max(0, unixepoch(substr(OLD.resolved_at, 1, 19)) - unixepoch(substr(COALESCE(OLD.reported_at, OLD.created_at), 1, 19))) FROM (SELECT 0 AS org_id UNION ALL SELECT org_id FROM incident_orgs WHERE incident_id = OLD.id) o JOIN istats_buckets b ON max(0, unixepoch(substr(OLD.resolved_at, 1, 19)) - unixepoch(substr(COALESCE(OLD.reported_at, OLD.created_at), 1, 19))) >= b.lo AND max(0, unixepoch(substr(OLD.resolved_at, 1, 19)) - unixepoch(substr(COALESCE(OLD.reported_at, OLD.created_at), 1, 19))) < b.hi WHERE OLD.status NOT IN ('rejected', 'duplicate') AND OLD.resolved_at IS NOT NULL
        ON CONFLICT (month, org_id, measure, bucket) DO UPDATE SET n = n + excluded.n, seconds = seconds + excluded.seconds;
    INSERT INTO istats_month (month, org_id, taxonomy, type, identifier, channel, severity_rank, opened, resolved)
        SELECT (CAST(substr(NEW.created_at, 1, 4) AS INTEGER) * 12 + CAST(substr(NEW.created_at, 6, 2) AS INTEGER) - 1), o.org_id, NEW.taxonomy, NEW.type, NEW.identifier, NEW.channel, NEW.severity_rank, 1, 0 FROM (SELECT 0 AS org_id UNION ALL SELECT org_id FROM incident_orgs WHERE incident_id = NEW.id) o WHERE NEW.status NOT IN ('rejected', 'duplicate')
        ON CONFLICT (month, org_id, taxonomy, type, identifier, channel, severity_rank) DO UPDATE SET opened = opened + excluded.opened;
    INSERT INTO istats_month (month, org_id, taxonomy, type, identifier, channel, severity_rank, opened, resolved)
        SELECT (CAST(substr(NEW.resolved_at, 1, 4) AS INTEGER) * 12 + CAST(substr(NEW.resolved_at, 6, 2) AS INTEGER) - 1), o.org_id, NEW.taxonomy, NEW.type, NEW.identifier, NEW.channel, NEW.severity_rank, 0, 1 FROM (SELECT 0 AS org_id UNION ALL SELECT org_id FROM incident_orgs WHERE incident_id = NEW.id) o WHERE NEW.status NOT IN ('rejected', 'duplicate') AND NEW.resolved_at IS NOT NULL
        ON CONFLICT (month, org_id, taxonomy, type, identifier, channel, severity_rank) DO UPDATE SET resolved = resolved + excluded.resolved;
    INSERT INTO istats_duration (month, org_id, measure, bucket, n, seconds)
        SELECT (CAST(substr(NEW.triaged_at, 1, 4) AS INTEGER) * 12 + CAST(substr(NEW.triaged_at, 6, 2) AS INTEGER) - 1), o.org_id, 'triage', b.bucket, 1, 1 * max(0, unixepoch(substr(NEW.triaged_at, 1, 19)) - unixepoch(substr(COALESCE(NEW.reported_at, NEW.created_at), 1, 19))) FROM (SELECT 0 AS org_id UNION ALL SELECT org_id FROM incident_orgs WHERE incident_id = NEW.id) o JOIN istats_buckets b ON max(0, unixepoch(substr(NEW.triaged_at, 1, 19)) - unixepoch(substr(COALESCE(NEW.reported_at, NEW.created_at), 1, 19))) >= b.lo AND max(0, unixepoch(substr(NEW.triaged_at, 1, 19)) - unixepoch(substr(COALESCE(NEW.reported_at, NEW.created_at), 1, 19))) < b.hi WHERE NEW.status NOT IN ('rejected', 'duplicate') AND NEW.triaged_at IS NOT NULL
        ON CONFLICT (month, org_id, measure, bucket) DO UPDATE SET n = n + excluded.n, seconds = seconds + excluded.seconds;
    INSERT INTO istats_duration (month, org_id, measure, bucket, n, seconds)
        SELECT (CAST(substr(NEW.contained_at, 1, 4) AS INTEGER) * 12 + CAST(substr(NEW.contained_at, 6, 2) AS INTEGER) - 1), o.org_id, 'contain', b.bucket, 1, 1 * max(0, unixepoch(substr(NEW.contained_at, 1, 19)) - unixepoch(substr(COALESCE(NEW.reported_at, NEW.created_at), 1, 19))) FROM (SELECT 0 AS org_id UNION ALL SELECT org_id FROM incident_orgs WHERE incident_id = NEW.id) o JOIN istats_buckets b ON max(0, unixepoch(substr(NEW.contained_at, 1, 19)) - unixepoch(substr(COALESCE(NEW.reported_at, NEW.created_at), 1, 19))) >= b.lo AND max(0, unixepoch(substr(NEW.contained_at, 1, 19)) - unixepoch(substr(COALESCE(NEW.reported_at, NEW.created_at), 1, 19))) < b.hi WHERE NEW.status NOT IN ('rejected', 'duplicate') AND NEW.contained_at IS NOT NULL
        ON CONFLICT (month, org_id, measure, bucket) DO UPDATE SET n = n + excluded.n, seconds = seconds + excluded.seconds;
    INSERT INTO istats_duration (month, org_id, measure, bucket, n, seconds)
        SELECT (CAST(substr(NEW.resolved_at, 1, 4) AS INTEGER) * 12 + CAST(substr(NEW.resolved_at, 6, 2) AS INTEGER) - 1), o.org_id, 'resolve', b.bucket, 1, 1 * max(0, unixepoch(substr(NEW.resolved_at, 1, 19)) - unixepoch(substr(COALESCE(NEW.reported_at, NEW.created_at), 1, 19))) FROM (SELECT 0 AS org_id UNION ALL SELECT org_id FROM incident_orgs WHERE incident_id = NEW.id) o JOIN istats_buckets b ON max(0, unixepoch(substr(NEW.resolved_at, 1, 19)) - unixepoch(substr(COALESCE(NEW.reported_at, NEW.created_at), 1, 19))) >= b.lo AND max(0, unixepoch(substr(NEW.resolved_at, 1, 19)) - unixepoch(substr(COALESCE(NEW.reported_at, NEW.created_at), 1, 19))) < b.hi WHERE NEW.status NOT IN ('rejected', 'duplicate') AND NEW.resolved_at IS NOT NULL
        ON CONFLICT (month, org_id, measure, bucket) DO UPDATE SET n = n + excluded.n, seconds = seconds + excluded.seconds;
END;

-- An organisation added to (or removed from) an incident gains (or
-- loses) the incident and its take-downs.
CREATE TRIGGER incident_orgs_istats_insert AFTER INSERT ON incident_orgs BEGIN
    INSERT INTO istats_month (month, org_id, taxonomy, type, identifier, channel, severity_rank, opened, resolved)
        SELECT (CAST(substr(i.created_at, 1, 4) AS INTEGER) * 12 + CAST(substr(i.created_at, 6, 2) AS INTEGER) - 1), o.org_id, i.taxonomy, i.type, i.identifier, i.channel, i.severity_rank, 1, 0 FROM incidents i CROSS JOIN (SELECT NEW.org_id AS org_id) o WHERE i.id = NEW.incident_id AND i.status NOT IN ('rejected', 'duplicate')
        ON CONFLICT (month, org_id, taxonomy, type, identifier, channel, severity_rank) DO UPDATE SET opened = opened + excluded.opened;
    INSERT INTO istats_month (month, org_id, taxonomy, type, identifier, channel, severity_rank, opened, resolved)
        SELECT (CAST(substr(i.resolved_at, 1, 4) AS INTEGER) * 12 + CAST(substr(i.resolved_at, 6, 2) AS INTEGER) - 1), o.org_id, i.taxonomy, i.type, i.identifier, i.channel, i.severity_rank, 0, 1 FROM incidents i CROSS JOIN (SELECT NEW.org_id AS org_id) o WHERE i.id = NEW.incident_id AND i.status NOT IN ('rejected', 'duplicate') AND i.resolved_at IS NOT NULL
        ON CONFLICT (month, org_id, taxonomy, type, identifier, channel, severity_rank) DO UPDATE SET resolved = resolved + excluded.resolved;
    INSERT INTO istats_duration (month, org_id, measure, bucket, n, seconds)
        SELECT (CAST(substr(i.triaged_at, 1, 4) AS INTEGER) * 12 + CAST(substr(i.triaged_at, 6, 2) AS INTEGER) - 1), o.org_id, 'triage', b.bucket, 1, 1 * max(0, unixepoch(substr(i.triaged_at, 1, 19)) - unixepoch(substr(COALESCE(i.reported_at, i.created_at), 1, 19))) FROM incidents i CROSS JOIN (SELECT NEW.org_id AS org_id) o JOIN istats_buckets b ON max(0, unixepoch(substr(i.triaged_at, 1, 19)) - unixepoch(substr(COALESCE(i.reported_at, i.created_at), 1, 19))) >= b.lo AND max(0, unixepoch(substr(i.triaged_at, 1, 19)) - unixepoch(substr(COALESCE(i.reported_at, i.created_at), 1, 19))) < b.hi WHERE i.id = NEW.incident_id AND i.status NOT IN ('rejected', 'duplicate') AND i.triaged_at IS NOT NULL
        ON CONFLICT (month, org_id, measure, bucket) DO UPDATE SET n = n + excluded.n, seconds = seconds + excluded.seconds;
    INSERT INTO istats_duration (month, org_id, measure, bucket, n, seconds)
        SELECT (CAST(substr(i.contained_at, 1, 4) AS INTEGER) * 12 + CAST(substr(i.contained_at, 6, 2) AS INTEGER) - 1), o.org_id, 'contain', b.bucket, 1, 1 * max(0, unixepoch(substr(i.contained_at, 1, 19)) - unixepoch(substr(COALESCE(i.reported_at, i.created_at), 1, 19))) FROM incidents i CROSS JOIN (SELECT NEW.org_id AS org_id) o JOIN istats_buckets b ON max(0, unixepoch(substr(i.contained_at, 1, 19)) - unixepoch(substr(COALESCE(i.reported_at, i.created_at), 1, 19))) >= b.lo AND max(0, unixepoch(substr(i.contained_at, 1, 19)) - unixepoch(substr(COALESCE(i.reported_at, i.created_at), 1, 19))) < b.hi WHERE i.id = NEW.incident_id AND i.status NOT IN ('rejected', 'duplicate') AND i.contained_at IS NOT NULL
        ON CONFLICT (month, org_id, measure, bucket) DO UPDATE SET n = n + excluded.n, seconds = seconds + excluded.seconds;
    INSERT INTO istats_duration (month, org_id, measure, bucket, n, seconds)
        SELECT (CAST(substr(i.resolved_at, 1, 4) AS INTEGER) * 12 + CAST(substr(i.resolved_at, 6, 2) AS INTEGER) - 1), o.org_id, 'resolve', b.bucket, 1, 1 * max(0, unixepoch(substr(i.resolved_at, 1, 19)) - unixepoch(substr(COALESCE(i.reported_at, i.created_at), 1, 19))) FROM incidents i CROSS JOIN (SELECT NEW.org_id AS org_id) o JOIN istats_buckets b ON max(0, unixepoch(substr(i.resolved_at, 1, 19)) - unixepoch(substr(COALESCE(i.reported_at, i.created_at), 1, 19))) >= b.lo AND max(0, unixepoch(substr(i.resolved_at, 1, 19)) - unixepoch(substr(COALESCE(i.reported_at, i.created_at), 1, 19))) < b.hi WHERE i.id = NEW.incident_id AND i.status NOT IN ('rejected', 'duplicate') AND i.resolved_at IS NOT NULL
        ON CONFLICT (month, org_id, measure, bucket) DO UPDATE SET n = n + excluded.n, seconds = seconds + excluded.seconds;
    INSERT INTO istats_duration (month, org_id, measure, bucket, n, seconds)
        SELECT (CAST(substr(t.done_at, 1, 4) AS INTEGER) * 12 + CAST(substr(t.done_at, 6, 2) AS INTEGER) - 1), o.org_id, 'takedown', b.bucket, 1, 1 * max(0, unixepoch(substr(t.done_at, 1, 19)) - unixepoch(substr(t.sent_at, 1, 19))) FROM incident_takedowns t CROSS JOIN (SELECT NEW.org_id AS org_id) o JOIN istats_buckets b ON max(0, unixepoch(substr(t.done_at, 1, 19)) - unixepoch(substr(t.sent_at, 1, 19))) >= b.lo AND max(0, unixepoch(substr(t.done_at, 1, 19)) - unixepoch(substr(t.sent_at, 1, 19))) < b.hi WHERE t.incident_id = NEW.incident_id AND t.status = 'done' AND t.sent_at IS NOT NULL AND t.done_at IS NOT NULL
        ON CONFLICT (month, org_id, measure, bucket) DO UPDATE SET n = n + excluded.n, seconds = seconds + excluded.seconds;
END;

CREATE TRIGGER incident_orgs_istats_delete AFTER DELETE ON incident_orgs BEGIN
    INSERT INTO istats_month (month, org_id, taxonomy, type, identifier, channel, severity_rank, opened, resolved)
        SELECT (CAST(substr(i.created_at, 1, 4) AS INTEGER) * 12 + CAST(substr(i.created_at, 6, 2) AS INTEGER) - 1), o.org_id, i.taxonomy, i.type, i.identifier, i.channel, i.severity_rank, -1, 0 FROM incidents i CROSS JOIN (SELECT OLD.org_id AS org_id) o WHERE i.id = OLD.incident_id AND i.status NOT IN ('rejected', 'duplicate')
        ON CONFLICT (month, org_id, taxonomy, type, identifier, channel, severity_rank) DO UPDATE SET opened = opened + excluded.opened;
    INSERT INTO istats_month (month, org_id, taxonomy, type, identifier, channel, severity_rank, opened, resolved)
        SELECT (CAST(substr(i.resolved_at, 1, 4) AS INTEGER) * 12 + CAST(substr(i.resolved_at, 6, 2) AS INTEGER) - 1), o.org_id, i.taxonomy, i.type, i.identifier, i.channel, i.severity_rank, 0, -1 FROM incidents i CROSS JOIN (SELECT OLD.org_id AS org_id) o WHERE i.id = OLD.incident_id AND i.status NOT IN ('rejected', 'duplicate') AND i.resolved_at IS NOT NULL
        ON CONFLICT (month, org_id, taxonomy, type, identifier, channel, severity_rank) DO UPDATE SET resolved = resolved + excluded.resolved;
    INSERT INTO istats_duration (month, org_id, measure, bucket, n, seconds)
        SELECT (CAST(substr(i.triaged_at, 1, 4) AS INTEGER) * 12 + CAST(substr(i.triaged_at, 6, 2) AS INTEGER) - 1), o.org_id, 'triage', b.bucket, -1, -1 * max(0, unixepoch(substr(i.triaged_at, 1, 19)) - unixepoch(substr(COALESCE(i.reported_at, i.created_at), 1, 19))) FROM incidents i CROSS JOIN (SELECT OLD.org_id AS org_id) o JOIN istats_buckets b ON max(0, unixepoch(substr(i.triaged_at, 1, 19)) - unixepoch(substr(COALESCE(i.reported_at, i.created_at), 1, 19))) >= b.lo AND max(0, unixepoch(substr(i.triaged_at, 1, 19)) - unixepoch(substr(COALESCE(i.reported_at, i.created_at), 1, 19))) < b.hi WHERE i.id = OLD.incident_id AND i.status NOT IN ('rejected', 'duplicate') AND i.triaged_at IS NOT NULL
        ON CONFLICT (month, org_id, measure, bucket) DO UPDATE SET n = n + excluded.n, seconds = seconds + excluded.seconds;
    INSERT INTO istats_duration (month, org_id, measure, bucket, n, seconds)
        SELECT (CAST(substr(i.contained_at, 1, 4) AS INTEGER) * 12 + CAST(substr(i.contained_at, 6, 2) AS INTEGER) - 1), o.org_id, 'contain', b.bucket, -1, -1 * max(0, unixepoch(substr(i.contained_at, 1, 19)) - unixepoch(substr(COALESCE(i.reported_at, i.created_at), 1, 19))) FROM incidents i CROSS JOIN (SELECT OLD.org_id AS org_id) o JOIN istats_buckets b ON max(0, unixepoch(substr(i.contained_at, 1, 19)) - unixepoch(substr(COALESCE(i.reported_at, i.created_at), 1, 19))) >= b.lo AND max(0, unixepoch(substr(i.contained_at, 1, 19)) - unixepoch(substr(COALESCE(i.reported_at, i.created_at), 1, 19))) < b.hi WHERE i.id = OLD.incident_id AND i.status NOT IN ('rejected', 'duplicate') AND i.contained_at IS NOT NULL
        ON CONFLICT (month, org_id, measure, bucket) DO UPDATE SET n = n + excluded.n, seconds = seconds + excluded.seconds;
    INSERT INTO istats_duration (month, org_id, measure, bucket, n, seconds)
        SELECT (CAST(substr(i.resolved_at, 1, 4) AS INTEGER) * 12 + CAST(substr(i.resolved_at, 6, 2) AS INTEGER) - 1), o.org_id, 'resolve', b.bucket, -1, -1 * max(0, unixepoch(substr(i.resolved_at, 1, 19)) - unixepoch(substr(COALESCE(i.reported_at, i.created_at), 1, 19))) FROM incidents i CROSS JOIN (SELECT OLD.org_id AS org_id) o JOIN istats_buckets b ON max(0, unixepoch(substr(i.resolved_at, 1, 19)) - unixepoch(substr(COALESCE(i.reported_at, i.created_at), 1, 19))) >= b.lo AND max(0, unixepoch(substr(i.resolved_at, 1, 19)) - unixepoch(substr(COALESCE(i.reported_at, i.created_at), 1, 19))) < b.hi WHERE i.id = OLD.incident_id AND i.status NOT IN ('rejected', 'duplicate') AND i.resolved_at IS NOT NULL
        ON CONFLICT (month, org_id, measure, bucket) DO UPDATE SET n = n + excluded.n, seconds = seconds + excluded.seconds;
    INSERT INTO istats_duration (month, org_id, measure, bucket, n, seconds)
        SELECT (CAST(substr(t.done_at, 1, 4) AS INTEGER) * 12 + CAST(substr(t.done_at, 6, 2) AS INTEGER) - 1), o.org_id, 'takedown', b.bucket, -1, -1 * max(0, unixepoch(substr(t.done_at, 1, 19)) - unixepoch(substr(t.sent_at, 1, 19))) FROM incident_takedowns t CROSS JOIN (SELECT OLD.org_id AS org_id) o JOIN istats_buckets b ON max(0, unixepoch(substr(t.done_at, 1, 19)) - unixepoch(substr(t.sent_at, 1, 19))) >= b.lo AND max(0, unixepoch(substr(t.done_at, 1, 19)) - unixepoch(substr(t.sent_at, 1, 19))) < b.hi WHERE t.incident_id = OLD.incident_id AND t.status = 'done' AND t.sent_at IS NOT NULL AND t.done_at IS NOT NULL
        ON CONFLICT (month, org_id, measure, bucket) DO UPDATE SET n = n + excluded.n, seconds = seconds + excluded.seconds;
END;

CREATE TRIGGER incident_takedowns_istats_insert AFTER INSERT ON incident_takedowns BEGIN
    INSERT INTO istats_duration (month, org_id, measure, bucket, n, seconds)
        SELECT (CAST(substr(NEW.done_at, 1, 4) AS INTEGER) * 12 + CAST(substr(NEW.done_at, 6, 2) AS INTEGER) - 1), o.org_id, 'takedown', b.bucket, 1, 1 * max(0, unixepoch(substr(NEW.done_at, 1, 19)) - unixepoch(substr(NEW.sent_at, 1, 19))) FROM (SELECT 0 AS org_id UNION ALL SELECT org_id FROM incident_orgs WHERE incident_id = NEW.incident_id) o JOIN istats_buckets b ON max(0, unixepoch(substr(NEW.done_at, 1, 19)) - unixepoch(substr(NEW.sent_at, 1, 19))) >= b.lo AND max(0, unixepoch(substr(NEW.done_at, 1, 19)) - unixepoch(substr(NEW.sent_at, 1, 19))) < b.hi WHERE NEW.status = 'done' AND NEW.sent_at IS NOT NULL AND NEW.done_at IS NOT NULL
        ON CONFLICT (month, org_id, measure, bucket) DO UPDATE SET n = n + excluded.n, seconds = seconds + excluded.seconds;
END;

CREATE TRIGGER incident_takedowns_istats_delete AFTER DELETE ON incident_takedowns BEGIN
    INSERT INTO istats_duration (month, org_id, measure, bucket, n, seconds)
        SELECT (CAST(substr(OLD.done_at, 1, 4) AS INTEGER) * 12 + CAST(substr(OLD.done_at, 6, 2) AS INTEGER) - 1), o.org_id, 'takedown', b.bucket, -1, -1 * max(0, unixepoch(substr(OLD.done_at, 1, 19)) - unixepoch(substr(OLD.sent_at, 1, 19))) FROM (SELECT 0 AS org_id UNION ALL SELECT org_id FROM incident_orgs WHERE incident_id = OLD.incident_id) o JOIN istats_buckets b ON max(0, unixepoch(substr(OLD.done_at, 1, 19)) - unixepoch(substr(OLD.sent_at, 1, 19))) >= b.lo AND max(0, unixepoch(substr(OLD.done_at, 1, 19)) - unixepoch(substr(OLD.sent_at, 1, 19))) < b.hi WHERE OLD.status = 'done' AND OLD.sent_at IS NOT NULL AND OLD.done_at IS NOT NULL
        ON CONFLICT (month, org_id, measure, bucket) DO UPDATE SET n = n + excluded.n, seconds = seconds + excluded.seconds;
END;

CREATE TRIGGER incident_takedowns_istats_update AFTER UPDATE ON incident_takedowns
WHEN OLD.status IS NOT NEW.status OR OLD.sent_at IS NOT NEW.sent_at OR OLD.done_at IS NOT NEW.done_at OR OLD.incident_id IS NOT NEW.incident_id
BEGIN
    INSERT INTO istats_duration (month, org_id, measure, bucket, n, seconds)
        SELECT (CAST(substr(OLD.done_at, 1, 4) AS INTEGER) * 12 + CAST(substr(OLD.done_at, 6, 2) AS INTEGER) - 1), o.org_id, 'takedown', b.bucket, -1, -1 * max(0, unixepoch(substr(OLD.done_at, 1, 19)) - unixepoch(substr(OLD.sent_at, 1, 19))) FROM (SELECT 0 AS org_id UNION ALL SELECT org_id FROM incident_orgs WHERE incident_id = OLD.incident_id) o JOIN istats_buckets b ON max(0, unixepoch(substr(OLD.done_at, 1, 19)) - unixepoch(substr(OLD.sent_at, 1, 19))) >= b.lo AND max(0, unixepoch(substr(OLD.done_at, 1, 19)) - unixepoch(substr(OLD.sent_at, 1, 19))) < b.hi WHERE OLD.status = 'done' AND OLD.sent_at IS NOT NULL AND OLD.done_at IS NOT NULL
        ON CONFLICT (month, org_id, measure, bucket) DO UPDATE SET n = n + excluded.n, seconds = seconds + excluded.seconds;
    INSERT INTO istats_duration (month, org_id, measure, bucket, n, seconds)
        SELECT (CAST(substr(NEW.done_at, 1, 4) AS INTEGER) * 12 + CAST(substr(NEW.done_at, 6, 2) AS INTEGER) - 1), o.org_id, 'takedown', b.bucket, 1, 1 * max(0, unixepoch(substr(NEW.done_at, 1, 19)) - unixepoch(substr(NEW.sent_at, 1, 19))) FROM (SELECT 0 AS org_id UNION ALL SELECT org_id FROM incident_orgs WHERE incident_id = NEW.incident_id) o JOIN istats_buckets b ON max(0, unixepoch(substr(NEW.done_at, 1, 19)) - unixepoch(substr(NEW.sent_at, 1, 19))) >= b.lo AND max(0, unixepoch(substr(NEW.done_at, 1, 19)) - unixepoch(substr(NEW.sent_at, 1, 19))) < b.hi WHERE NEW.status = 'done' AND NEW.sent_at IS NOT NULL AND NEW.done_at IS NOT NULL
        ON CONFLICT (month, org_id, measure, bucket) DO UPDATE SET n = n + excluded.n, seconds = seconds + excluded.seconds;
END;

-- What is already stored: every incident and take-down counted in.
INSERT INTO istats_month (month, org_id, taxonomy, type, identifier, channel, severity_rank, opened, resolved)
        SELECT (CAST(substr(i.created_at, 1, 4) AS INTEGER) * 12 + CAST(substr(i.created_at, 6, 2) AS INTEGER) - 1), o.org_id, i.taxonomy, i.type, i.identifier, i.channel, i.severity_rank, 1, 0 FROM incidents i JOIN (SELECT 0 AS org_id, id AS incident_id FROM incidents UNION ALL SELECT org_id, incident_id FROM incident_orgs) o ON o.incident_id = i.id WHERE 1 = 1 AND i.status NOT IN ('rejected', 'duplicate')
        ON CONFLICT (month, org_id, taxonomy, type, identifier, channel, severity_rank) DO UPDATE SET opened = opened + excluded.opened;
INSERT INTO istats_month (month, org_id, taxonomy, type, identifier, channel, severity_rank, opened, resolved)
        SELECT (CAST(substr(i.resolved_at, 1, 4) AS INTEGER) * 12 + CAST(substr(i.resolved_at, 6, 2) AS INTEGER) - 1), o.org_id, i.taxonomy, i.type, i.identifier, i.channel, i.severity_rank, 0, 1 FROM incidents i JOIN (SELECT 0 AS org_id, id AS incident_id FROM incidents UNION ALL SELECT org_id, incident_id FROM incident_orgs) o ON o.incident_id = i.id WHERE 1 = 1 AND i.status NOT IN ('rejected', 'duplicate') AND i.resolved_at IS NOT NULL
        ON CONFLICT (month, org_id, taxonomy, type, identifier, channel, severity_rank) DO UPDATE SET resolved = resolved + excluded.resolved;
INSERT INTO istats_duration (month, org_id, measure, bucket, n, seconds)
        SELECT (CAST(substr(i.triaged_at, 1, 4) AS INTEGER) * 12 + CAST(substr(i.triaged_at, 6, 2) AS INTEGER) - 1), o.org_id, 'triage', b.bucket, 1, 1 * max(0, unixepoch(substr(i.triaged_at, 1, 19)) - unixepoch(substr(COALESCE(i.reported_at, i.created_at), 1, 19))) FROM incidents i JOIN (SELECT 0 AS org_id, id AS incident_id FROM incidents UNION ALL SELECT org_id, incident_id FROM incident_orgs) o ON o.incident_id = i.id JOIN istats_buckets b ON max(0, unixepoch(substr(i.triaged_at, 1, 19)) - unixepoch(substr(COALESCE(i.reported_at, i.created_at), 1, 19))) >= b.lo AND max(0, unixepoch(substr(i.triaged_at, 1, 19)) - unixepoch(substr(COALESCE(i.reported_at, i.created_at), 1, 19))) < b.hi WHERE 1 = 1 AND i.status NOT IN ('rejected', 'duplicate') AND i.triaged_at IS NOT NULL
        ON CONFLICT (month, org_id, measure, bucket) DO UPDATE SET n = n + excluded.n, seconds = seconds + excluded.seconds;
INSERT INTO istats_duration (month, org_id, measure, bucket, n, seconds)
        SELECT (CAST(substr(i.contained_at, 1, 4) AS INTEGER) * 12 + CAST(substr(i.contained_at, 6, 2) AS INTEGER) - 1), o.org_id, 'contain', b.bucket, 1, 1 * max(0, unixepoch(substr(i.contained_at, 1, 19)) - unixepoch(substr(COALESCE(i.reported_at, i.created_at), 1, 19))) FROM incidents i JOIN (SELECT 0 AS org_id, id AS incident_id FROM incidents UNION ALL SELECT org_id, incident_id FROM incident_orgs) o ON o.incident_id = i.id JOIN istats_buckets b ON max(0, unixepoch(substr(i.contained_at, 1, 19)) - unixepoch(substr(COALESCE(i.reported_at, i.created_at), 1, 19))) >= b.lo AND max(0, unixepoch(substr(i.contained_at, 1, 19)) - unixepoch(substr(COALESCE(i.reported_at, i.created_at), 1, 19))) < b.hi WHERE 1 = 1 AND i.status NOT IN ('rejected', 'duplicate') AND i.contained_at IS NOT NULL
        ON CONFLICT (month, org_id, measure, bucket) DO UPDATE SET n = n + excluded.n, seconds = seconds + excluded.seconds;
INSERT INTO istats_duration (month, org_id, measure, bucket, n, seconds)
        SELECT (CAST(substr(i.resolved_at, 1, 4) AS INTEGER) * 12 + CAST(substr(i.resolved_at, 6, 2) AS INTEGER) - 1), o.org_id, 'resolve', b.bucket, 1, 1 * max(0, unixepoch(substr(i.resolved_at, 1, 19)) - unixepoch(substr(COALESCE(i.reported_at, i.created_at), 1, 19))) FROM incidents i JOIN (SELECT 0 AS org_id, id AS incident_id FROM incidents UNION ALL SELECT org_id, incident_id FROM incident_orgs) o ON o.incident_id = i.id JOIN istats_buckets b ON max(0, unixepoch(substr(i.resolved_at, 1, 19)) - unixepoch(substr(COALESCE(i.reported_at, i.created_at), 1, 19))) >= b.lo AND max(0, unixepoch(substr(i.resolved_at, 1, 19)) - unixepoch(substr(COALESCE(i.reported_at, i.created_at), 1, 19))) < b.hi WHERE 1 = 1 AND i.status NOT IN ('rejected', 'duplicate') AND i.resolved_at IS NOT NULL
        ON CONFLICT (month, org_id, measure, bucket) DO UPDATE SET n = n + excluded.n, seconds = seconds + excluded.seconds;
INSERT INTO istats_duration (month, org_id, measure, bucket, n, seconds)
        SELECT (CAST(substr(t.done_at, 1, 4) AS INTEGER) * 12 + CAST(substr(t.done_at, 6, 2) AS INTEGER) - 1), o.org_id, 'takedown', b.bucket, 1, 1 * max(0, unixepoch(substr(t.done_at, 1, 19)) - unixepoch(substr(t.sent_at, 1, 19))) FROM incident_takedowns t JOIN (SELECT 0 AS org_id, id AS incident_id FROM incidents UNION ALL SELECT org_id, incident_id FROM incident_orgs) o ON o.incident_id = t.incident_id JOIN istats_buckets b ON max(0, unixepoch(substr(t.done_at, 1, 19)) - unixepoch(substr(t.sent_at, 1, 19))) >= b.lo AND max(0, unixepoch(substr(t.done_at, 1, 19)) - unixepoch(substr(t.sent_at, 1, 19))) < b.hi WHERE 1 = 1 AND t.status = 'done' AND t.sent_at IS NOT NULL AND t.done_at IS NOT NULL
        ON CONFLICT (month, org_id, measure, bucket) DO UPDATE SET n = n + excluded.n, seconds = seconds + excluded.seconds;
