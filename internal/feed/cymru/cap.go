package cymru

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/qalxan/qalxan/internal/event"
	"github.com/qalxan/qalxan/internal/feed"
)

// class is the classification a CAP category gives.
type class struct {
	Type, Identifier, Malware, Application string
}

// newCategories is the new format's categories, as IntelMQ maps them
// (IntelMQ 2 types spelt as RSIT: "vulnerable service" is
// vulnerable-system, "c2server" c2-server).
var newCategories = map[string]class{
	"bot":           {Type: "infected-system"},
	"bruteforce":    {Type: "brute-force"},
	"controller":    {Type: "c2-server"},
	"darknet":       {Type: "scanner", Identifier: "darknet"},
	"phishing":      {Type: "phishing", Identifier: "phishing"},
	"proxy":         {Type: "proxy", Identifier: "openproxy"},
	"honeypot":      {Type: "scanner"},
	"openresolvers": {Type: "vulnerable-system", Identifier: "dns-open-resolver", Application: "dns"},
	"openresolver":  {Type: "vulnerable-system", Identifier: "dns-open-resolver", Application: "dns"},
	"scanner":       {Type: "scanner", Identifier: "scanner"},
	"spam":          {Type: "spam", Identifier: "spam"},
	"conficker":     {Type: "infected-system", Identifier: "conficker", Malware: "conficker"},
}

// protocols names the IP protocol numbers the reports use; numbers from
// 143 on are unassigned or experimental and kept as a number in extra.
var protocols = map[string]string{"1": "icmp", "6": "tcp", "11": "nvp-ii", "17": "udp", "47": "gre", "59": "ipv6-nonxt"}

// portKeys hold destination ports, comma-separated: one event each.
var portKeys = map[string]bool{"dest_port": true, "ports_scanned": true, "honeypot_port": true, "darknet_port": true, "destination_port_numbers": true}

var (
	// Some reports run a hostname into the next key:
	// "hostname: sub.example.comport: 80".
	bogusHostnamePort = regexp.MustCompile(`hostname: ([^:]+)port: ([0-9]+)`)
	totalCount        = regexp.MustCompile(` \(total_count:\d+\)$`)
)

// newRow reads "category|address|asn|timestamp|notes|AS name, CC", notes
// being "key: value;" pairs, and returns the destination ports to split
// the event on.
func newRow(e *event.Event, line string, ports []string) ([]string, error) {
	f, err := split6(line)
	if err != nil {
		return nil, err
	}
	category, notes := f[0], bogusHostnamePort.ReplaceAllString(f[4], "hostname: $1; port: $2")
	c, ok := newCategories[category]
	if !ok {
		return nil, fmt.Errorf("unknown category %q", category)
	}
	if err := common(e, f[1], f[2], f[3]); err != nil {
		return nil, err
	}
	// The AS name may hold ", "; the country is after the last one.
	asName, cc := "", f[5]
	if i := strings.LastIndex(f[5], ", "); i >= 0 {
		asName, cc = f[5][:i], f[5][i+2:]
	}
	if err := feed.Constants(e, "source.as_name", asName, "source.geolocation.cc", cc); err != nil {
		return nil, err
	}
	var notesList []string
	for _, n := range strings.Split(notes, ";") {
		if n = strings.TrimSpace(n); n != "" {
			notesList = append(notesList, n)
		}
	}
	// bruteforce and phishing may carry a bare protocol or URL instead
	// of "key: value" notes.
	if len(notesList) == 1 {
		switch n := notesList[0]; {
		case category == "bruteforce" && !strings.Contains(n, ":"):
			if err := feed.Constants(e, "classification.identifier", n, "protocol.application", n); err != nil {
				return nil, err
			}
			notesList = nil
		case category == "phishing" && strings.Contains(n, "://"):
			if err := e.Set("source.url", n); err != nil {
				return nil, err
			}
			notesList = nil
		}
	}
	if err := feed.Constants(e, "classification.type", c.Type, "classification.identifier", c.Identifier,
		"malware.name", c.Malware, "protocol.application", c.Application); err != nil {
		return nil, err
	}
	for _, n := range notesList {
		key, value, ok := strings.Cut(n, ":")
		if !ok {
			switch category {
			case "proxy":
				key, value = "proxy_type", n
			case "bot":
				// An old-style note in the new format:
				// "srcport 61458 mwtype Conficker dstaddr 172.16.0.22".
				return ports, oldBotNotes(e, notes)
			default:
				return nil, fmt.Errorf("note %q of category %s is not \"key: value\"", n, category)
			}
		}
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		if ports, err = note(e, key, value, ports); err != nil {
			return nil, err
		}
	}
	return ports, nil
}

// note sets one "key: value" note of the new format.
func note(e *event.Event, key, value string, ports []string) ([]string, error) {
	var err error
	switch {
	case key == "family":
		err = feed.Constants(e, "classification.identifier", strings.ToLower(value), "malware.name", value)
	case key == "dest_addr" || key == "destaddr":
		err = e.Set("destination.ip", value)
	case portKeys[key]:
		for _, p := range strings.Split(totalCount.ReplaceAllString(value, ""), ",") {
			p = strings.TrimSpace(p)
			if _, perr := strconv.ParseUint(p, 10, 16); perr != nil {
				return nil, fmt.Errorf("%s: %q is not a port", key, p)
			}
			ports = append(ports, p)
		}
	case key == "protocol":
		if name, ok := protocols[value]; ok {
			err = e.Set("protocol.transport", name)
		} else if n, perr := strconv.Atoi(value); perr == nil && n >= 143 && n <= 255 {
			e.SetExtraInt("extra.protocol.transport", int64(n))
		} else {
			err = fmt.Errorf("unknown protocol %q", value)
		}
	case key == "hostname":
		// Sometimes an address, which is not a host name: dropped.
		_ = e.Set("source.fqdn", value)
	case key == "proxy_type":
		// "http-34320" or just "socks4".
		proto, port, _ := strings.Cut(value, "-")
		err = feed.Constants(e, "protocol.application", proto, "source.port", port)
	case key == "port" || key == "srcport":
		err = e.Set("source.port", value)
	case key == "username":
		err = e.Set("source.account", value)
	case key == "additional_asns":
		asn, _ := e.Get("source.asn")
		list := "[" + asn
		for _, a := range strings.Split(value, ",") {
			n, perr := strconv.ParseUint(strings.TrimSpace(a), 10, 32)
			if perr != nil {
				return nil, fmt.Errorf("additional_asns: %q is not an AS number", a)
			}
			if list != "[" {
				list += ","
			}
			list += strconv.FormatUint(n, 10)
		}
		err = e.SetExtraJSON("extra.source.asns", []byte(list+"]"))
	default:
		err = fmt.Errorf("unknown note %q", key)
	}
	return ports, err
}

func capDetails(string) (string, error) {
	names := make([]string, 0, len(newCategories)+len(oldReports))
	for n := range newCategories {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("New format (certname), CATEGORY → TYPE / IDENTIFIER:\n")
	for _, n := range names {
		c := newCategories[n]
		fmt.Fprintf(&b, "  %-14s %-18s %s\n", n, c.Type, c.Identifier)
	}
	names = names[:0]
	for n := range oldReports {
		names = append(names, n)
	}
	sort.Strings(names)
	b.WriteString("Old format (infected), REPORT → TYPE / IDENTIFIER:\n")
	for _, n := range names {
		c := oldReports[n]
		fmt.Fprintf(&b, "  %-14s %-18s %s\n", n, c.Type, c.Identifier)
	}
	return b.String(), nil
}
