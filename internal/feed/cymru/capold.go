package cymru

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/qalxan/qalxan/internal/event"
	"github.com/qalxan/qalxan/internal/feed"
)

// oldReports is the old format's report types whose comment column needs
// no reading, or only the handling named in oldRow.
var oldReports = map[string]class{
	"blaster":       {Type: "malware", Identifier: "blaster", Malware: "blaster"},
	"dameware":      {Type: "malware", Identifier: "dameware", Malware: "dameware"},
	"dipnet":        {Type: "malware", Identifier: "dipnet", Malware: "dipnet"},
	"mydoom":        {Type: "malware", Identifier: "mydoom", Malware: "mydoom"},
	"nachi":         {Type: "malware", Identifier: "nachi", Malware: "nachi"},
	"phatbot":       {Type: "malware", Identifier: "phatbot", Malware: "phatbot"},
	"sinit":         {Type: "malware", Identifier: "sinit", Malware: "sinit"},
	"slammer":       {Type: "malware", Identifier: "slammer", Malware: "slammer"},
	"beagle":        {Type: "malware", Identifier: "beagle", Malware: "beagle"},
	"toxbot":        {Type: "infected-system", Identifier: "toxbot", Malware: "toxbot"},
	"bots":          {Type: "infected-system"},
	"bruteforce":    {Type: "brute-force"},
	"defacement":    {Type: "system-compromise", Identifier: "defacement"},
	"fastflux":      {Type: "system-compromise", Identifier: "fastflux"},
	"routers":       {Type: "system-compromise"},
	"malwareurl":    {Type: "malware-distribution", Identifier: "malwareurl"},
	"spreaders":     {Type: "malware-distribution", Identifier: "spreader"},
	"openresolvers": {Type: "vulnerable-system", Identifier: "dns-open-resolver", Application: "dns"},
	"phishing":      {Type: "phishing", Identifier: "phishing"},
	"proxy":         {Type: "proxy", Identifier: "openproxy"},
	"scanners":      {Type: "scanner", Identifier: "scanner"},
	"spam":          {Type: "spam", Identifier: "spam"},
}

// oldRow reads "report|ip|asn|timestamp|comments|asn_name".
func oldRow(e *event.Event, line string) error {
	f, err := split6(line)
	if err != nil {
		return err
	}
	report, comments := f[0], f[4]
	c, ok := oldReports[report]
	if !ok {
		return fmt.Errorf("unknown report type %q", report)
	}
	if err := common(e, f[1], f[2], f[3]); err != nil {
		return err
	}
	if err := feed.Constants(e, "source.as_name", f[5], "classification.type", c.Type,
		"classification.identifier", c.Identifier, "malware.name", c.Malware, "protocol.application", c.Application); err != nil {
		return err
	}
	words := strings.Fields(comments)
	switch report {
	case "bots":
		return oldBotNotes(e, comments)
	case "bruteforce":
		return feed.Constants(e, "classification.identifier", comments, "protocol.application", comments)
	case "phishing":
		return e.Set("source.url", comments)
	case "proxy":
		// "HTTP CONNECT (8080)": not a port alone, kept as said.
		if comments != "" {
			e.SetExtraString("extra.request", comments)
		}
	case "routers":
		return e.Set("classification.identifier", comments)
	case "fastflux":
		return e.Set("source.reverse_dns", comments)
	case "defacement", "malwareurl", "spreaders":
		// "<URL> [<zone-h id> | <scan id> | <MD5>]"
		if len(words) == 0 {
			return fmt.Errorf("%s without a URL", report)
		}
		if err := e.Set("source.url", words[0]); err != nil {
			return err
		}
		if len(words) > 1 && report == "defacement" {
			e.SetExtraString("extra.zoneh.id", words[1])
		}
		if len(words) > 1 && report == "spreaders" {
			return e.Set("malware.hash.md5", words[1])
		}
	case "scanners":
		if _, err := strconv.ParseUint(comments, 10, 16); err != nil {
			return fmt.Errorf("scanners: %q is not a port", comments)
		}
		return e.Set("source.port", comments)
	case "toxbot":
		// "srcport <port>"
		if len(words) != 2 || words[0] != "srcport" {
			return fmt.Errorf("toxbot: comment %q is not \"srcport PORT\"", comments)
		}
		return setSourcePort(e, words[1])
	case "beagle", "spam":
		// What a comment would mean is unknown (IntelMQ refuses them too).
		if comments != "" {
			return fmt.Errorf("%s: unexpected comment %q", report, comments)
		}
	}
	return nil
}

// oldBotNotes reads a bots comment: "[srcport PORT] [mwtype TYPE] [destaddr
// IP] [free text]", the type possibly of several words; the words after
// the destination address describe the event.
func oldBotNotes(e *event.Event, comments string) error {
	var key string
	var value, text []string
	flush := func() error {
		if key == "" || len(value) == 0 {
			return nil
		}
		v := strings.Join(value, " ")
		switch key {
		case "srcport":
			return setSourcePort(e, v)
		case "mwtype":
			return feed.Constants(e, "classification.identifier", strings.ToLower(v), "malware.name", v)
		default: // destaddr, dstaddr
			return e.Set("destination.ip", v)
		}
	}
	for _, w := range strings.Split(comments, " ") {
		switch w {
		case "srcport", "mwtype", "destaddr", "dstaddr":
			if err := flush(); err != nil {
				return err
			}
			key, value = w, value[:0]
		default:
			if (key == "destaddr" || key == "dstaddr") && len(value) == 1 {
				text = append(text, w)
			} else {
				value = append(value, w)
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	if len(text) > 0 {
		return e.Set("event_description.text", strings.Join(text, " "))
	}
	return nil
}

// setSourcePort keeps the old format's source port in extra, where
// IntelMQ puts it.
func setSourcePort(e *event.Event, v string) error {
	n, err := strconv.ParseUint(v, 10, 16)
	if err != nil {
		return fmt.Errorf("source port %q is not a port", v)
	}
	e.SetExtraInt("extra.source_port", int64(n))
	return nil
}
