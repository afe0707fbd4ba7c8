// Package blocklistde parses the blocklist.de lists: one IP address per
// line, the list (ssh.txt, imap.txt, ...) saying what the addresses did.
package blocklistde

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/qalxan/qalxan/internal/event"
	"github.com/qalxan/qalxan/internal/feed"
)

// list is what one blocklist.de list means.
type list struct {
	Type, Application, Description string
}

// lists is the classification of each list, as IntelMQ's blocklist.de
// parser has it; a list not named here is "blacklist".
var lists = map[string]list{
	"all.txt":             {Type: "blacklist"},
	"ssh.txt":             {"ids-alert", "ssh", "IP reported as having run attacks on the service SSH"},
	"mail.txt":            {"ids-alert", "smtp", "IP reported as having run attacks on the service Mail, Postfix"},
	"apache.txt":          {"ids-alert", "http", "IP reported as having run attacks on the service Apache, Apache-DDoS, RFI-Attacks"},
	"imap.txt":            {"ids-alert", "imap", "IP reported as having run attacks on the service IMAP, SASL, POP3"},
	"ftp.txt":             {"ids-alert", "ftp", "IP reported as having run attacks on the service FTP"},
	"sip.txt":             {"ids-alert", "sip", "IP reported as having run attacks on the service SIP, VOIP, Asterisk"},
	"bots.txt":            {"spam", "", "IP reported as having spammed on IRC, open forums, wikis or registration forms."},
	"strongips.txt":       {"blacklist", "", "IP reported as having run attacks in last 2 months"},
	"ircbot.txt":          {"infected-system", "irc", ""},
	"bruteforcelogin.txt": {"brute-force", "", "IP reported as having run attacks on Joomlas, Wordpress and other Web-Logins with Brute-Force Logins"},
}

func init() {
	feed.Register(feed.Spec{
		Name:        "blocklistde",
		Provider:    "blocklist.de",
		DocURL:      "https://www.blocklist.de/en/export.html",
		Format:      "text",
		Description: "blocklist.de lists (https://lists.blocklist.de/lists/NAME.txt): one IP per line; the list is taken from feed.url or the file name.",
		Details:     details,
		Parser: &feed.LineParser{
			Comment: "#",
			Base:    base,
			Line:    func(e *event.Event, line string) error { return e.Set("source.ip", line) },
		},
	})
}

func base(rep feed.Report, e *event.Event) error {
	name := rep.FileName
	if rep.FeedURL != "" {
		name = rep.FeedURL
	}
	l, ok := lists[path.Base(strings.TrimRight(name, "/"))]
	if !ok {
		l = list{Type: "blacklist"}
	}
	if rep.FeedName == "" {
		if err := e.Set("feed.name", "BlockList.de"); err != nil {
			return err
		}
	}
	return feed.Constants(e, "feed.provider", "blocklist.de", "classification.type", l.Type,
		"protocol.application", l.Application, "event_description.text", l.Description)
}

func details(string) (string, error) {
	names := make([]string, 0, len(lists))
	for n := range lists {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	fmt.Fprintf(&b, "%-20s %-16s %-11s %s\n", "LIST", "TYPE", "PROTOCOL", "DESCRIPTION")
	for _, n := range names {
		l := lists[n]
		fmt.Fprintf(&b, "%-20s %-16s %-11s %s\n", n, l.Type, l.Application, l.Description)
	}
	return b.String(), nil
}
