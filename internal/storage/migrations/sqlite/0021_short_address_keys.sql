-- Address keys were 32 hex digits of every address's 16-byte form. In a
-- report whose addresses come in no order, the index of those keys was
-- a third of the events' ingest (docs/performance.md, "SQLite's
-- ceiling"). Now an IPv4 address is "4" and 8 hex digits, an IPv6 one
-- "6" and its 32 (storage/events.go, ipKey): the index is less than half
-- as large, and both still sort as the addresses do. The index is built
-- again after the keys change rather than updated row by row.
DROP INDEX events_source_ip;
UPDATE events SET source_ipkey = CASE
    WHEN substr(source_ipkey, 1, 24) = '00000000000000000000ffff' THEN '4' || substr(source_ipkey, 25, 8)
    ELSE '6' || source_ipkey END
WHERE length(source_ipkey) = 32;
CREATE INDEX events_source_ip ON events(source_ipkey);
