-- Stored fingerprints begin with their day (storage/events.go,
-- fingerprintKey): the day of time.source in days since 1970, two bytes,
-- then the first 14 bytes of the SHA-256. A day's events then insert
-- into one range of the unique index instead of all over it.
-- CAST: SQLite's || makes text even of two blobs, and a text key would
-- never equal the blob an insert compares it with.
UPDATE events SET fingerprint = CAST(
    unhex(printf('%04X', CASE WHEN time_source IS NULL THEN 0
        ELSE max(0, min(65535, CAST(julianday(substr(time_source, 1, 10)) - 2440587.5 AS INTEGER))) END))
    || substr(fingerprint, 1, 14) AS BLOB)
WHERE length(fingerprint) = 16;
