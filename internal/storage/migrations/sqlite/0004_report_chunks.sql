-- Report content in pieces of the compressed stream (at most 1 MiB each),
-- so that neither archiving nor reading a report holds it whole in memory:
-- database drivers hand out whole values, and a 5-million-row report is
-- about a gigabyte. Reports archived before this migration keep their
-- content in reports.content (compression 'gzip'); later ones have an
-- empty content and compression 'gzip-chunks'.
CREATE TABLE report_chunks (
    report_id  INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    data       BLOB NOT NULL,
    PRIMARY KEY (report_id, seq)
);

-- Compressed bytes, kept as a column now that they are spread over chunks.
ALTER TABLE reports ADD COLUMN stored_size BIGINT NOT NULL DEFAULT 0;
UPDATE reports SET stored_size = LENGTH(content);
