package microsoft

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/qalxan/qalxan/internal/event"
)

// interflowFields maps CTIP's Interflow attributes to event keys; ""
// drops one. An attribute not listed is an error, as in IntelMQ: the
// format is versioned and a new attribute means a new version.
var interflowFields = map[string]string{
	"additionalmetadata":          "extra.additionalmetadata",
	"description":                 "event_description.text",
	"externalid":                  "malware.name",
	"tlplevel":                    "tlp",
	"firstreporteddatetime":       "time.source",
	"networksourceipv4":           "source.ip",
	"networksourceport":           "source.port",
	"networkdestinationipv4":      "destination.ip",
	"networkdestinationport":      "destination.port",
	"isproductlicensed":           "extra.isproductlicensed",
	"ispartnershareable":          "extra.ispartnershareable",
	"networksourceasn":            "source.asn",
	"hostname":                    "destination.fqdn",
	"useragent":                   "extra.user_agent",
	"severity":                    "extra.severity",
	"tags":                        "extra.tags",
	"version":                     "",
	"indicatorthreattype":         "",
	"confidence":                  "", // feed.accuracy, below
	"indicatorexpirationdatetime": "", // meaning unknown (IntelMQ drops it too)
}

func interflowRecord(e *event.Event, rec map[string]any) error {
	if v, _ := text(rec["version"]); v != "1.5" {
		return fmt.Errorf("version %v: only 1.5 is known", rec["version"])
	}
	if t, _ := text(rec["indicatorthreattype"]); t != "Botnet" {
		return fmt.Errorf("indicatorthreattype %v: only Botnet is known", rec["indicatorthreattype"])
	}
	dest, _ := text(rec["networkdestinationipv4"])
	for name, v := range rec {
		key, ok := interflowFields[name]
		if !ok {
			return fmt.Errorf("unknown attribute %q", name)
		}
		s, _ := text(v)
		switch {
		case key == "":
			continue
		case name == "additionalmetadata" && emptyMetadata(v):
			continue
		case name == "hostname":
			// Often the destination address again, or bytes that are
			// not a name: kept only when it is a name.
			if s != dest {
				_ = e.Set(key, s)
			}
			continue
		case name == "networkdestinationipv4":
			if s == "0.0.0.0" {
				continue
			}
			// "192.88.99.209, 192.88.99.209": the same address twice.
			s, _, _ = strings.Cut(s, ",")
			v = s
		}
		if err := set(e, key, v); err != nil {
			return err
		}
	}
	// The collector's accuracy (taken as 100: Report has none) scaled by
	// the record's confidence.
	if c, ok := number(rec["confidence"]); ok {
		if err := e.Set("feed.accuracy", event.FormatFloat(c)); err != nil {
			return err
		}
	}
	return e.Set("classification.type", "infected-system")
}

// emptyMetadata: [], [""], ["null"] and [null] say nothing.
func emptyMetadata(v any) bool {
	l, ok := v.([]any)
	if !ok || len(l) > 1 {
		return false
	}
	return len(l) == 0 || l[0] == nil || l[0] == "" || l[0] == "null"
}

// bingFields maps BingMURLs attributes to event keys; "" drops one.
var bingFields = map[string]string{
	"Attributable":                "extra.attributable",
	"Description":                 "event_description.text",
	"IndicatorThreatType":         "classification.identifier",
	"TLPLevel":                    "tlp",
	"FirstReportedDateTime":       "time.source",
	"NetworkDestinationAsn":       "source.asn",
	"NetworkDestinationIPv4":      "source.ip",
	"NetworkDestinationPort":      "source.port",
	"IsProductLicensed":           "extra.isproductlicensed",
	"IsPartnerShareable":          "extra.ispartnershareable",
	"Url":                         "source.url",
	"IndicatorProvider":           "extra.indicator_provider",
	"IndicatorExpirationDateTime": "extra.indicator_expiration_date_time",
	"ThreatDetectionProduct":      "extra.threat_detection_product",
	"Tags":                        "extra.tags",
	"Version":                     "",
	"LastReportedDateTime":        "", // always FirstReportedDateTime
}

var countryTag = regexp.MustCompile(`^[A-Za-z]{2}$`)

func bingRecord(e *event.Event, rec map[string]any) error {
	if v, _ := text(rec["Version"]); v != "1.5" {
		return fmt.Errorf("version %v: only 1.5 is known", rec["Version"])
	}
	if t, _ := text(rec["IndicatorThreatType"]); t != "MaliciousUrl" {
		return fmt.Errorf("IndicatorThreatType %v: only MaliciousUrl is known", rec["IndicatorThreatType"])
	}
	for name, v := range rec {
		key, ok := bingFields[name]
		if !ok {
			return fmt.Errorf("unknown attribute %q", name)
		}
		s, _ := text(v)
		switch {
		case key == "",
			name == "NetworkDestinationIPv4" && (s == "0.0.0.0" || s == "255.255.255.255"),
			name == "NetworkDestinationAsn" && s == "0":
			continue
		case name == "Tags":
			// A single two-letter tag is the country of the URL's host.
			if l, ok := v.([]any); ok && len(l) == 1 {
				if cc, ok := l[0].(string); ok && countryTag.MatchString(cc) {
					key, v = "source.geolocation.cc", cc
				}
			}
		}
		if err := set(e, key, v); err != nil {
			return err
		}
	}
	return e.Set("classification.type", "blacklist")
}

func ctipDetails(string) (string, error) {
	var b strings.Builder
	b.WriteString("Interflow (JSON array):\n")
	writeMap(&b, interflowFields)
	b.WriteString("  confidence → feed.accuracy; classification.type = infected-system\nAzure (JSON lines):\n")
	writeMap(&b, azureFields)
	b.WriteString("  other attributes → extra.<name>; classification.type = infected-system\n")
	return b.String(), nil
}

func writeMap(b *strings.Builder, m map[string]string) {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		k := m[n]
		if k == "" {
			k = "(dropped)"
		}
		fmt.Fprintf(b, "  %-46s %s\n", n, k)
	}
}
