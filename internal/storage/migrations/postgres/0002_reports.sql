-- The raw report archive: every collected report, verbatim and compressed,
-- kept before it is parsed so it can be re-processed and nothing is lost.
CREATE TABLE reports (
    id           BIGSERIAL PRIMARY KEY,
    source       TEXT NOT NULL,                 -- the collector that brought it
    feed         TEXT NOT NULL DEFAULT '',      -- empty until the feed is detected
    file_name    TEXT NOT NULL DEFAULT '',
    received_at  TIMESTAMPTZ NOT NULL,
    sha256       TEXT NOT NULL UNIQUE,          -- of the uncompressed content: the same report twice is one row
    size         BIGINT NOT NULL,               -- uncompressed bytes
    compression  TEXT NOT NULL,                 -- 'gzip'
    content      BYTEA NOT NULL,
    meta         TEXT NOT NULL DEFAULT '{}',    -- collector metadata (URL, ETag, mail subject) as a JSON object
    status       TEXT NOT NULL DEFAULT 'received',
    reason       TEXT NOT NULL DEFAULT '',      -- why it was quarantined
    events       BIGINT NOT NULL DEFAULT 0,
    bad_rows     BIGINT NOT NULL DEFAULT 0,
    parsed_at    TIMESTAMPTZ
);
-- The content is already gzip: TOAST trying to compress it again only costs CPU.
ALTER TABLE reports ALTER COLUMN content SET STORAGE EXTERNAL;
CREATE INDEX reports_status ON reports(status, id);
CREATE INDEX reports_feed ON reports(feed, id);
CREATE INDEX reports_received ON reports(received_at);
