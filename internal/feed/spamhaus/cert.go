package spamhaus

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/event"
	"github.com/qalxan/qalxan/internal/feed"
)

// The CERT portal's columns: ip, asn, country, lastseen, botname, domain,
// remote_ip, remote_port, local_port, protocol.
const (
	colIP = iota
	colASN
	colCC
	colLastSeen
	colBot
	colDomain
	colRemoteIP
	colRemotePort
	colLocalPort
	colProtocol
	nCols
)

// bot is what a botname means. A botname not in bots is a malware family:
// infected-system, malware.name = the botname.
type bot struct {
	Type, Identifier, Application, Description, URL string
}

// bots is IntelMQ's Spamhaus CERT mapping as data.
var bots = map[string]bot{
	"openrelay":        {Type: "vulnerable-system", Identifier: "openrelay", Application: "smtp"},
	"iotrdp":           {Type: "scanner", Identifier: "rdp", Application: "rdp"},
	"sshauth":          {Type: "brute-force", Identifier: "ssh", Application: "ssh"},
	"telnetauth":       {Type: "brute-force", Identifier: "telnet", Application: "telnet"},
	"iotcmd":           {Type: "brute-force", Identifier: "telnet", Application: "telnet"},
	"iotuser":          {Type: "brute-force", Identifier: "telnet", Application: "telnet"},
	"smtpauth":         {Type: "brute-force", Identifier: "smtp", Application: "smtp"},
	"pop":              {Type: "brute-force", Identifier: "pop", Application: "pop"},
	"imap":             {Type: "brute-force", Identifier: "imap", Application: "imap"},
	"wpscanner":        {Type: "scanner", Identifier: "wordpress-vulnerabilities", Application: "http", Description: "scanning for wordpress vulnerabilities"},
	"w_wplogin":        {Type: "scanner", Identifier: "wordpress-login", Application: "http", Description: "scanning for wordpress login pages"},
	"proxyget":         {Type: "other", Identifier: "proxyget", Description: "The malicious client used a honeypot as proxy."},
	"authspoofbadehlo": {Type: "brute-force", Identifier: "authentication-spoof", Application: "smtp", Description: "The device spoofed SMTP authentication with a bad EHLO."},
	"extortion":        {Type: "spam", Identifier: "extortion", Application: "smtp", Description: "This device sent extortion mails."},
	"misc": {Type: "spam", Identifier: "spam", Application: "smtp", URL: "https://www.abuseat.org/lookup.cgi",
		Description: "This device is sending spam as part of a botnet. See abuseat.org for more details."},
	// iotscan's identifier depends on the port; see certRow.
	"iotscan":    {Type: "scanner", Identifier: "scanner-generic", Description: "The possibly infected IoT device scanned for other vulnerable IoT devices."},
	"l_spamlink": {Type: "spam", Identifier: "spamlink", Description: "The URL appeared in a spam email sent by extra.spam_ip."},
}

// malwareAlias renames botnames that are not the family's usual name;
// aliasIdentified also sets classification.identifier.
var malwareAlias = map[string]string{"auto": "s_other", "iotmirai": "mirai"}
var aliasIdentified = map[string]bool{"iotmirai": true}

func parseCert(ctx context.Context, r io.Reader, rep feed.Report, emit feed.Emit) (feed.Stats, error) {
	var st feed.Stats
	// The portal's URL carries the API key; it must not travel with the
	// events.
	rep.FeedURL, _, _ = strings.Cut(rep.FeedURL, "key=")
	base := event.New(8)
	if err := setBase(rep, base, "Spamhaus CERT"); err != nil {
		return st, err
	}
	e := event.New(20)
	// raw is the comment header and the row, as IntelMQ keeps it, so a
	// row can be read on its own.
	var header []string
	var raw []byte
	err := feed.EachLine(ctx, r, func(n int, line string) error {
		if line == "" || strings.HasPrefix(line, ";") {
			header = append(header, line)
			return nil
		}
		st.Rows++
		e.CopyFrom(base)
		if err := certRow(e, line); err != nil {
			st.AddBad(rep, feed.BadRow{Line: n, Reason: err.Error()})
			return nil
		}
		raw = raw[:0]
		for _, h := range header {
			raw = append(append(raw, h...), '\n')
		}
		e.SetRaw(append(raw, line...))
		e.Line = n
		if err := emit(e); err != nil {
			return err
		}
		st.Events++
		return nil
	})
	return st, err
}

func certRow(e *event.Event, line string) error {
	c := strings.Split(line, ",")
	if len(c) < nCols {
		return fmt.Errorf("%d columns, want %d", len(c), nCols)
	}
	for i := range c {
		if c[i] = strings.TrimSpace(c[i]); c[i] == "?" {
			c[i] = "" // the portal's "unknown"
		}
	}
	secs, err := strconv.ParseInt(c[colLastSeen], 10, 64)
	if err != nil {
		return fmt.Errorf("lastseen %q: not a Unix time", c[colLastSeen])
	}
	if err := feed.Constants(e, "source.ip", c[colIP], "source.asn", c[colASN],
		"source.geolocation.cc", c[colCC], "time.source", event.FormatTime(time.Unix(secs, 0))); err != nil {
		return err
	}
	name := strings.ToLower(c[colBot])
	b, known := bots[name]
	switch {
	case name == "l_spamlink":
		// local_port holds "spam IP:malware version:malware name".
		ip, rest, _ := strings.Cut(c[colLocalPort], ":")
		ver, mal, ok := strings.Cut(rest, ":")
		if !ok {
			return fmt.Errorf("spamlink: local_port %q is not ip:version:name", c[colLocalPort])
		}
		if c[colDomain] != c[colRemoteIP] {
			return fmt.Errorf("spamlink: domain %q and remote_ip %q differ", c[colDomain], c[colRemoteIP])
		}
		if err := feed.Constants(e, "malware.name", mal, "malware.version", ver, "source.url", c[colDomain]); err != nil {
			return err
		}
		e.SetExtraString("extra.spam_ip", ip)
		c[colLocalPort] = ""
	case name == "iotscan" && c[colRemotePort] == "23":
		b.Identifier, b.Application = "telnet", "telnet"
	case !known:
		if alias, ok := malwareAlias[name]; ok {
			if aliasIdentified[name] {
				b.Identifier = alias
			}
			name = alias
		}
		b.Type = "infected-system"
		if err := e.Set("malware.name", name); err != nil {
			return err
		}
		// The domain is a URL for some families; an address or a name
		// is not, and is tried as destination.fqdn below.
		_ = e.Set("source.url", c[colDomain])
	}
	if err := feed.Constants(e, "classification.type", b.Type, "classification.identifier", b.Identifier,
		"protocol.application", b.Application, "event_description.text", b.Description,
		"event_description.url", b.URL, "feed.documentation", b.URL); err != nil {
		return err
	}
	// The C&C columns are loose (an address in the domain column,
	// "host:port" and so on): IntelMQ keeps what validates, so do we.
	_ = e.Set("destination.fqdn", c[colDomain])
	_ = e.Set("destination.ip", c[colRemoteIP])
	_ = e.Set("destination.port", c[colRemotePort])
	if lp := c[colLocalPort]; lp != "" && lp != "-" {
		if port, err := strconv.ParseInt(lp, 10, 64); err == nil {
			e.SetExtraInt("extra.source.local_port", port)
		} else {
			_ = e.Set("destination.fqdn", lp)
		}
	}
	_ = e.Set("protocol.transport", c[colProtocol])
	return nil
}

func certDetails(string) (string, error) {
	names := make([]string, 0, len(bots))
	for n := range bots {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	fmt.Fprintf(&b, "%-17s %-18s %-26s %s\n", "BOTNAME", "TYPE", "IDENTIFIER", "PROTOCOL")
	for _, n := range names {
		x := bots[n]
		fmt.Fprintf(&b, "%-17s %-18s %-26s %s\n", n, x.Type, x.Identifier, x.Application)
	}
	b.WriteString("(others)          infected-system    (malware.name = botname)\n")
	b.WriteString("iotscan on port 23: identifier and protocol telnet\n")
	return b.String(), nil
}
