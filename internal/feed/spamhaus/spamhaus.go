// Package spamhaus parses Spamhaus's DROP lists (DROP, EDROP, DROPv6: one
// network per line; ASN-DROP: one AS per line) and the CERT portal's CSV
// of infected and abusive hosts.
package spamhaus

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/qalxan/qalxan/internal/event"
	"github.com/qalxan/qalxan/internal/feed"
)

func init() {
	feed.Register(feed.Spec{
		Name:        "spamhaus-drop",
		Provider:    "Spamhaus",
		DocURL:      "https://www.spamhaus.org/blocklists/do-not-route-or-peer/",
		Format:      "text",
		Description: "Spamhaus DROP, EDROP and DROPv6: \"CIDR ; SBLid\" per line; time.source is the list's Last-Modified.",
		FileNames:   []string{"drop.txt", "edrop.txt", "dropv6.txt", "drop.lasso"},
		Parser:      &dropParser{name: "Spamhaus Drop", line: networkLine},
	})
	feed.Register(feed.Spec{
		Name:        "spamhaus-asndrop",
		Provider:    "Spamhaus",
		DocURL:      "https://www.spamhaus.org/blocklists/do-not-route-or-peer/",
		Format:      "text",
		Description: "Spamhaus ASN-DROP: \"ASN ; CC | AS name\" per line; time.source is the list's Last-Modified.",
		FileNames:   []string{"asndrop.txt"},
		Parser:      &dropParser{name: "Spamhaus ASN Drop", line: asnLine},
		// An entry is an AS, which the default keys leave out: without it
		// every entry of a day would be one event.
		FingerprintKeys: append(slices.Clone(event.DefaultFingerprintKeys), "source.asn"),
	})
	feed.Register(feed.Spec{
		Name:        "spamhaus-cert",
		Provider:    "Spamhaus",
		DocURL:      "https://www.spamhaus.com/data-access/",
		Format:      "csv",
		Description: "Spamhaus CERT portal: comma-separated infected and abusive hosts of a constituency, \";\" comment header.",
		Details:     certDetails,
		Parser:      feed.ParserFunc(parseCert),
	})
}

// dropParser reads a DROP list. The lists date themselves in a comment
// ("; Last-Modified: ..."), which is the time.source of every entry after it.
type dropParser struct {
	name string // default feed.name
	line func(e *event.Event, line string) error
}

func (p *dropParser) Parse(ctx context.Context, r io.Reader, rep feed.Report, emit feed.Emit) (feed.Stats, error) {
	var st feed.Stats
	base := event.New(8)
	if err := setBase(rep, base, p.name, "classification.type", "spam"); err != nil {
		return st, err
	}
	e := event.New(12)
	err := feed.EachLine(ctx, r, func(n int, line string) error {
		if line == "" || strings.HasPrefix(line, ";") {
			if v, ok := strings.CutPrefix(strings.Trim(line, "; "), "Last-Modified:"); ok {
				// A date we cannot read leaves time.source unset rather
				// than losing the list.
				_ = base.Set("time.source", strings.TrimSpace(v))
			}
			return nil
		}
		st.Rows++
		e.CopyFrom(base)
		if err := p.line(e, line); err != nil {
			st.AddBad(rep, feed.BadRow{Line: n, Reason: err.Error()})
			return nil
		}
		e.SetRaw([]byte(line))
		e.Line = n
		if err := emit(e); err != nil {
			return err
		}
		st.Events++
		return nil
	})
	return st, err
}

// networkLine reads "1.4.0.0/17 ; SBL256893".
func networkLine(e *event.Event, line string) error {
	netw, sbl, _ := strings.Cut(line, ";")
	if err := e.Set("source.network", strings.TrimSpace(netw)); err != nil {
		return err
	}
	if sbl = strings.TrimSpace(sbl); sbl != "" {
		e.SetExtraString("extra.blocklist", sbl)
	}
	return nil
}

// asnLine reads "AS260 ; AE | XCONNECT24 - Xconnect24 Inc., US"; the
// country may be empty.
func asnLine(e *event.Event, line string) error {
	asn, rest, ok := strings.Cut(line, ";")
	if !ok {
		return fmt.Errorf("want \"ASN ; CC | name\"")
	}
	cc, name, _ := strings.Cut(rest, "|")
	return feed.Constants(e, "source.asn", strings.TrimSpace(asn),
		"source.as_name", strings.TrimSpace(name), "source.geolocation.cc", strings.TrimSpace(cc))
}

// setBase sets the fields every event of a report shares.
func setBase(rep feed.Report, e *event.Event, name string, kv ...string) error {
	if err := feed.SetCommon(rep, e); err != nil {
		return err
	}
	if rep.FeedName == "" {
		if err := e.Set("feed.name", name); err != nil {
			return err
		}
	}
	return feed.Constants(e, append([]string{"feed.provider", "Spamhaus"}, kv...)...)
}
