package event

import (
	"strconv"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/errs"
)

func TestSetNormalises(t *testing.T) {
	tests := []struct {
		key, in, want string
	}{
		{"source.ip", "192.0.2.1", "192.0.2.1"},
		{"source.ip", " 2001:DB8:0:0::1 ", "2001:db8::1"},
		{"source.network", "192.0.2.77/24", "192.0.2.0/24"},
		{"source.network", "2001:db8::1/32", "2001:db8::/32"},
		{"source.network", "192.0.2.7", "192.0.2.7/32"},
		{"source.fqdn", "WWW.Example.COM.", "www.example.com"},
		{"source.fqdn", "bücher.example", "xn--bcher-kva.example"},
		{"source.reverse_dns", "host_1.example.net", "host_1.example.net"},
		{"source.url", " http://example.com/a?b=C ", "http://example.com/a?b=C"},
		{"source.port", "8080", "8080"},
		{"source.port", " 007 ", "7"},
		{"source.asn", "AS64496", "64496"},
		{"source.asn", "4294967295", "4294967295"},
		{"source.geolocation.latitude", "48.2000", "48.2"},
		{"feed.accuracy", "100", "100"},
		{"time.source", "2018-04-19 00:02:26", "2018-04-19T00:02:26+00:00"},
		{"time.source", "2018-04-19 00:02:26 UTC", "2018-04-19T00:02:26+00:00"},
		{"time.source", "2018-04-19T02:02:26+02:00", "2018-04-19T00:02:26+00:00"},
		{"time.source", "2018-04-19T00:02:26Z", "2018-04-19T00:02:26+00:00"},
		{"time.source", "Thu, 19 Apr 2018 00:02:28 GMT", "2018-04-19T00:02:28+00:00"},
		{"time.source", "2018-04-19 00:02:26.5+00:00", "2018-04-19T00:02:26.500000+00:00"},
		{"time.source", "Thur, 19 Apr 2018 13:32:41 GMT", "2018-04-19T13:32:41+00:00"},
		{"time.source", "2021-03-27T00:00:00.521730Z", "2021-03-27T00:00:00.521730+00:00"},
		{"time.source", "2018-04-19", "2018-04-19T00:00:00+00:00"},
		{"time.source", "1524096146", "2018-04-19T00:02:26+00:00"},
		{"source.tor_node", "Y", "true"},
		{"source.tor_node", "false", "false"},
		{"malware.name", "ZeroAccess", "zeroaccess"},
		{"protocol.transport", "TCP", "tcp"},
		{"source.geolocation.cc", "at", "AT"},
		{"classification.type", "phishing", "phishing"},
		{"classification.taxonomy", "fraud", "fraud"},
		{"tlp", "tlp:amber", "AMBER"},
		{"raw", "aGVsbG8=", "aGVsbG8="},
		{"raw", "aGVs\r\nbG8=", "aGVsbG8="},
		{"event_description.text", "anything at all", "anything at all"},
		{"extra.note", "free text", "free text"},
	}
	for _, tt := range tests {
		var e Event
		if err := e.Set(tt.key, tt.in); err != nil {
			t.Errorf("Set(%q, %q): %v", tt.key, tt.in, err)
			continue
		}
		if got, _ := e.Get(tt.key); got != tt.want {
			t.Errorf("Set(%q, %q): got %q, want %q", tt.key, tt.in, got, tt.want)
		}
	}
}

func TestSetRejects(t *testing.T) {
	tests := []struct{ key, in string }{
		{"source.ip", "192.0.2.300"},
		{"source.ip", "fe80::1%eth0"},
		{"source.ip", "example.com"},
		{"source.network", "192.0.2.0/33"},
		{"source.fqdn", "192.0.2.1"},
		{"source.fqdn", "a..b"},
		{"source.fqdn", "bad name.example"},
		{"source.fqdn", strings.Repeat("a", 64) + ".example"},
		{"source.url", "example.com/path"},
		{"source.port", "80a"},
		{"source.asn", "0"},
		{"source.asn", "4294967296"},
		{"source.geolocation.latitude", "NaN"},
		{"feed.accuracy", "101"},
		{"time.source", "yesterday"},
		{"time.source", "2018-02-31 00:00:00"},
		{"time.source", "2018-04-19 00:02:26 CEST"},
		{"source.tor_node", "maybe"},
		{"source.geolocation.cc", "AUT"},
		{"classification.type", "blacklisted"},
		{"classification.taxonomy", "bad"},
		{"tlp", "purple"},
		{"raw", "!!!"},
		{"no.such.key", "x"},
	}
	for _, tt := range tests {
		var e Event
		err := e.Set(tt.key, tt.in)
		if err == nil {
			got, _ := e.Get(tt.key)
			t.Errorf("Set(%q, %q): got %q and no error, want an error", tt.key, tt.in, got)
			continue
		}
		if errs.CodeOf(err) != errs.Invalid || errs.FieldOf(err) != tt.key || !strings.Contains(err.Error(), tt.key) {
			t.Errorf("Set(%q, %q): got %v (code %s, field %q), want an invalid error naming the key", tt.key, tt.in, err, errs.CodeOf(err), errs.FieldOf(err))
		}
		if e.Has(tt.key) {
			t.Errorf("Set(%q, %q) failed but stored a value", tt.key, tt.in)
		}
	}
}

func TestIgnoredValuesAreNoOps(t *testing.T) {
	for _, v := range []string{"", "-", "N/A"} {
		var e Event
		if err := e.Set("source.ip", v); err != nil {
			t.Errorf("Set(source.ip, %q): %v, want no error", v, err)
		}
		if e.Len() != 0 {
			t.Errorf("Set(source.ip, %q): got %d fields, want 0", v, e.Len())
		}
	}
}

func TestEveryKeyHasAType(t *testing.T) {
	for _, k := range Keys() {
		if k.Type.String() == "Unknown" {
			t.Errorf("key %s: got type %d, want a known type", k.Name, k.Type)
		}
	}
	if k, ok := LookupKey("extra.anything"); !ok || k.Type != JSON {
		t.Errorf("LookupKey(extra.anything): got %v %v, want a JSON key", k, ok)
	}
	if _, ok := LookupKey("extra."); ok {
		t.Error("LookupKey(extra.): got a key, want none")
	}
}

func TestFQDNUnicode(t *testing.T) {
	if got := FQDNUnicode("xn--bcher-kva.example"); got != "bücher.example" {
		t.Errorf("got %q, want bücher.example", got)
	}
}

// TestCanonicalInt checks CanonicalInt against parsing and formatting:
// true only where FormatInt(ParseInt(s)) gives s back.
func TestCanonicalInt(t *testing.T) {
	for _, s := range []string{"", "0", "-0", "00", "7", "-7", "+7", "07", " 7", "7 ", "3389", "64500",
		"123456789012345678", "-123456789012345678", "1234567890123456789", "9223372036854775807",
		"1e3", "1.0", "-", "--1", "0x10", "1_000", "٣"} {
		n, err := strconv.ParseInt(s, 10, 64)
		roundTrip := err == nil && strconv.FormatInt(n, 10) == s
		if got := CanonicalInt(s); got && !roundTrip {
			t.Errorf("CanonicalInt(%q) = true, but it does not round-trip", s)
		} else if !got && roundTrip && len(strings.TrimPrefix(s, "-")) <= 18 {
			t.Errorf("CanonicalInt(%q) = false, want true", s)
		}
	}
}
