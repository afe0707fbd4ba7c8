// Package enrich adds what an IP address or a host name alone does not say:
// the autonomous system and country behind an address, and the registered
// domain behind a name.
//
// Address data comes from sources the CERT configures: MMDB files (MaxMind
// GeoLite2/GeoIP2, DB-IP, IPinfo, ip-location-db) and IP-range CSV files as
// published by ip-location-db. Several sources combine in a Chain, so an ASN
// database and a country database answer one lookup together. The package
// knows nothing about events; the pipeline copies an IPInfo into the fields
// it wants.
//
// Every source is immutable once opened and safe for concurrent use; to pick
// up new data files, open new sources and swap the Enricher.
package enrich
