-- Stored fingerprints begin with their day (storage/events.go,
-- fingerprintKey): the day of time.source in days since 1970, two bytes,
-- then the first 14 bytes of the SHA-256. A day's events then insert
-- into one range of the unique index instead of all over it.
UPDATE events SET fingerprint =
    decode(lpad(to_hex(CASE WHEN time_source IS NULL THEN 0
        ELSE GREATEST(0, LEAST(65535, (time_source AT TIME ZONE 'UTC')::date - DATE '1970-01-01')) END), 4, '0'), 'hex')
    || substring(fingerprint from 1 for 14)
WHERE length(fingerprint) = 16;
