// Package openphish parses OpenPhish's feeds: the community feed (one
// phishing URL per line) and the premium feed (one JSON object per line).
package openphish

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/qalxan/qalxan/internal/event"
	"github.com/qalxan/qalxan/internal/feed"
)

func init() {
	feed.Register(feed.Spec{
		Name:        "openphish",
		Provider:    "OpenPhish",
		DocURL:      "https://openphish.com/phishing_feeds.html",
		Format:      "text",
		Description: "OpenPhish community feed: one phishing URL per line (https://openphish.com/feed.txt).",
		Parser: &feed.LineParser{
			Base: base,
			Line: func(e *event.Event, line string) error { return e.Set("source.url", line) },
		},
	})
	feed.Register(feed.Spec{
		Name:        "openphish-premium",
		Provider:    "OpenPhish",
		DocURL:      "https://openphish.com/phishing_feeds.html",
		Format:      "json-lines",
		Description: "OpenPhish premium feed: one JSON object per line with the URL, host, brand, ASN and more.",
		Details:     details,
		Parser: &feed.LineParser{
			Base: base,
			Line: premiumLine,
			// IntelMQ's parser stores each record as a one-element JSON
			// list; we match it so raw compares equal.
			Raw: func(line string) string { return "[" + line + "]" },
		},
	})
}

func base(rep feed.Report, e *event.Event) error {
	if rep.FeedName == "" {
		if err := e.Set("feed.name", "OpenPhish"); err != nil {
			return err
		}
	}
	return feed.Constants(e, "feed.provider", "OpenPhish", "classification.type", "phishing")
}

// premiumFields maps the premium feed's attributes to event keys; "" drops
// one (discover_time repeats isotime in another format). Attributes not
// listed go to extra.<name>.
var premiumFields = map[string]string{
	"url":           "source.url",
	"ip":            "source.ip",
	"host":          "source.fqdn",
	"isotime":       "time.source",
	"asn":           "source.asn",
	"asn_name":      "source.as_name",
	"country_code":  "source.geolocation.cc",
	"country_name":  "source.geolocation.country",
	"screenshot":    "screenshot_url",
	"discover_time": "",
}

// optional keys may hold values of the wrong kind without spoiling the
// record: host is an address when the phishing site has no name.
var optional = map[string]bool{"source.fqdn": true}

func premiumLine(e *event.Event, line string) error {
	var rec map[string]json.RawMessage
	d := json.NewDecoder(strings.NewReader(line))
	d.UseNumber()
	if err := d.Decode(&rec); err != nil {
		return fmt.Errorf("not a JSON object: %v", err)
	}
	for name, raw := range rec {
		if bytes.Equal(raw, []byte("null")) || bytes.Equal(raw, []byte(`""`)) {
			continue
		}
		key, mapped := premiumFields[name]
		switch {
		case mapped && key == "":
		case mapped:
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				s = string(raw) // a number
			}
			if err := e.Set(key, s); err != nil && !optional[key] {
				return err
			}
		default:
			if err := e.SetExtraJSON(event.ExtraPrefix+name, raw); err != nil {
				return err
			}
		}
	}
	if !e.Has("source.url") {
		return fmt.Errorf("no url")
	}
	return nil
}

func details(string) (string, error) {
	var b strings.Builder
	names := make([]string, 0, len(premiumFields))
	for n := range premiumFields {
		names = append(names, n)
	}
	sort.Strings(names)
	b.WriteString("ATTRIBUTE       FIELD\n")
	for _, n := range names {
		k := premiumFields[n]
		if k == "" {
			k = "(dropped)"
		}
		fmt.Fprintf(&b, "%-15s %s\n", n, k)
	}
	b.WriteString("(others)        extra.<attribute>\nconstant        classification.type = phishing\n")
	return b.String(), nil
}
