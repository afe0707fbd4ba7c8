package microsoft

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode"

	"github.com/qalxan/qalxan/internal/event"
	"github.com/qalxan/qalxan/internal/feed"
)

// azureFields maps CTIP Azure attributes, nested objects flattened to
// "Outer.Inner" and the base64 JSON Payload unpacked to "Payload.*", to
// event keys; "" drops one. Attributes not listed go to extra.<name in
// snake case>: the Azure feed grows fields, and dropping the report for
// one would lose it all.
var azureFields = map[string]string{
	"DataFeed":               "feed.name",
	"SourcedFrom":            "event_description.text",
	"DateTimeReceivedUtc":    "time.source",
	"DateTimeReceivedUtcTxt": "",
	"Malware":                "extra.malware",
	"ThreatCode":             "malware.name",
	"ThreatConfidence":       "feed.accuracy",
	"TotalEncounters":        "extra.total_encounters",
	"TLP":                    "tlp",
	"SourceIp":               "source.ip",
	"SourcePort":             "source.port",
	"DestinationIp":          "destination.ip",
	"DestinationPort":        "destination.port",
	"TargetIp":               "", // deprecated
	"TargetPort":             "", // deprecated

	"DestinationIpInfo.DestinationIpAsnNumber":      "destination.asn",
	"DestinationIpInfo.DestinationIpAsnOrgName":     "destination.as_name",
	"DestinationIpInfo.DestinationIpCountryCode":    "destination.geolocation.cc",
	"DestinationIpInfo.DestinationIpRegion":         "destination.geolocation.region",
	"DestinationIpInfo.DestinationIpCity":           "destination.geolocation.city",
	"DestinationIpInfo.DestinationIpPostalCode":     "extra.destination.geolocation.postal_code",
	"DestinationIpInfo.DestinationIpLatitude":       "destination.geolocation.latitude",
	"DestinationIpInfo.DestinationIpLongitude":      "destination.geolocation.longitude",
	"DestinationIpInfo.DestinationIpMetroCode":      "extra.destination.geolocation.metro_code",
	"DestinationIpInfo.DestinationIpAreaCode":       "extra.destination.geolocation.area_code",
	"DestinationIpInfo.DestinationIpConnectionType": "extra.destination.connection_type",
	"DestinationIpInfo.DestinationIpv4Int":          "", // the address again
	"SourceIpInfo.SourceIpAsnNumber":                "source.asn",
	"SourceIpInfo.SourceIpAsnOrgName":               "source.as_name",
	"SourceIpInfo.SourceIpCountryCode":              "source.geolocation.cc",
	"SourceIpInfo.SourceIpRegion":                   "source.geolocation.region",
	"SourceIpInfo.SourceIpCity":                     "source.geolocation.city",
	"SourceIpInfo.SourceIpPostalCode":               "extra.source.geolocation.postal_code",
	"SourceIpInfo.SourceIpLatitude":                 "source.geolocation.latitude",
	"SourceIpInfo.SourceIpLongitude":                "source.geolocation.longitude",
	"SourceIpInfo.SourceIpMetroCode":                "extra.source.geolocation.metro_code",
	"SourceIpInfo.SourceIpAreaCode":                 "extra.source.geolocation.area_code",
	"SourceIpInfo.SourceIpConnectionType":           "extra.source.connection_type",
	"SourceIpInfo.SourceIpv4Int":                    "", // the address again
	"Signatures.Sha256":                             "extra.signatures.sha256",
	"HttpInfo.HttpHost":                             "extra.http.host",
	"HttpInfo.HttpRequest":                          "extra.http.request",
	"HttpInfo.HttpMethod":                           "extra.http.method",
	"HttpInfo.HttpReferrer":                         "extra.http.referrer",
	"HttpInfo.HttpUserAgent":                        "extra.user_agent",
	"HttpInfo.HttpVersion":                          "extra.http.version",
	"CustomInfo.CustomField1":                       "extra.custom_field1",
	"CustomInfo.CustomField2":                       "extra.custom_field2",
	"CustomInfo.CustomField3":                       "extra.custom_field3",
	"CustomInfo.CustomField4":                       "extra.custom_field4",
	"CustomInfo.CustomField5":                       "extra.custom_field5",

	"Payload":                  "extra.payload.text", // not JSON
	"Payload.ts":               "extra.payload.timestamp",
	"Payload.ip":               "extra.payload.ip",
	"Payload.port":             "extra.payload.port",
	"Payload.serverIp":         "extra.payload.server.ip",
	"Payload.serverPort":       "extra.payload.server.port",
	"Payload.domain":           "destination.fqdn",
	"Payload.family":           "extra.payload.family",
	"Payload.malware":          "extra.payload.malware",
	"Payload.response":         "extra.payload.response",
	"Payload.handler":          "extra.payload.handler",
	"Payload.type":             "protocol.application",
	"Payload.Time":             "extra.payload.time",
	"Payload.SourceIP":         "extra.payload.source.ip",
	"Payload.DestIP":           "extra.payload.destination.ip",
	"Payload.RemotePort":       "extra.payload.remote.port",
	"Payload.RemoteHost":       "extra.payload.remote.host",
	"Payload.ServerPort":       "extra.payload.server.port",
	"Payload.BCode":            "extra.payload.b_code",
	"Payload.Protocol":         "extra.payload.protocol",
	"Payload.Length":           "extra.payload.length",
	"Payload.URI":              "destination.urlpath",
	"Payload.Referer":          "extra.http_referer",
	"Payload.UserAgent":        "extra.user_agent",
	"Payload.RequestMethod":    "extra.http.method",
	"Payload.HTTPHost":         "extra.http.host",
	"Payload.Custom1":          "extra.payload.custom_field1",
	"Payload.Custom2":          "extra.payload.custom_field2",
	"Payload.Custom3":          "extra.payload.custom_field3",
	"Payload.Custom4":          "extra.payload.custom_field4",
	"Payload.Custom5":          "extra.payload.custom_field5",
	"Payload.timestamp_utc":    "extra.payload.timestamp_utc",
	"Payload.source_ip":        "extra.payload.source.ip",
	"Payload.source_port":      "extra.payload.source.port",
	"Payload.destination_ip":   "extra.payload.destination.ip",
	"Payload.destination_port": "extra.payload.destination.port",
	"Payload.computer_name":    "extra.payload.computer_name",
	"Payload.bot_id":           "extra.payload.bot_id",
}

// confidence is the accuracy each ThreatConfidence stands for.
var confidence = map[string]float64{"High": 100, "Medium": 50, "Low": 20, "Informational": 10}

var azureParser = &feed.LineParser{
	Base: func(rep feed.Report, e *event.Event) error {
		if rep.FeedName == "" {
			if err := e.Set("feed.name", "Microsoft CTIP"); err != nil {
				return err
			}
		}
		return feed.Constants(e, "feed.provider", "Microsoft", "classification.type", "infected-system")
	},
	Line: azureLine,
}

func azureLine(e *event.Event, line string) error {
	rec, err := object([]byte(line))
	if err != nil {
		return err
	}
	flat := map[string]any{}
	for k, v := range rec {
		if k == "Payload" {
			if v = payload(v); v == nil {
				continue
			}
		}
		flatten(flat, k, v)
	}
	for k, v := range flat {
		key, known := azureFields[k]
		switch {
		case known:
		case strings.HasPrefix(k, "Payload."):
			key = "extra.payload." + k[len("Payload."):]
		default:
			key = event.ExtraPrefix + snake(k)
		}
		if key == "" || empty(v) {
			continue
		}
		switch k {
		case "ThreatConfidence":
			c, ok := confidence[fmt.Sprint(v)]
			if !ok {
				continue // "None"
			}
			v = json.Number(event.FormatFloat(c))
		case "DateTimeReceivedUtc":
			n, ok := v.(json.Number)
			ticks, err := n.Int64()
			if !ok || err != nil {
				return fmt.Errorf("time received %v: not a Windows time (DateTimeReceivedUtc)", v)
			}
			v = event.FormatTime(windowsTime(ticks))
		case "Payload.ts":
			f, ok := number(v)
			if !ok {
				return fmt.Errorf("payload ts %v: not a Unix time", v)
			}
			v = event.FormatTime(unixTime(f))
		case "TLP":
			switch v {
			case "Unknown":
				continue
			case "YELLOW", "Yellow":
				v = "AMBER" // Microsoft's name for it
			}
		case "Payload.domain":
			// Sometimes the address: kept only when it is a name.
			_ = e.Set(key, fmt.Sprint(v))
			continue
		}
		if err := set(e, key, v); err != nil {
			return err
		}
	}
	return nil
}

// payload decodes the Payload: a JSON object to unpack, base64 or plain,
// else text; nil for none ("AA==" is a lone NUL).
func payload(v any) any {
	s, ok := v.(string)
	if !ok || s == "AA==" {
		return nil
	}
	if m, err := object([]byte(s)); err == nil {
		return m
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return s
	}
	if m, err := object(b); err == nil {
		return m
	}
	return string(b)
}

func flatten(dst map[string]any, prefix string, v any) {
	m, ok := v.(map[string]any)
	if !ok {
		dst[prefix] = v
		return
	}
	for k, x := range m {
		flatten(dst, prefix+"."+k, x)
	}
}

// empty: IntelMQ skips values Python calls false (0, "", false, {}, []).
func empty(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return v == ""
	case json.Number:
		f, err := v.Float64()
		return err == nil && f == 0
	case bool:
		return !v
	case []any:
		return len(v) == 0
	case map[string]any:
		return len(v) == 0
	}
	return false
}

// windowsTime converts 100 ns ticks since 1601 as IntelMQ does (float
// seconds into a Python timedelta), so the microseconds agree with its
// events to the last digit.
func windowsTime(ticks int64) time.Time {
	secs, frac := math.Modf(float64(ticks) * 1e-07)
	us, rest := math.Modf(frac * 1e6)
	s := int64(secs)
	return time.Date(1601, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(s/86400)).
		Add(time.Duration(s%86400)*time.Second + time.Duration(int64(us)+int64(math.RoundToEven(rest)))*time.Microsecond)
}

// unixTime is Python's datetime.fromtimestamp: microseconds rounded half
// to even.
func unixTime(f float64) time.Time {
	secs, frac := math.Modf(f)
	return time.Unix(int64(secs), 0).Add(time.Duration(math.RoundToEven(frac*1e6)) * time.Microsecond).UTC()
}

// snake writes "SourceIpInfo.NewThing" as "source_ip_info.new_thing".
func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 && s[i-1] != '.' && !unicode.IsUpper(rune(s[i-1])) {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}
