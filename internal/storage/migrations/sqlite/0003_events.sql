-- Events: what the parsers made of the archived reports. The raw line is
-- not copied here: report_id and line point into the report archive, which
-- keeps rows compact and ingest fast (see ARCHITECTURE.md, Performance notes).
CREATE TABLE events (
    id                INTEGER PRIMARY KEY,
    report_id         INTEGER REFERENCES reports(id) ON DELETE SET NULL,
    line              INTEGER NOT NULL DEFAULT 0,   -- the event's ordinal in its report
    -- The fingerprint already includes the UTC day of time.source, so
    -- uniqueness on it alone is "the same observation on the same day":
    -- seeing it again is counted as a duplicate and not stored. Kept as
    -- the first 16 bytes of the SHA-256, not 64 hex digits: the unique
    -- index takes random keys, and a key a quarter of the size made
    -- inserts 45% faster (collisions need ~2^64 events).
    fingerprint       BLOB NOT NULL UNIQUE,
    time_source       TIMESTAMP,
    time_observation  TIMESTAMP NOT NULL,
    feed              TEXT NOT NULL DEFAULT '',
    taxonomy          TEXT NOT NULL DEFAULT '',
    type              TEXT NOT NULL DEFAULT '',
    identifier        TEXT NOT NULL DEFAULT '',
    source_ip         TEXT NOT NULL DEFAULT '',     -- canonical text
    source_ipkey      TEXT NOT NULL DEFAULT '',     -- 32 hex digits of the 16-byte form: CIDR search is a range
    source_fqdn       TEXT NOT NULL DEFAULT '',
    source_asn        BIGINT NOT NULL DEFAULT 0,
    data              TEXT NOT NULL                 -- the event as compact JSON, without raw
);
CREATE INDEX events_time ON events(time_source);

-- Who owns each event. A child table rather than a column: an event may
-- belong to several organisations, and "events of org X" is then one index
-- range on (org_id, event_id).
CREATE TABLE event_owners (
    org_id    INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    event_id  INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    PRIMARY KEY (org_id, event_id)
) WITHOUT ROWID;
CREATE INDEX event_owners_event ON event_owners(event_id);
