-- Look-alike detection in serve: where each observed-domain stream got to
-- (kept across restarts, so a followed file is not read again from the
-- start and a list not downloaded again unchanged), the incident a
-- candidate opened (one per registered domain), and what the active
-- confirmation found.
ALTER TABLE lookalike_candidates ADD COLUMN incident_id INTEGER REFERENCES incidents(id) ON DELETE SET NULL;
ALTER TABLE lookalike_candidates ADD COLUMN confirmation TEXT NOT NULL DEFAULT '';  -- JSON of lookalike.Confirmation; '' = not checked
ALTER TABLE lookalike_candidates ADD COLUMN checked_at TIMESTAMP;

CREATE TABLE lookalike_sources (
    name          TEXT PRIMARY KEY,               -- the source's name in the configuration
    file_id       TEXT NOT NULL DEFAULT '',       -- file: device and inode read, to notice a rotation
    file_offset   INTEGER NOT NULL DEFAULT 0,     -- file: bytes of whole lines already read
    etag          TEXT NOT NULL DEFAULT '',       -- url: validators of the last download read
    last_modified TEXT NOT NULL DEFAULT '',
    domains       INTEGER NOT NULL DEFAULT 0,     -- domains read, all time
    matched       INTEGER NOT NULL DEFAULT 0,     -- of them, look-alikes at or above the threshold
    updated_at    TIMESTAMP NOT NULL
);
