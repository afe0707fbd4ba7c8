package shadowserver

import (
	"encoding/base64"
	"errors"
	"net/netip"
	"regexp"
	"strconv"
	"strings"

	"github.com/qalxan/qalxan/internal/event"
)

// value is a converted column: nothing, or a string, integer, float or
// boolean (the JSON type it takes in extra.*).
//
// It is kept to 32 bytes: the compiler holds a struct that small in
// registers, and copies a bigger one through memory on every return and
// call. Those copies (a wide load of what was just stored in pieces,
// which the CPU cannot forward) cost the parse about 5 % of its CPU.
type value struct {
	kind valueKind
	s    string // a string; a float's canonical text; an integer's when the column had it, or ""
	i    int64  // an integer; a boolean as 1 or 0
}

type valueKind uint8

const (
	none valueKind = iota
	str
	integer
	float
	boolean
)

func (v value) String() string {
	switch v.kind {
	case integer:
		if v.s != "" {
			return v.s
		}
		return strconv.FormatInt(v.i, 10)
	case boolean:
		return strconv.FormatBool(v.bool())
	}
	return v.s
}

// jsonKind is how v is written in extra.*.
func (v value) jsonKind() event.Kind {
	switch v.kind {
	case integer, float:
		return event.KindNumber
	case boolean:
		return event.KindBool
	}
	return event.KindString
}

// row gives a conversion the other columns of the current row.
type row interface {
	get(column string) (string, bool)
}

// conversion is one of the schema's named conversion functions. An error
// makes the row bad (IntelMQ raises); a none value means "no value".
type conversion func(v string, r row) (value, error)

// conversions implements every conversion name Shadowserver's schema uses,
// with the semantics of IntelMQ's shadowserver/_config.py.
var conversions = map[string]conversion{
	"add_UTC_to_timestamp": func(v string, _ row) (value, error) { return text(v + " UTC"), nil },
	"convert_bool":         convertBool,
	"validate_to_none":     validateToNone,
	"convert_int":          convertInt,
	"convert_float":        convertFloat,
	"invalidate_zero":      invalidateZero,
	"validate_ip":          validateIP,
	"validate_network":     validateNetwork,
	"validate_fqdn":        validateFQDN,
	"convert_date":         func(v string, _ row) (value, error) { return date(v), nil },
	// IntelMQ appends "+00:00" to say "UTC if no zone"; ParseTime already
	// reads a time without a zone as UTC, and appending would spoil a value
	// that has one ("...Z").
	"convert_date_utc":          func(v string, _ row) (value, error) { return date(v), nil },
	"convert_http_host_and_url": convertHTTPHostAndURL,
	"category_or_detail":        categoryOrDetail,
	"force_base64":              forceBase64,
	"extract_cve_from_tag":      extractCVEFromTag,
	"scan_exchange_taxonomy":    exchange("intrusions", "vulnerable"),
	"scan_exchange_type":        exchange("system-compromise", "vulnerable-system"),
	"scan_exchange_identifier":  exchange("exchange-server-webshell", "vulnerable-exchange-server"),
}

func text(s string) value { return value{kind: str, s: s} }

func boolValue(b bool) value {
	if b {
		return value{kind: boolean, i: 1}
	}
	return value{kind: boolean}
}

// bool is a boolean value's truth.
func (v value) bool() bool { return v.i != 0 }

func convertBool(v string, _ row) (value, error) {
	switch strings.ToLower(v) {
	case "y", "yes", "true", "enabled", "1":
		return boolValue(true), nil
	case "n", "no", "false", "disabled", "0":
		return boolValue(false), nil
	}
	return value{}, nil
}

func validateToNone(v string, _ row) (value, error) {
	if v == "" || v == "0" || v == "unknown" {
		return value{}, nil
	}
	return text(v), nil
}

// pyInt parses an integer as Python's int() does for the values feeds
// hold. canonical is v's text, trimmed, when that is how the integer is
// written out anyway (see event.CanonicalInt), or "".
func pyInt(v string) (n int64, canonical string, err error) {
	t := strings.TrimSpace(v)
	if n, err = strconv.ParseInt(t, 10, 64); err != nil {
		return 0, "", errors.New("not an integer: " + strconv.Quote(v))
	}
	if event.CanonicalInt(t) {
		canonical = t
	}
	return n, canonical, nil
}

func convertInt(v string, _ row) (value, error) {
	if v == "" {
		return value{}, nil
	}
	n, canonical, err := pyInt(v)
	return value{kind: integer, i: n, s: canonical}, err
}

func convertFloat(v string, _ row) (value, error) {
	if v == "" {
		return value{}, nil
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil {
		return value{}, errors.New("not a number: " + strconv.Quote(v))
	}
	return value{kind: float, s: event.FormatFloat(f)}, nil
}

func invalidateZero(v string, _ row) (value, error) {
	if v == "" {
		return value{}, nil
	}
	n, canonical, err := pyInt(v)
	if err != nil || n == 0 {
		return value{}, err
	}
	return value{kind: integer, i: n, s: canonical}, nil
}

// validateIP drops 0.0.0.0, networks and anything not an address.
func validateIP(v string, _ row) (value, error) {
	if v == "0.0.0.0" || strings.Contains(v, "/") {
		return value{}, nil
	}
	if _, err := netip.ParseAddr(strings.TrimSpace(v)); err != nil {
		return value{}, nil
	}
	return text(v), nil
}

func validateNetwork(v string, _ row) (value, error) {
	if !strings.Contains(v, "/") {
		return value{}, nil
	}
	if _, err := netip.ParsePrefix(strings.TrimSpace(v)); err != nil {
		return value{}, nil
	}
	return text(v), nil
}

func validateFQDN(v string, _ row) (value, error) {
	if v == "" {
		return value{}, nil
	}
	if _, err := event.NormaliseFQDN(v); err != nil {
		return value{}, nil
	}
	return text(v), nil
}

// date is IntelMQ's DateTime.sanitize: a time in UTC RFC 3339, or nothing.
func date(v string) value {
	t, err := event.ParseTime(v)
	if err != nil {
		return value{}
	}
	return text(event.FormatTime(t))
}

var (
	beforeSlash = regexp.MustCompile(`^[^/]*`)
	fromSpace   = regexp.MustCompile(`\s.*$`)
)

// convertHTTPHostAndURL joins a host column and a path column into a URL.
// Reports name them differently (cc_dns or http_host; url or http_url),
// and some put a whole request line ("GET /x HTTP/1.1") in the path.
func convertHTTPHostAndURL(v string, r row) (value, error) {
	host, ok := r.get("cc_dns")
	if !ok {
		host, _ = r.get("http_host")
	}
	path, ok := r.get("url")
	if !ok {
		path, _ = r.get("http_url")
	}
	if host == "" || path == "" {
		return text(v), nil
	}
	path = beforeSlash.ReplaceAllString(path, "")
	path = fromSpace.ReplaceAllString(path, "")
	scheme := "http"
	if app, _ := r.get("application"); app == "http" || app == "https" {
		scheme = app
	}
	return text(scheme + "://" + host + path), nil
}

// categoryOrDetail describes a compromised website by its category, or by
// the detail column when there is no category.
func categoryOrDetail(v string, r row) (value, error) {
	if v != "" {
		return text(v), nil
	}
	if d, _ := r.get("detail"); d != "" {
		return text(d), nil
	}
	return value{}, nil
}

// forceBase64 keeps a value that already is base64 and encodes one that is
// not.
func forceBase64(v string, _ row) (value, error) {
	if v == "" {
		return value{}, nil
	}
	if _, err := base64.StdEncoding.Strict().DecodeString(v); err == nil {
		return text(v), nil
	}
	return text(base64.StdEncoding.EncodeToString([]byte(v))), nil
}

var cveTag = regexp.MustCompile(`(?i)^cve-\d{4}-\d{4,}$`)

// extractCVEFromTag picks the CVE identifiers out of a tag list such as
// "exchange;cve-2021-26855", joined with ";" as in the tag.
func extractCVEFromTag(v string, _ row) (value, error) {
	var cves []string
	// FieldsFuncSeq: the same fields as FieldsFunc without a slice of
	// them for every row (scan reports' tag is a single word).
	for t := range strings.FieldsFuncSeq(v, func(r rune) bool { return r == ';' || r == ',' }) {
		if t = strings.TrimSpace(t); cveTag.MatchString(t) {
			cves = append(cves, t)
		}
	}
	if len(cves) == 0 {
		return value{}, nil
	}
	return text(strings.Join(cves, ";")), nil
}

// exchange classifies a vulnerable Exchange server, or one with a web
// shell, from its tag.
func exchange(webshell, vulnerable string) conversion {
	return func(v string, _ row) (value, error) {
		if v == "exchange;webshell" {
			return text(webshell), nil
		}
		return text(vulnerable), nil
	}
}
