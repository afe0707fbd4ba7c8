// Package microsoft parses Microsoft's feeds: CTIP (Cyber Threat
// Intelligence Program) infected hosts, as a JSON array from Interflow or
// as JSON lines from Azure, and Bing's malicious URLs (BingMURLs).
package microsoft

import (
	"bufio"
	"context"
	"encoding/json"
	"io"

	"github.com/qalxan/qalxan/internal/event"
	"github.com/qalxan/qalxan/internal/feed"
)

func init() {
	feed.Register(feed.Spec{
		Name:        "microsoft-ctip",
		Provider:    "Microsoft",
		DocURL:      "https://www.microsoft.com/en-us/msrc/cyber-threat-intelligence-program",
		Format:      "json",
		Description: "Microsoft CTIP infected hosts: a JSON array (Interflow, version 1.5) or JSON lines (Azure); the first character tells which.",
		Details:     ctipDetails,
		Parser:      feed.ParserFunc(parseCTIP),
	})
	feed.Register(feed.Spec{
		Name:        "microsoft-bingmurls",
		Provider:    "Microsoft",
		DocURL:      "https://docs.microsoft.com/en-us/security/gsp/informationsharingandexchange",
		Format:      "json",
		Description: "Bing malicious URLs via Interflow: a JSON array (version 1.5).",
		Parser:      feed.ParserFunc(parseBing),
	})
}

// parseCTIP reads either CTIP form, as IntelMQ's parser does.
func parseCTIP(ctx context.Context, r io.Reader, rep feed.Report, emit feed.Emit) (feed.Stats, error) {
	br := bufio.NewReader(r)
	for {
		c, err := br.Peek(1)
		if err != nil {
			return feed.Stats{}, nil // empty: no events
		}
		switch c[0] {
		case ' ', '\t', '\r', '\n':
			_, _ = br.ReadByte()
			continue
		case '[':
			return parseArray(ctx, br, rep, emit, "Microsoft CTIP", feed.PythonJSON, interflowRecord)
		}
		return azureParser.Parse(ctx, br, rep, emit)
	}
}

func parseBing(ctx context.Context, r io.Reader, rep feed.Report, emit feed.Emit) (feed.Stats, error) {
	return parseArray(ctx, r, rep, emit, "Microsoft BingMURLs", feed.PythonJSONSorted, bingRecord)
}

// parseArray reads a JSON array of records; raw is each record as IntelMQ
// keeps it: a one-element list written by dump (IntelMQ sorts the keys of
// BingMURLs records, not of CTIP's).
func parseArray(ctx context.Context, r io.Reader, rep feed.Report, emit feed.Emit, name string,
	dump func(dst, v []byte) ([]byte, error), record func(e *event.Event, rec map[string]any) error) (feed.Stats, error) {
	var st feed.Stats
	base, err := newBase(rep, name)
	if err != nil {
		return st, err
	}
	e := event.New(20)
	var raw []byte
	err = feed.EachRecord(ctx, r, func(n int, rec json.RawMessage) error {
		st.Rows++
		e.CopyFrom(base)
		var err error
		raw, err = dump(append(raw[:0], '['), rec)
		var m map[string]any
		if err == nil {
			m, err = object(rec)
		}
		if err == nil {
			err = record(e, m)
		}
		if err != nil {
			st.AddBad(rep, feed.BadRow{Line: n, Reason: err.Error()})
			return nil
		}
		e.SetRaw(append(raw, ']'))
		e.Line = n
		if err := emit(e); err != nil {
			return err
		}
		st.Events++
		return nil
	})
	return st, err
}

func newBase(rep feed.Report, name string) (*event.Event, error) {
	e := event.New(8)
	if err := feed.SetCommon(rep, e); err != nil {
		return nil, err
	}
	if rep.FeedName == "" {
		if err := e.Set("feed.name", name); err != nil {
			return nil, err
		}
	}
	return e, e.Set("feed.provider", "Microsoft")
}
