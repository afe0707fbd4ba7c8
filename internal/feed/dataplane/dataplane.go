// Package dataplane parses the dataplane.org lists: pipe-separated rows
// "ASN | AS name | address | last seen | category" (proto41 adds a first
// seen before the last seen), one spec for all lists, each list's
// classification from the table in lists.go.
package dataplane

import (
	"bytes"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/qalxan/qalxan/internal/event"
	"github.com/qalxan/qalxan/internal/feed"
)

func init() {
	feed.Register(feed.Spec{
		Name:        "dataplane",
		Provider:    "DataPlane.org",
		DocURL:      "https://dataplane.org/",
		Format:      "text",
		Description: "dataplane.org lists (https://dataplane.org/NAME.txt): \"ASN | AS name | address | time | category\"; the list is the category column, else feed.url or the file name.",
		Recognise:   recognise,
		Details:     details,
		Parser: &feed.LineParser{
			Comment: "#",
			Base:    base,
			Line:    line,
		},
	})
}

// recognise claims a report by its banner or by a list's file name.
func recognise(fileName string, head []byte) bool {
	if bytes.HasPrefix(head, []byte("# DataPlane.org")) {
		return true
	}
	_, ok := lists[listName(fileName)]
	return ok
}

// listName is "sshclient" for ".../sshclient.txt".
func listName(name string) string {
	return strings.TrimSuffix(path.Base(strings.TrimRight(name, "/")), ".txt")
}

// base classifies the report by its list's name (from feed.url, else the
// file name) when that is known; each row's category column, when known,
// wins, so a renamed file is still read right.
func base(rep feed.Report, e *event.Event) error {
	name := rep.FileName
	if rep.FeedURL != "" {
		name = rep.FeedURL
	}
	l := lists[listName(name)]
	if rep.FeedName == "" && l.Name != "" {
		if err := e.Set("feed.name", "DataPlane "+l.Name); err != nil {
			return err
		}
	}
	return feed.Constants(e, "feed.provider", "DataPlane.org", "classification.type", l.Type,
		"protocol.application", l.Application, "event_description.text", l.Description)
}

func line(e *event.Event, line string) error {
	f := split(line)
	if len(f) != 5 && len(f) != 6 {
		return fmt.Errorf("%d fields separated by \"  |  \", want 5 or 6", len(f))
	}
	if l, ok := lists[f[len(f)-1]]; ok {
		if err := feed.Constants(e, "classification.type", l.Type,
			"protocol.application", l.Application, "event_description.text", l.Description); err != nil {
			return err
		}
	} else if !e.Has("classification.type") {
		return fmt.Errorf("unknown list %q", f[len(f)-1])
	}
	if f[0] != "NA" {
		if err := e.Set("source.asn", f[0]); err != nil {
			return err
		}
	}
	// The AS name column is "HANDLE - Org, CC" truncated to 30
	// characters; IntelMQ keeps the handle, the one part never cut.
	if name := strings.Fields(f[1]); len(name) > 0 && name[0] != "NA" {
		if err := e.Set("source.as_name", name[0]); err != nil {
			return err
		}
	}
	if err := e.Set("source.ip", f[2]); err != nil {
		return err
	}
	if len(f) == 6 {
		first, err := event.ParseTime(f[3])
		if err != nil {
			return fmt.Errorf("first seen %q: %v", f[3], err)
		}
		e.SetExtraString("extra.first_seen", event.FormatTime(first))
	}
	return e.Set("time.source", f[len(f)-2])
}

// split cuts a row at every "|" with at least two spaces on each side, as
// dataplane.org documents its format; a single-spaced pipe belongs to the
// AS name.
func split(line string) []string {
	var out []string
	start := 0
	for i := 0; i < len(line); i++ {
		if line[i] == '|' && spaces(line[:i], true) && spaces(line[i+1:], false) {
			out = append(out, strings.TrimSpace(line[start:i]))
			start = i + 1
		}
	}
	return append(out, strings.TrimSpace(line[start:]))
}

// spaces reports whether s ends (before) or starts (!before) with at least
// two white-space characters.
func spaces(s string, before bool) bool {
	if len(s) < 2 {
		return false
	}
	if before {
		s = s[len(s)-2:]
	}
	return isSpace(s[0]) && isSpace(s[1])
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' }

func details(string) (string, error) {
	names := make([]string, 0, len(lists))
	for n := range lists {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	fmt.Fprintf(&b, "%-16s %-12s %-8s %s\n", "LIST", "TYPE", "PROTOCOL", "FEED NAME")
	for _, n := range names {
		l := lists[n]
		fmt.Fprintf(&b, "%-16s %-12s %-8s %s\n", n, l.Type, l.Application, l.Name)
	}
	return b.String(), nil
}
