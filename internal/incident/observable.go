package incident

import (
	"encoding/hex"
	"math/big"
	"net/mail"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/nyaruka/phonenumbers"
	"golang.org/x/net/idna"

	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/tlp"
)

// Kind is what sort of thing an observable is.
type Kind string

const (
	KindIP      Kind = "ip"
	KindDomain  Kind = "domain"
	KindURL     Kind = "url"
	KindEmail   Kind = "email"
	KindPhone   Kind = "phone"    // E.164: +994501234567
	KindIBAN    Kind = "iban"     // upper case, no spaces, check digits verified
	KindCardBIN Kind = "card-bin" // the first 6 or 8 digits only: we never keep card numbers
	KindHash    Kind = "hash"     // MD5, SHA-1, SHA-256 or SHA-512, lower-case hex
	KindApp     Kind = "app"      // a mobile app id: com.example.app, or id123456789 for the App Store
	KindSocial  Kind = "social"   // a social-network account: instagram.com/some_name
)

// Kinds lists them.
var Kinds = []Kind{KindIP, KindDomain, KindURL, KindEmail, KindPhone, KindIBAN, KindCardBIN, KindHash, KindApp, KindSocial}

// ParseKind reads a kind name.
func ParseKind(s string) (Kind, error) {
	k := Kind(strings.ToLower(strings.TrimSpace(s)))
	if !oneOf(k, Kinds) {
		return "", errs.Field("kind", "%q is not one of ip, domain, url, email, phone, iban, card-bin, hash, app, social", s)
	}
	return k, nil
}

// Observable is one thing an incident names that may appear in others: a
// phone number vishers call from, a phishing URL, a mule's IBAN. Values
// are normalised (Normalise), so equal things are equal strings and
// correlation is an index lookup. Each carries its own TLP: the numbers of
// a TLP:AMBER case may be TLP:GREEN for the mobile operators who block them.
type Observable struct {
	ID         int64     `json:"id"`
	IncidentID int64     `json:"incident_id"`
	Kind       Kind      `json:"kind"`
	Value      string    `json:"value"`
	TLP        tlp.Label `json:"tlp"`
	Note       string    `json:"note,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	CreatedBy  string    `json:"created_by"`
	// Elsewhere is how many other incidents (that the reader may see) name
	// the same value: filled in when read back.
	Elsewhere int `json:"elsewhere"`
}

// Normalize checks and normalises o's kind, value, TLP and note.
func (o *Observable) Normalize(region string) error {
	k, err := ParseKind(string(o.Kind))
	if err != nil {
		return err
	}
	o.Kind = k
	if o.Value, err = Normalise(k, o.Value, region); err != nil {
		return errs.InField("value", err)
	}
	if o.TLP == "" {
		o.TLP = tlp.Amber
	} else if o.TLP, err = tlp.Parse(string(o.TLP)); err != nil {
		return errs.InField("tlp", err)
	}
	o.Note = strings.TrimSpace(o.Note)
	if len(o.Note) > 2000 {
		return errs.Field("note", "at most 2000 bytes")
	}
	return nil
}

// Refang undoes the usual defanging of indicators in reports
// ("hxxps://evil[.]example", "user[@]example.com").
func Refang(s string) string {
	s = strings.TrimSpace(s)
	r := strings.NewReplacer("[.]", ".", "(.)", ".", "{.}", ".", "[dot]", ".", "[@]", "@", "[at]", "@", "[:]", ":")
	s = r.Replace(s)
	low := strings.ToLower(s)
	switch {
	case strings.HasPrefix(low, "hxxp"):
		s = "http" + s[4:]
	case strings.HasPrefix(low, "fxp://"):
		s = "ftp" + s[3:]
	}
	return s
}

// Normalise returns the canonical form of a value of kind k, or an
// invalid error saying what is wrong. region is the country of phone
// numbers written without a country code ("AZ").
func Normalise(k Kind, v, region string) (string, error) {
	v = Refang(v)
	if v == "" {
		return "", errs.E(errs.Invalid, "give a value")
	}
	if len(v) > 2048 {
		return "", errs.E(errs.Invalid, "at most 2048 bytes")
	}
	switch k {
	case KindIP:
		a, err := netip.ParseAddr(strings.Trim(v, "[]"))
		if err != nil || a.Zone() != "" {
			return "", errs.E(errs.Invalid, "%q is not an IP address", v)
		}
		return a.Unmap().String(), nil
	case KindDomain:
		return normaliseDomain(v)
	case KindURL:
		return normaliseURL(v)
	case KindEmail:
		return normaliseEmail(v)
	case KindPhone:
		return normalisePhone(v, region)
	case KindIBAN:
		return normaliseIBAN(v)
	case KindCardBIN:
		return normaliseBIN(v)
	case KindHash:
		h := strings.ToLower(v)
		if _, err := hex.DecodeString(h); err != nil || (len(h) != 32 && len(h) != 40 && len(h) != 64 && len(h) != 128) {
			return "", errs.E(errs.Invalid, "%q is not an MD5, SHA-1, SHA-256 or SHA-512 in hex", v)
		}
		return h, nil
	case KindApp:
		if !appRE.MatchString(v) {
			return "", errs.E(errs.Invalid, "%q is not an app id (com.example.app, or id123456789)", v)
		}
		return v, nil
	case KindSocial:
		return normaliseSocial(v)
	}
	return "", errs.E(errs.Invalid, "kind %q is not known", k)
}

var (
	labelRE = regexp.MustCompile(`^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$`)
	appRE   = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+|id[0-9]{6,12})$`)
)

// handleRE is compiled when first used, as tagRE is.
var handleRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[\p{L}\p{N}._-]{1,100}$`) })

// normaliseDomain lower-cases, drops a trailing dot and writes an IDN in
// its ASCII (punycode) form, which is what DNS and registrars use.
func normaliseDomain(v string) (string, error) {
	d := strings.TrimSuffix(strings.ToLower(v), ".")
	a, err := idna.Lookup.ToASCII(d)
	if err != nil {
		return "", errs.E(errs.Invalid, "%q is not a domain name", v)
	}
	labels := strings.Split(a, ".")
	if len(labels) < 2 || len(a) > 253 {
		return "", errs.E(errs.Invalid, "%q is not a domain name", v)
	}
	for _, l := range labels {
		if !labelRE.MatchString(l) {
			return "", errs.E(errs.Invalid, "%q is not a domain name", v)
		}
	}
	return a, nil
}

// normaliseURL keeps what identifies a page (scheme, host, port, path,
// query) in one spelling: scheme and host lower-case, the host in ASCII,
// no default port, no fragment. A URL without a scheme gets http://.
func normaliseURL(v string) (string, error) {
	if !strings.Contains(v, "://") {
		v = "http://" + v
	}
	u, err := url.Parse(v)
	if err != nil || u.Host == "" {
		return "", errs.E(errs.Invalid, "%q is not a URL", v)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "ftp" {
		return "", errs.E(errs.Invalid, "%q: only http, https and ftp URLs", v)
	}
	host, port := u.Hostname(), u.Port()
	if a, err := netip.ParseAddr(host); err == nil {
		host = a.Unmap().String()
		if a.Is6() && !a.Is4In6() {
			host = "[" + host + "]"
		}
	} else if host, err = normaliseDomain(host); err != nil {
		return "", errs.E(errs.Invalid, "%q: the host is not a domain name or address", v)
	}
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") || (u.Scheme == "ftp" && port == "21") {
		port = ""
	}
	if port != "" {
		host += ":" + port
	}
	u.Host, u.Fragment, u.RawFragment, u.User = host, "", "", nil
	if u.Path == "" {
		u.Path = "/"
	}
	return u.String(), nil
}

func normaliseEmail(v string) (string, error) {
	a, err := mail.ParseAddress(v)
	if err != nil {
		return "", errs.E(errs.Invalid, "%q is not an e-mail address", v)
	}
	local, domain, ok := strings.Cut(a.Address, "@")
	if !ok {
		return "", errs.E(errs.Invalid, "%q is not an e-mail address", v)
	}
	d, err := normaliseDomain(domain)
	if err != nil {
		return "", errs.E(errs.Invalid, "%q: the domain is not valid", v)
	}
	// Local parts are case-sensitive in theory and never in practice; one
	// spelling is what correlation needs.
	return strings.ToLower(local) + "@" + d, nil
}

// normalisePhone writes a number in E.164 (+994501234567) with Google's
// libphonenumber rules: national forms ("050 123 45 67"), international
// prefixes ("00994…") and punctuation all become the same string.
func normalisePhone(v, region string) (string, error) {
	if region == "" {
		region = "AZ"
	}
	n, err := phonenumbers.Parse(v, strings.ToUpper(region))
	if err != nil || !phonenumbers.IsPossibleNumber(n) {
		return "", errs.E(errs.Invalid, "%q is not a phone number", v)
	}
	if !phonenumbers.IsValidNumber(n) {
		return "", errs.E(errs.Invalid, "%q is not a valid phone number of %s", v, phonenumbers.GetRegionCodeForNumber(n))
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}

var ibanRE = regexp.MustCompile(`^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$`)

// normaliseIBAN removes spaces, upper-cases and verifies the ISO 13616
// check digits (mod 97), which catch a mistyped character.
func normaliseIBAN(v string) (string, error) {
	s := strings.ToUpper(strings.Join(strings.Fields(strings.ReplaceAll(v, "-", " ")), ""))
	s = strings.TrimPrefix(s, "IBAN")
	if !ibanRE.MatchString(s) {
		return "", errs.E(errs.Invalid, "%q is not an IBAN", v)
	}
	var digits strings.Builder
	for _, c := range s[4:] + s[:4] {
		if c >= 'A' && c <= 'Z' {
			digits.WriteString(big.NewInt(int64(c - 'A' + 10)).String())
		} else {
			digits.WriteRune(c)
		}
	}
	n, _ := new(big.Int).SetString(digits.String(), 10)
	if new(big.Int).Mod(n, big.NewInt(97)).Int64() != 1 {
		return "", errs.E(errs.Invalid, "%q: the IBAN's check digits are wrong", v)
	}
	return s, nil
}

// normaliseBIN keeps the issuer prefix of a card. A full card number is
// cut to its first 8 digits: the platform has no reason to hold card
// numbers, and a copy of the database must not leak them.
func normaliseBIN(v string) (string, error) {
	s := strings.NewReplacer(" ", "", "-", "").Replace(v)
	for _, c := range s {
		if c < '0' || c > '9' {
			return "", errs.E(errs.Invalid, "%q is not a card BIN (6 or 8 digits)", v)
		}
	}
	switch {
	case len(s) == 6 || len(s) == 8:
		return s, nil
	case len(s) >= 12 && len(s) <= 19:
		return s[:8], nil
	}
	return "", errs.E(errs.Invalid, "%q is not a card BIN (6 or 8 digits)", v)
}

// socialHosts are the short names people write for the networks.
var socialHosts = map[string]string{
	"facebook": "facebook.com", "fb": "facebook.com", "instagram": "instagram.com", "ig": "instagram.com",
	"telegram": "t.me", "tg": "t.me", "tiktok": "tiktok.com", "x": "x.com", "twitter": "x.com",
	"youtube": "youtube.com", "whatsapp": "wa.me", "linkedin": "linkedin.com", "vk": "vk.com",
}

// normaliseSocial writes an account as network-host/handle
// ("instagram.com/fake_bank") from a profile URL or "instagram:@fake_bank".
func normaliseSocial(v string) (string, error) {
	var host, handle string
	if strings.Contains(v, "://") || strings.Contains(v, "/") {
		u, err := url.Parse(v)
		if err != nil || u.Host == "" {
			if u, err = url.Parse("https://" + v); err != nil || u.Host == "" {
				return "", errs.E(errs.Invalid, "%q is not a social-network account (instagram:name or a profile URL)", v)
			}
		}
		host = strings.TrimPrefix(strings.TrimPrefix(strings.ToLower(u.Hostname()), "www."), "m.")
		if h, ok := socialHosts[strings.TrimSuffix(host, ".com")]; ok {
			host = h
		}
		handle = strings.Trim(u.Path, "/")
		if i := strings.IndexByte(handle, '/'); i >= 0 && handle[:i] != "in" {
			handle = handle[:i]
		}
		handle = strings.TrimPrefix(handle, "in/")
	} else {
		net, h, ok := strings.Cut(v, ":")
		if !ok {
			return "", errs.E(errs.Invalid, "%q is not a social-network account (instagram:name or a profile URL)", v)
		}
		host, ok = socialHosts[strings.ToLower(strings.TrimSpace(net))]
		if !ok {
			return "", errs.E(errs.Invalid, "%q: unknown network %q (give a profile URL instead)", v, net)
		}
		handle = h
	}
	handle = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(handle), "@"))
	if !handleRE().MatchString(handle) {
		return "", errs.E(errs.Invalid, "%q is not a social-network account (instagram:name or a profile URL)", v)
	}
	return host + "/" + handle, nil
}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return oneOf(k, Kinds) }
