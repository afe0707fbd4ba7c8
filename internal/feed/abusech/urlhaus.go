package abusech

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/qalxan/qalxan/internal/event"
	"github.com/qalxan/qalxan/internal/feed"
)

// urlhausColumns maps URLhaus's column names (lower case, as in the
// header comment) to event keys; columns not listed go to
// extra.<name>.
var urlhausColumns = map[string]string{
	"dateadded (utc)": "time.source",
	"dateadded":       "time.source",
	"url":             "source.url",
	"url_status":      "extra.status",
	"threat":          "classification.identifier",
	"host":            "source.fqdn",
	"ipaddress":       "source.ip",
	"asnumber":        "source.asn",
	"country":         "source.geolocation.cc",
	"urlhaus_link":    "event_description.url",
	"id":              "extra.urlhaus.id",
}

// urlhausDefault is the TLD/country/ASN feeds' header, for a report cut
// from its comments.
var urlhausDefault = []string{"dateadded (utc)", "url", "url_status", "threat", "host", "ipaddress", "asnumber", "country"}

func parseURLhaus(ctx context.Context, r io.Reader, rep feed.Report, emit feed.Emit) (feed.Stats, error) {
	var st feed.Stats
	base := event.New(8)
	// IntelMQ classifies every URLhaus entry as (IntelMQ 2's) malware.
	if err := setBase(rep, base, "Abuse.ch URLhaus", "classification.type", "malware"); err != nil {
		return st, err
	}
	e := event.New(16)
	cols := urlhausKeys(urlhausDefault)
	var raw strings.Builder
	err := feed.EachLine(ctx, r, func(n int, line string) error {
		if line == "" {
			return nil
		}
		if h, ok := strings.CutPrefix(line, "#"); ok {
			// The header is the comment that is a list of names.
			if strings.Count(h, ",") >= 2 {
				cols = urlhausKeys(strings.Split(strings.ToLower(strings.TrimSpace(h)), ","))
			}
			return nil
		}
		st.Rows++
		e.CopyFrom(base)
		rec, err := csv.NewReader(strings.NewReader(line)).Read()
		if err == nil {
			err = urlhausRow(e, cols, rec)
		}
		if err != nil {
			st.AddBad(rep, feed.BadRow{Line: n, Reason: err.Error()})
			return nil
		}
		// IntelMQ's raw is the row as Python's csv writer gives it back.
		raw.Reset()
		w := csv.NewWriter(&raw)
		w.UseCRLF = true
		_ = w.Write(rec) // a strings.Builder does not fail
		w.Flush()
		e.SetRaw([]byte(raw.String()))
		e.Line = n
		if err := emit(e); err != nil {
			return err
		}
		st.Events++
		return nil
	})
	return st, err
}

// urlhausKeys gives the event key of each column.
func urlhausKeys(names []string) []string {
	keys := make([]string, len(names))
	for i, n := range names {
		n = strings.TrimSpace(n)
		if k, ok := urlhausColumns[n]; ok {
			keys[i] = k
		} else {
			keys[i] = event.ExtraPrefix + strings.ReplaceAll(n, " ", "_")
		}
	}
	return keys
}

func urlhausRow(e *event.Event, keys, rec []string) error {
	if len(rec) != len(keys) {
		return fmt.Errorf("%d columns, want %d", len(rec), len(keys))
	}
	for i, v := range rec {
		if err := e.Set(keys[i], strings.TrimSpace(v)); err != nil {
			// The host is a name or an address.
			if keys[i] == "source.fqdn" && e.Set("source.ip", v) == nil {
				continue
			}
			return err
		}
	}
	if !e.Has("source.url") {
		return fmt.Errorf("no url")
	}
	return nil
}

func urlhausDetails(string) (string, error) {
	names := make([]string, 0, len(urlhausColumns))
	for n := range urlhausColumns {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("COLUMN           FIELD\n")
	for _, n := range names {
		fmt.Fprintf(&b, "%-16s %s\n", n, urlhausColumns[n])
	}
	b.WriteString("(others)         extra.<column>\nconstant         classification.type = malware\n")
	return b.String(), nil
}
