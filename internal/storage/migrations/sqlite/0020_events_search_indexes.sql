-- Searching events by address, network, host name or AS read the whole
-- events table: 90 ms on 200k events, seconds on the millions a CERT
-- keeps (BenchmarkSearchEvents). The addresses' index takes random keys,
-- which costs a large ingest a few per cent; host names and AS numbers
-- are indexed only where an event has one (scan reports have no host
-- name), and the queries repeat the index's condition so that the
-- database knows it may use it.
CREATE INDEX events_source_ip ON events(source_ipkey);
CREATE INDEX events_source_fqdn ON events(source_fqdn) WHERE source_fqdn <> '';
CREATE INDEX events_source_asn ON events(source_asn) WHERE source_asn <> 0;
