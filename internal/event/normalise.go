package event

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"math"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// normalise validates s as a value of key k and returns its canonical text
// and JSON kind. The error says what is wrong, without the key (the caller
// adds it).
func normalise(k *Key, s string) (string, Kind, error) {
	switch k.Type {
	case String:
		return s, KindString, nil
	case LowercaseString:
		return lower(s), KindString, nil
	case UppercaseString:
		u := strings.ToUpper(s)
		if k.Length > 0 && utf8.RuneCountInString(u) != k.Length {
			return "", 0, errors.New("want " + strconv.Itoa(k.Length) + " characters")
		}
		return u, KindString, nil
	case IPAddress:
		return normIP(s)
	case IPNetwork:
		return normNetwork(s)
	case FQDN:
		v, err := NormaliseFQDN(s)
		return v, KindString, err
	case URL:
		return normURL(s)
	case Integer:
		if t := trimNumber(s); CanonicalInt(t) {
			return t, KindNumber, nil // what parsing and formatting would give
		}
		n, err := strconv.ParseInt(trimNumber(s), 10, 64)
		if err != nil {
			return "", 0, errors.New("not an integer")
		}
		return strconv.FormatInt(n, 10), KindNumber, nil
	case ASN:
		return normASN(s)
	case Float, Accuracy:
		return normFloat(k.Type, s)
	case DateTime:
		t, err := ParseTime(s)
		if err != nil {
			return "", 0, err
		}
		return FormatTime(t), KindString, nil
	case Boolean:
		b, ok := ParseBool(s)
		if !ok {
			return "", 0, errors.New("not a boolean")
		}
		return strconv.FormatBool(b), KindBool, nil
	case ClassificationTaxonomy:
		if _, ok := rsit[s]; !ok {
			return "", 0, errors.New("not an RSIT taxonomy")
		}
		return s, KindString, nil
	case ClassificationType:
		if _, ok := taxonomyOf[s]; !ok {
			return "", 0, errors.New("not an RSIT classification type")
		}
		return s, KindString, nil
	case TLP:
		v := strings.ToUpper(strings.TrimSpace(strings.TrimPrefix(strings.ToUpper(s), "TLP:")))
		switch v {
		case "CLEAR", "WHITE", "GREEN", "AMBER", "AMBER+STRICT", "RED":
			return v, KindString, nil
		}
		return "", 0, errors.New("not a TLP level")
	case Base64:
		// The decoder skips line breaks; the stored value must not keep
		// them (it is written to JSON unescaped).
		if strings.ContainsAny(s, "\r\n") {
			s = lineBreaks.Replace(s)
		}
		if _, err := base64.StdEncoding.DecodeString(s); err != nil {
			return "", 0, errors.New("not base64")
		}
		return s, KindString, nil
	case JSON:
		// Set with a plain string stores a JSON string; typed and
		// structured values go through SetExtra*.
		return s, KindString, nil
	}
	return "", 0, errors.New("unknown type")
}

var lineBreaks = strings.NewReplacer("\r", "", "\n", "")

// lower is strings.ToLower without an allocation for text already in
// lower case, the common case.
func lower(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			return strings.ToLower(s)
		}
	}
	return s
}

func trimNumber(s string) string { return strings.TrimSpace(s) }

// CanonicalInt reports whether s is an integer as strconv.FormatInt writes
// it, short enough to fit in an int64: no sign but a minus, no leading
// zero, no space. Such text can be kept as it is instead of parsed and
// formatted again (an allocation per value, on a parser's hot path).
func CanonicalInt(s string) bool {
	d := s
	if len(d) > 0 && d[0] == '-' {
		d = d[1:]
	}
	if len(d) == 0 || len(d) > 18 || d[0] == '0' && (len(d) > 1 || len(d) < len(s)) {
		return false
	}
	for i := 0; i < len(d); i++ {
		if d[i] < '0' || d[i] > '9' {
			return false
		}
	}
	return true
}

func normIP(s string) (string, Kind, error) {
	s = strings.TrimSpace(s)
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return "", 0, errors.New("not an IP address")
	}
	if a.Is4() {
		return s, KindString, nil // netip takes only the canonical IPv4 form
	}
	return a.String(), KindString, nil
}

func normNetwork(s string) (string, Kind, error) {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "/") {
		// IntelMQ (ipaddress.ip_network) reads a bare address as a host network.
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" {
			return "", 0, errors.New("not an IP network")
		}
		return netip.PrefixFrom(a, a.BitLen()).String(), KindString, nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return "", 0, errors.New("not an IP network")
	}
	return p.Masked().String(), KindString, nil
}

func normASN(s string) (string, Kind, error) {
	s = strings.TrimSpace(s)
	if len(s) > 2 && (s[0] == 'A' || s[0] == 'a') && (s[1] == 'S' || s[1] == 's') {
		s = s[2:]
	}
	if len(s) <= 9 && CanonicalInt(s) && s != "0" && s[0] != '-' {
		return s, KindNumber, nil // fits in 32 bits: what parsing and formatting would give
	}
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil || n == 0 {
		return "", 0, errors.New("not an AS number (1 to 4294967295)")
	}
	return strconv.FormatUint(n, 10), KindNumber, nil
}

func normFloat(t Type, s string) (string, Kind, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return "", 0, errors.New("not a number")
	}
	if t == Accuracy && (f < 0 || f > 100) {
		return "", 0, errors.New("accuracy must be between 0 and 100")
	}
	return FormatFloat(f), KindNumber, nil
}

// FormatFloat writes f as its shortest JSON number text.
func FormatFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// ParseBool reads the boolean spellings feeds use.
func ParseBool(s string) (value, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "t", "yes", "y", "1", "enabled":
		return true, true
	case "false", "f", "no", "n", "0", "disabled":
		return false, true
	}
	return false, false
}

// idnaProfile converts Unicode names to punycode as resolvers look them up,
// but allows underscores, which real reverse-DNS names contain.
var idnaProfile = idna.New(idna.MapForLookup(), idna.Transitional(false), idna.StrictDomainName(false))

// NormaliseFQDN returns name in lower case without a trailing dot, IDN
// labels in punycode. An IP address is not an FQDN.
func NormaliseFQDN(name string) (string, error) {
	s := strings.TrimSuffix(strings.TrimSpace(name), ".")
	if s == "" || len(s) > 253 {
		return "", errors.New("not a domain name")
	}
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if !ascii {
		p, err := idnaProfile.ToASCII(s)
		if err != nil {
			return "", errors.New("not a domain name")
		}
		s = p
	}
	s = lower(s)
	if _, err := netip.ParseAddr(s); err == nil {
		return "", errors.New("an IP address, not a domain name")
	}
	label := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '.':
			if label == 0 {
				return "", errors.New("empty label in domain name")
			}
			label = 0
			continue
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '_':
		default:
			return "", errors.New("invalid character in domain name")
		}
		label++
		if label > 63 {
			return "", errors.New("domain label longer than 63")
		}
	}
	if label == 0 {
		return "", errors.New("empty label in domain name")
	}
	return s, nil
}

// FQDNUnicode returns the Unicode form of a punycode name, for display; the
// stored value stays punycode so that lookups and matching agree.
func FQDNUnicode(name string) string {
	u, err := idna.ToUnicode(name)
	if err != nil {
		return name
	}
	return u
}

// normURL accepts an absolute URL with a host; it keeps the text as the
// feed wrote it (trimmed), as IntelMQ does, so indicators stay verbatim.
func normURL(s string) (string, Kind, error) {
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return "", 0, errors.New("not an absolute URL")
	}
	return s, KindString, nil
}

// validJSON reports whether raw is one JSON value.
func validJSON(raw []byte) bool { return json.Valid(raw) }
