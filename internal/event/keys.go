package event

import (
	"sort"
	"strings"
)

// Key is one harmonization key and its type.
type Key struct {
	rank   int32 // order among keys; see rankOf
	Name   string
	Type   Type
	Length int // exact length in characters when non-zero (country codes)
	Doc    string
}

// keyTable is IntelMQ's harmonization (intelmq/etc/harmonization.conf, 3.x)
// as data: adding a key is adding a line. extra.* is not listed: any key
// under it is valid and holds JSON.
var keyTable = []Key{
	{Name: "classification.identifier", Type: String, Doc: "the feed's own name for what was seen"},
	{Name: "classification.taxonomy", Type: ClassificationTaxonomy, Doc: "RSIT taxonomy; follows from classification.type"},
	{Name: "classification.type", Type: ClassificationType, Doc: "RSIT type"},
	{Name: "comment", Type: String},
	{Name: "constituency", Type: String},
	{Name: "event_description.target", Type: String},
	{Name: "event_description.text", Type: String},
	{Name: "event_description.url", Type: URL},
	{Name: "event_hash", Type: UppercaseString},
	{Name: "feed.accuracy", Type: Accuracy},
	{Name: "feed.code", Type: String},
	{Name: "feed.documentation", Type: String},
	{Name: "feed.name", Type: String},
	{Name: "feed.provider", Type: String},
	{Name: "feed.url", Type: URL},
	{Name: "malware.hash.md5", Type: String},
	{Name: "malware.hash.sha1", Type: String},
	{Name: "malware.hash.sha256", Type: String},
	{Name: "malware.name", Type: LowercaseString},
	{Name: "malware.version", Type: String},
	{Name: "misp.attribute_uuid", Type: LowercaseString},
	{Name: "misp.event_uuid", Type: LowercaseString},
	{Name: "protocol.application", Type: LowercaseString},
	{Name: "protocol.transport", Type: LowercaseString},
	{Name: "raw", Type: Base64},
	{Name: "rtir_id", Type: Integer},
	{Name: "screenshot_url", Type: URL},
	{Name: "status", Type: String},
	{Name: "time.observation", Type: DateTime, Doc: "when the feed was collected"},
	{Name: "time.source", Type: DateTime, Doc: "when the source saw it"},
	{Name: "tlp", Type: TLP},
}

// endpointKeys are the keys IntelMQ defines for both source.* and
// destination.*.
var endpointKeys = []Key{
	{Name: "abuse_contact", Type: LowercaseString},
	{Name: "account", Type: String},
	{Name: "allocated", Type: DateTime},
	{Name: "as_name", Type: String},
	{Name: "asn", Type: ASN},
	{Name: "domain_suffix", Type: FQDN},
	{Name: "fqdn", Type: FQDN},
	{Name: "geolocation.cc", Type: UppercaseString, Length: 2},
	{Name: "geolocation.city", Type: String},
	{Name: "geolocation.country", Type: String},
	{Name: "geolocation.cymru_cc", Type: UppercaseString, Length: 2},
	{Name: "geolocation.geoip_cc", Type: UppercaseString, Length: 2},
	{Name: "geolocation.latitude", Type: Float},
	{Name: "geolocation.longitude", Type: Float},
	{Name: "geolocation.region", Type: String},
	{Name: "geolocation.state", Type: String},
	{Name: "ip", Type: IPAddress},
	{Name: "local_hostname", Type: String},
	{Name: "local_ip", Type: IPAddress},
	{Name: "network", Type: IPNetwork},
	{Name: "port", Type: Integer},
	{Name: "registry", Type: UppercaseString},
	{Name: "reverse_dns", Type: FQDN},
	{Name: "tor_node", Type: Boolean},
	{Name: "url", Type: URL},
	{Name: "urlpath", Type: String},
}

// keys indexes every known key by name; built once.
var keys = func() map[string]*Key {
	m := make(map[string]*Key, len(keyTable)+2*len(endpointKeys))
	for i := range keyTable {
		m[keyTable[i].Name] = &keyTable[i]
	}
	for _, side := range []string{"source.", "destination."} {
		for _, k := range endpointKeys {
			k.Name = side + k.Name
			kk := k
			m[k.Name] = &kk
		}
	}
	// Rank known keys in name order, odd numbers, leaving the even number
	// between them for extra.* keys, so fields sort by an integer compare
	// and compare names only when both are extra.
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	for i, n := range names {
		m[n].rank = int32(2*i + 1)
		if n < ExtraPrefix {
			extraRank = int32(2*i + 2)
		}
	}
	if 2*len(names)+1 >= 512 {
		panic("event: more keys than Event.known has bits")
	}
	return m
}()

// extraRank sorts extra.* keys among the known keys.
var extraRank int32

// ExtraPrefix starts every free-form key.
const ExtraPrefix = "extra."

// LookupKey returns the harmonization key named name. Keys under extra. are
// all valid and have type JSON.
func LookupKey(name string) (*Key, bool) {
	if k, ok := keys[name]; ok {
		return k, true
	}
	if IsExtra(name) {
		return &Key{Name: name, Type: JSON, rank: extraRank}, true
	}
	return nil, false
}

// IsExtra reports whether name is a free-form extra.* key.
func IsExtra(name string) bool {
	return len(name) > len(ExtraPrefix) && strings.HasPrefix(name, ExtraPrefix)
}

// Keys returns every known (non-extra) key, sorted by name.
func Keys() []*Key {
	out := make([]*Key, 0, len(keys))
	for _, k := range keys {
		out = append(out, k)
	}
	sortKeys(out)
	return out
}
