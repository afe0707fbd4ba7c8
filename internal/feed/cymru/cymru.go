// Package cymru parses Team Cymru's feeds: the CAP (CSIRT Assistance
// Program) reports of a constituency, in the old "infected" and the new
// "certname" format, and the full bogons lists.
package cymru

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/event"
	"github.com/qalxan/qalxan/internal/feed"
)

func init() {
	feed.Register(feed.Spec{
		Name:        "cymru-cap",
		Provider:    "Team Cymru",
		DocURL:      "https://www.team-cymru.com/csirt-assistance-program",
		Format:      "text",
		Description: "Team Cymru CAP reports: pipe-separated, the old (\"# Data file written at\") and the new (\"#generated on\", certname) format.",
		FileNames:   []string{"infected_*.txt", "certname_*.txt"},
		Details:     capDetails,
		Parser:      feed.ParserFunc(parseCAP),
	})
	feed.Register(feed.Spec{
		Name:        "cymru-bogons",
		Provider:    "Team Cymru",
		DocURL:      "https://www.team-cymru.com/bogon-networks",
		Format:      "text",
		Description: "Team Cymru full bogons (fullbogons-ipv4.txt, fullbogons-ipv6.txt): one network per line; time.source from the \"# last updated\" header.",
		FileNames:   []string{"fullbogons-ipv4.txt", "fullbogons-ipv6.txt"},
		Parser:      feed.ParserFunc(parseBogons),
	})
}

// headed reads a report whose "#" comment lines head every row: each
// event's raw is the comments so far and the row, as IntelMQ keeps it, so
// a row carries its header. comment sees each comment line; row is
// called for every other non-blank line.
func headed(ctx context.Context, r io.Reader, st *feed.Stats,
	comment func(line string), row func(n int, line string, raw []byte) error) error {
	var raw []byte // the header, then the row appended for each event
	head := 0
	return feed.EachLine(ctx, r, func(n int, line string) error {
		switch {
		case strings.HasPrefix(line, "#"):
			raw = append(append(raw[:head], line...), '\n')
			head = len(raw)
			comment(line)
			return nil
		case line == "":
			return nil
		}
		st.Rows++
		return row(n, line, append(raw[:head], line...))
	})
}

// base sets the fields every event of a report shares.
func base(rep feed.Report, name string) (*event.Event, error) {
	e := event.New(8)
	if err := feed.SetCommon(rep, e); err != nil {
		return nil, err
	}
	if rep.FeedName == "" {
		if err := e.Set("feed.name", name); err != nil {
			return nil, err
		}
	}
	return e, e.Set("feed.provider", "Team Cymru")
}

func parseBogons(ctx context.Context, r io.Reader, rep feed.Report, emit feed.Emit) (feed.Stats, error) {
	var st feed.Stats
	b, err := base(rep, "Cymru Full Bogons")
	if err != nil {
		return st, err
	}
	if err := b.Set("classification.type", "blacklist"); err != nil {
		return st, err
	}
	e := event.New(10)
	err = headed(ctx, r, &st, func(line string) {
		// "# last updated 1585140601 (Wed Mar 25 12:50:01 2020 GMT)"
		rest, ok := strings.CutPrefix(line, "# last updated ")
		if !ok {
			return
		}
		stamp, _, _ := strings.Cut(rest, " ")
		if secs, err := strconv.ParseInt(stamp, 10, 64); err == nil {
			_ = b.Set("time.source", event.FormatTime(time.Unix(secs, 0)))
		}
	}, func(n int, line string, raw []byte) error {
		e.CopyFrom(b)
		if err := e.Set("source.network", line); err != nil {
			st.AddBad(rep, feed.BadRow{Line: n, Reason: err.Error()})
			return nil
		}
		e.SetRaw(raw)
		e.Line = n
		if err := emit(e); err != nil {
			return err
		}
		st.Events++
		return nil
	})
	return st, err
}

// parseCAP reads a CAP report. The header says the format: "#generated
// on" starts the new one, "# Data file written at" the old one (also the
// default).
func parseCAP(ctx context.Context, r io.Reader, rep feed.Report, emit feed.Emit) (feed.Stats, error) {
	var st feed.Stats
	b, err := base(rep, "Cymru CAP")
	if err != nil {
		return st, err
	}
	newFormat := false
	e := event.New(20)
	var ports []string
	err = headed(ctx, r, &st, func(line string) {
		switch {
		case strings.Contains(line, "generated on"):
			newFormat = true
		case strings.Contains(line, "Data file written at"):
			newFormat = false
		}
	}, func(n int, line string, raw []byte) error {
		e.CopyFrom(b)
		var err error
		ports = ports[:0]
		if newFormat {
			ports, err = newRow(e, line, ports)
		} else {
			err = oldRow(e, line)
		}
		if err != nil {
			st.AddBad(rep, feed.BadRow{Line: n, Reason: err.Error()})
			return nil
		}
		e.SetRaw(raw)
		if len(ports) == 0 {
			ports = append(ports, "")
		}
		// One event per destination port, as IntelMQ splits them.
		for _, p := range ports {
			_ = e.Set("destination.port", p) // newRow checked it is a port number
			e.Line = n
			if err := emit(e); err != nil {
				return err
			}
			st.Events++
		}
		return nil
	})
	return st, err
}

// common sets the columns both formats share: address, ASN (0 for none)
// and the time (UTC).
func common(e *event.Event, ip, asn, ts string) error {
	if asn == "0" {
		asn = ""
	}
	return feed.Constants(e, "source.ip", ip, "source.asn", asn, "time.source", ts)
}

func split6(line string) ([]string, error) {
	f := strings.Split(line, "|")
	if len(f) != 6 {
		return nil, fmt.Errorf("%d pipe-separated fields, want 6", len(f))
	}
	return f, nil
}
