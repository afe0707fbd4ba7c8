package enrich

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/oschwald/maxminddb-golang/v2"
	"github.com/oschwald/maxminddb-golang/v2/mmdbdata"
)

// schema is a record layout: where a family of MMDB files keeps the AS
// number, AS name and country. Vendors agree on the file format, not on the
// record.
type schema int

const (
	// schemaMaxMind: GeoLite2/GeoIP2 ASN, ISP, Country, City, Enterprise,
	// and DB-IP, which copies MaxMind's layout. AS fields are top level
	// (ASN, ISP) or under traits (Enterprise); the country is a map.
	schemaMaxMind schema = iota + 1
	// schemaFlat: ip-location-db files, built with MaxMind's AS field names
	// but a flat country_code.
	schemaFlat
	// schemaIPinfo: IPinfo's files, with "AS15169"-style asn strings.
	schemaIPinfo
)

func (s schema) String() string {
	switch s {
	case schemaMaxMind:
		return "maxmind layout"
	case schemaFlat:
		return "ip-location-db layout"
	case schemaIPinfo:
		return "ipinfo layout"
	}
	return "unknown layout"
}

// Each record struct lists only the fields we read, so decoding skips the
// rest of a City record (names in eight languages, subdivisions, location)
// without materialising it.

type isoCode struct {
	ISOCode string `maxminddb:"iso_code"`
}

// asFields uses asnField for the number because third-party files in
// MaxMind's layout do not agree on its type (uint32, uint64, even "AS1").
type asFields struct {
	ASN   asnField `maxminddb:"autonomous_system_number"`
	ASOrg string   `maxminddb:"autonomous_system_organization"`
}

type maxmindRecord struct {
	asFields
	Country    isoCode  `maxminddb:"country"`
	Registered isoCode  `maxminddb:"registered_country"`
	Traits     asFields `maxminddb:"traits"`
}

type flatRecord struct {
	asFields
	CountryCode string `maxminddb:"country_code"`
}

type ipinfoRecord struct {
	ASN         asnField `maxminddb:"asn"`
	ASName      string   `maxminddb:"as_name"`
	Country     string   `maxminddb:"country"`
	CountryCode string   `maxminddb:"country_code"`
}

// records holds one of each layout. Decode takes an interface, so a record
// on the stack would escape to the heap on every lookup; pooling keeps a
// lookup free of that allocation. The reader's string cache makes the
// decoded strings themselves shared, not allocated, for repeated values.
type records struct {
	maxmind maxmindRecord
	flat    flatRecord
	ipinfo  ipinfoRecord
}

var recordPool = sync.Pool{New: func() any { return new(records) }}

// decode reads r in the layout s. Decode leaves absent fields untouched,
// so each record is reset first.
func (s schema) decode(r maxminddb.Result) (IPInfo, error) {
	rec := recordPool.Get().(*records)
	defer recordPool.Put(rec)
	var info IPInfo
	switch s {
	case schemaMaxMind:
		m := &rec.maxmind
		*m = maxmindRecord{}
		if err := r.Decode(m); err != nil {
			return IPInfo{}, err
		}
		as := m.asFields
		if as.ASN == 0 {
			as = m.Traits
		}
		cc := m.Country.ISOCode
		if cc == "" {
			// Satellite and anycast networks often have only the
			// country the block is registered in.
			cc = m.Registered.ISOCode
		}
		info = IPInfo{ASN: uint32(as.ASN), ASName: as.ASOrg, CountryCode: cc}
	case schemaFlat:
		f := &rec.flat
		*f = flatRecord{}
		if err := r.Decode(f); err != nil {
			return IPInfo{}, err
		}
		info = IPInfo{ASN: uint32(f.ASN), ASName: f.ASOrg, CountryCode: f.CountryCode}
	case schemaIPinfo:
		p := &rec.ipinfo
		*p = ipinfoRecord{}
		if err := r.Decode(p); err != nil {
			return IPInfo{}, err
		}
		cc := p.CountryCode
		if cc == "" {
			// The older country_asn files put the code in "country";
			// IPinfo Lite puts the country's name there.
			cc = p.Country
		}
		info = IPInfo{ASN: uint32(p.ASN), ASName: p.ASName, CountryCode: cc}
	default:
		return IPInfo{}, errors.New("enrich: no record layout")
	}
	info.CountryCode = normaliseCountry(info.CountryCode)
	if info.ASN == 0 {
		// A name without a number cannot be matched to anything and
		// would let Chain pair it with another source's AS.
		info.ASName = ""
	}
	return info, nil
}

// normaliseCountry returns an ISO 3166-1 alpha-2 code in upper case, or ""
// for anything else (a country name, "-", a three-letter code).
func normaliseCountry(cc string) string {
	if len(cc) != 2 || !isASCIILetter(cc[0]) || !isASCIILetter(cc[1]) {
		return ""
	}
	return strings.ToUpper(cc) // returns cc itself when already upper case
}

func isASCIILetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// asnField decodes an AS number stored either as an integer or as a string
// such as "AS15169" (IPinfo); anything else reads as 0 rather than failing
// the record.
type asnField uint32

// UnmarshalMaxMindDBCursor implements mmdbdata.CursorUnmarshaler.
func (f *asnField) UnmarshalMaxMindDBCursor(c mmdbdata.Cursor) (mmdbdata.Cursor, error) {
	kind, err := c.Kind()
	if err != nil {
		return mmdbdata.Cursor{}, err
	}
	switch kind {
	case mmdbdata.KindString:
		s, next, err := c.ReadString()
		if err != nil {
			return mmdbdata.Cursor{}, err
		}
		n, _ := ParseASN(s)
		*f = asnField(n)
		return next, nil
	case mmdbdata.KindUint16, mmdbdata.KindUint32, mmdbdata.KindUint64:
		v, next, err := c.ReadUint()
		if err != nil {
			return mmdbdata.Cursor{}, err
		}
		if v > 1<<32-1 {
			v = 0
		}
		*f = asnField(v)
		return next, nil
	}
	*f = 0
	return c.Skip()
}

// ParseASN reads an AS number written "15169", "AS15169" or "as15169".
// It returns false for 0, which is reserved, and for anything else.
func ParseASN(s string) (uint32, bool) {
	if len(s) > 2 && (s[0] == 'A' || s[0] == 'a') && (s[1] == 'S' || s[1] == 's') {
		s = s[2:]
	}
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil || n == 0 {
		return 0, false
	}
	return uint32(n), true
}

// detectSchema picks the record layout from the metadata's database type
// and, for types it does not know, from the keys of the first record.
func detectSchema(db *maxminddb.Reader) (schema, error) {
	t := db.Metadata.DatabaseType
	if s := schemaForType(t); s != 0 {
		return s, nil
	}
	for r := range db.Networks() {
		var keys map[string]any
		if err := r.Decode(&keys); err != nil {
			return 0, fmt.Errorf("database type %q: reading first record: %w", t, err)
		}
		if s := schemaForKeys(keys); s != 0 {
			return s, nil
		}
		return 0, fmt.Errorf("database type %q: records have no AS or country fields (keys %v)", t, sortedKeys(keys))
	}
	return 0, fmt.Errorf("database type %q is not one we read, and the file holds no records", t)
}

// schemaForType knows the database types vendors write into metadata.
func schemaForType(t string) schema {
	lt := strings.ToLower(t)
	switch {
	case strings.HasPrefix(lt, "geolite2-asn"), strings.HasPrefix(lt, "geoip2-asn"),
		strings.HasPrefix(lt, "geoip2-isp"),
		strings.HasPrefix(lt, "geolite2-country"), strings.HasPrefix(lt, "geoip2-country"),
		strings.HasPrefix(lt, "geolite2-city"), strings.HasPrefix(lt, "geoip2-city"),
		strings.HasPrefix(lt, "geoip2-precision"), strings.HasPrefix(lt, "geoip2-enterprise"),
		// DB-IP: "DBIP-ASN-Lite (compat=GeoLite2-ASN)", "DBIP-Country-Lite", ...
		strings.HasPrefix(lt, "dbip-"):
		return schemaMaxMind
	case strings.Contains(lt, "ipinfo"):
		return schemaIPinfo
	case strings.Contains(lt, "ip-location-db"),
		// ip-location-to-mmdb names its output "<kind> ipv<version>":
		// "country ipv4", "asn ipv6", "city ipv4".
		lt == "country ipv4", lt == "country ipv6",
		lt == "asn ipv4", lt == "asn ipv6",
		lt == "city ipv4", lt == "city ipv6":
		return schemaFlat
	}
	return 0
}

// schemaForKeys recognises a layout from a record's top-level keys.
func schemaForKeys(keys map[string]any) schema {
	has := func(k string) bool { _, ok := keys[k]; return ok }
	if _, ok := keys["country"].(map[string]any); ok || has("registered_country") || has("traits") {
		return schemaMaxMind
	}
	if has("as_name") || has("asn") {
		return schemaIPinfo
	}
	if has("country_code") || has("autonomous_system_number") {
		return schemaFlat
	}
	return 0
}

func sortedKeys(m map[string]any) []string { return slices.Sorted(maps.Keys(m)) }
