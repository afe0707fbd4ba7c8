// Package apwg parses phishing records from the APWG eCrime eXchange (eCX)
// API's /phish endpoint, as saved from the API: the eCX 3 envelope
// ({"data": [...]} with paging fields beside it), the older eCX 2 envelope
// ({"_embedded": {"phish": [...]}}), a bare JSON array of records, or one
// record per line. Both generations' field names are read (eCX 3 writes
// discoveredAt, confidence and updatedAt where eCX 2 wrote date_discovered,
// confidence_level and modified).
package apwg

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/event"
	"github.com/qalxan/qalxan/internal/feed"
)

// FeedName is feed.name for the events when the report names none.
const FeedName = "APWG eCrime eXchange phish"

func init() {
	feed.Register(feed.Spec{
		Name:     "apwg",
		Provider: "APWG",
		DocURL:   "https://apwg.org/ecx/",
		Format:   "json",
		Description: "APWG eCrime eXchange /phish records (JSON: the API's envelope, a bare array or one record per line): " +
			"phishing URLs with brand, confidence, address and AS.",
		Recognise: recognise,
		Details:   details,
		Parser:    feed.ParserFunc(parse),
	})
}

// recognise claims reports by name only: the records' JSON looks like many
// other feeds' JSON.
func recognise(fileName string, _ []byte) bool {
	base := strings.ToLower(path.Base(strings.ReplaceAll(fileName, "\\", "/")))
	if !strings.HasSuffix(base, ".json") && !strings.HasSuffix(base, ".jsonl") && !strings.Contains(base, ".json.") {
		return false
	}
	return strings.Contains(base, "apwg") || strings.Contains(base, "ecrimex") || strings.HasPrefix(base, "ecx")
}

// fields maps the record's attributes (both API generations' names) to
// event keys; "" marks the attributes handled in record. Attributes not
// listed go to extra.<name>.
var fields = map[string]string{
	"url":              "source.url",
	"brand":            "extra.brand",
	"confidence_level": "extra.confidence_level",
	"confidence":       "extra.confidence_level",
	"tld":              "extra.tld",
	"domain":           "extra.domain",
	"id":               "extra.ecx_id",
	"ip":               "",
	"asn":              "",
	"status":           "",
	"metadata":         "",
	"discovered_at":    "",
	"date_discovered":  "",
	"discoveredAt":     "",
	"date_modified":    "",
	"modified":         "",
	"updatedAt":        "",
	"created_at":       "",
	"date_created":     "",
	"createdAt":        "",
}

// times maps the time attributes to their keys: discovery is time.source,
// the others are kept as extra RFC 3339 times.
var times = map[string]string{
	"discovered_at":   "time.source",
	"date_discovered": "time.source",
	"discoveredAt":    "time.source",
	"date_modified":   "extra.date_modified",
	"modified":        "extra.date_modified",
	"updatedAt":       "extra.date_modified",
	"created_at":      "extra.date_created",
	"date_created":    "extra.date_created",
	"createdAt":       "extra.date_created",
}

func parse(ctx context.Context, r io.Reader, rep feed.Report, emit feed.Emit) (feed.Stats, error) {
	var st feed.Stats
	base := event.New(8)
	if err := feed.SetCommon(rep, base); err != nil {
		return st, err
	}
	if rep.FeedName == "" {
		if err := base.Set("feed.name", FeedName); err != nil {
			return st, err
		}
	}
	if err := feed.Constants(base, "feed.provider", "APWG", "classification.type", "phishing"); err != nil {
		return st, err
	}
	e := event.New(20)
	var raw bytes.Buffer
	one := func(n int, rec json.RawMessage) error {
		st.Rows++
		e.CopyFrom(base)
		if err := record(e, rec); err != nil {
			st.AddBad(rep, feed.BadRow{Line: n, Reason: err.Error()})
			return nil
		}
		raw.Reset()
		if json.Compact(&raw, rec) != nil {
			raw.Write(rec)
		}
		e.SetRaw(raw.Bytes())
		e.Line = n
		if err := emit(e); err != nil {
			return err
		}
		st.Events++
		return nil
	}
	br := bufio.NewReaderSize(r, 64<<10)
	switch shape(br) {
	case shapeLines:
		err := feed.EachLine(ctx, br, func(n int, line string) error {
			if line == "" {
				return nil
			}
			return one(n, []byte(line))
		})
		return st, err
	case shapeStream:
		return st, stream(ctx, json.NewDecoder(br), one)
	case shapeArray:
		d := json.NewDecoder(br)
		if _, err := d.Token(); err != nil {
			return st, err
		}
		return st, feed.EachElement(ctx, d, one)
	}
	return st, envelope(ctx, json.NewDecoder(br), one)
}

const (
	shapeEnvelope = iota
	shapeArray
	shapeLines  // one record per line
	shapeStream // records one after another, spread over lines
)

// shape tells the report's layout from its first bytes without consuming
// them: an array, an envelope (an object with data or _embedded among its
// top-level keys), or records (one per line, or pretty-printed one after
// another).
func shape(br *bufio.Reader) int {
	s := records(br)
	if s != shapeLines {
		return s
	}
	head, _ := br.Peek(64 << 10)
	line, _, _ := bytes.Cut(bytes.TrimLeft(head, " \t\r\n\ufeff"), []byte("\n"))
	if json.Valid(line) {
		return shapeLines
	}
	return shapeStream
}

func records(br *bufio.Reader) int {
	head, _ := br.Peek(64 << 10)
	head = bytes.TrimLeft(head, " \t\r\n\ufeff")
	if len(head) > 0 && head[0] == '[' {
		return shapeArray
	}
	d := json.NewDecoder(bytes.NewReader(head))
	if t, err := d.Token(); err != nil || t != json.Delim('{') {
		return shapeEnvelope // not JSON we know: envelope reports why
	}
	first := true
	for d.More() {
		k, err := d.Token()
		if err != nil {
			return shapeEnvelope
		}
		name, _ := k.(string)
		switch {
		case name == "data" || strings.HasPrefix(name, "_"): // _meta, _embedded, _links
			return shapeEnvelope
		case name == "url" || name == "id" || name == "brand":
			if first {
				// A record's fields; the envelope's paging fields are
				// never these.
				return shapeLines
			}
		}
		first = false
		var skip json.RawMessage
		if err := d.Decode(&skip); err != nil {
			return shapeEnvelope // the window ends inside a long value
		}
	}
	return shapeLines // one whole object without data: a record
}

// envelope walks the API's response objects (several, when pages were
// saved one after another), streaming the records of data or
// _embedded.phish and skipping the rest (_meta, _links, paging).
func envelope(ctx context.Context, d *json.Decoder, one func(int, json.RawMessage) error) error {
	n := 0
	count := func(num int, rec json.RawMessage) error { n++; return one(n, rec) }
	found := false
	for {
		t, err := d.Token()
		if err == io.EOF && found {
			return nil
		}
		if err != nil || t != json.Delim('{') {
			return fmt.Errorf("not an eCX response: want a JSON object with data, an array or JSON lines (%v)", err)
		}
		for d.More() {
			k, err := d.Token()
			if err != nil {
				return err
			}
			switch k {
			case "data":
				if err := openArray(d, "data"); err != nil {
					return err
				}
				found = true
				if err := feed.EachElement(ctx, d, count); err != nil {
					return err
				}
			case "_embedded":
				if t, err := d.Token(); err != nil || t != json.Delim('{') {
					return fmt.Errorf("_embedded: not an object (%v)", err)
				}
				for d.More() {
					k, err := d.Token()
					if err != nil {
						return err
					}
					if k != "phish" {
						if err := skip(d); err != nil {
							return err
						}
						continue
					}
					if err := openArray(d, "_embedded.phish"); err != nil {
						return err
					}
					found = true
					if err := feed.EachElement(ctx, d, count); err != nil {
						return err
					}
				}
				if _, err := d.Token(); err != nil {
					return err
				}
			default:
				if err := skip(d); err != nil {
					return err
				}
			}
		}
		if _, err := d.Token(); err != nil {
			return err
		}
		if !found {
			return errors.New("not an eCX response: no data array")
		}
	}
}

// stream reads records written one after another (not one per line). A
// record that is not JSON ends the report: the stream cannot be resumed.
func stream(ctx context.Context, d *json.Decoder, one func(int, json.RawMessage) error) error {
	var rec json.RawMessage
	for n := 1; ; n++ {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		err := d.Decode(&rec)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("record %d: %w", n, err)
		}
		if err := one(n, rec); err != nil {
			return err
		}
	}
}

func openArray(d *json.Decoder, name string) error {
	t, err := d.Token()
	if err != nil || t != json.Delim('[') {
		return fmt.Errorf("%s: not an array (%v)", name, err)
	}
	return nil
}

func skip(d *json.Decoder) error {
	var v json.RawMessage
	return d.Decode(&v)
}

// record fills e from one record.
func record(e *event.Event, rec []byte) error {
	var m map[string]json.RawMessage
	d := json.NewDecoder(bytes.NewReader(rec))
	d.UseNumber()
	if err := d.Decode(&m); err != nil || m == nil {
		return errors.New("not a JSON object")
	}
	names := make([]string, 0, len(m))
	for name := range m {
		names = append(names, name)
	}
	sort.Strings(names) // the first bad field is the reason, the same each run
	for _, name := range names {
		raw := m[name]
		if isNull(raw) {
			continue
		}
		key, known := fields[name]
		switch {
		case !known:
			if err := e.SetExtraJSON(event.ExtraPrefix+name, raw); err != nil {
				return err
			}
		case strings.HasPrefix(key, event.ExtraPrefix):
			if err := e.SetExtraJSON(key, raw); err != nil { // numbers stay numbers
				return err
			}
		case key != "":
			if err := e.Set(key, scalar(raw)); err != nil {
				return err
			}
		case times[name] != "":
			t, err := unixTime(raw)
			if err != nil {
				return fmt.Errorf("%s: %v", name, err)
			}
			if err := e.Set(times[name], event.FormatTime(t)); err != nil {
				return err
			}
		case name == "ip" || name == "asn":
			if err := list(e, name, raw); err != nil {
				return err
			}
		case name == "status":
			s := scalar(raw)
			switch strings.ToLower(s) {
			case "active":
				e.Set("status", "online")
			case "inactive":
				e.Set("status", "offline")
			default:
				e.SetExtraString("extra.status", s)
			}
		case name == "metadata":
			if err := e.SetExtraJSON("extra.metadata", raw); err != nil {
				return err
			}
		}
	}
	u, ok := e.Get("source.url")
	if !ok {
		return errors.New("no url")
	}
	return fromURL(e, u)
}

// fromURL sets source.fqdn, or source.ip when the host is an address the
// record did not give, from the phishing URL, as IntelMQ's url2fqdn
// expert does.
func fromURL(e *event.Event, s string) error {
	p, err := url.Parse(s)
	if err != nil {
		return err
	}
	host := p.Hostname()
	if a, err := netip.ParseAddr(host); err == nil {
		if !e.Has("source.ip") {
			return e.Set("source.ip", a.String())
		}
		return nil
	}
	if fqdn, err := event.NormaliseFQDN(host); err == nil {
		return e.Set("source.fqdn", fqdn)
	}
	return nil // a host we cannot name (a typo in the URL): the URL stays
}

// list sets source.ip or source.asn from a value that eCX 3 gives as a
// list and eCX 2 as one value. The first entry is the event's; a longer
// list is kept whole in extra.<name>.
func list(e *event.Event, name string, raw json.RawMessage) error {
	key := "source." + name
	if raw[0] != '[' {
		return e.Set(key, scalar(raw))
	}
	var vs []json.RawMessage
	if err := json.Unmarshal(raw, &vs); err != nil {
		return fmt.Errorf("%s: %v", name, err)
	}
	if len(vs) > 0 {
		if err := e.Set(key, scalar(vs[0])); err != nil {
			return err
		}
	}
	if len(vs) > 1 {
		return e.SetExtraJSON(event.ExtraPrefix+name, raw)
	}
	return nil
}

// scalar is a JSON string's text, or any other value's JSON.
func scalar(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(bytes.TrimSpace(raw))
}

func isNull(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || bytes.Equal(raw, []byte("null")) || bytes.Equal(raw, []byte(`""`))
}

// unixTime reads eCX's times: Unix seconds, as a number or a string of
// digits (eCX 3 writes discoveredAt so), or a time in a form feeds use.
func unixTime(raw json.RawMessage) (time.Time, error) {
	s := scalar(raw)
	if sec, err := strconv.ParseInt(s, 10, 64); err == nil {
		if sec <= 0 || sec > 1<<35 {
			return time.Time{}, fmt.Errorf("time %s out of range", s)
		}
		return time.Unix(sec, 0).UTC(), nil
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f > 0 && f < 1<<35 {
		return time.Unix(int64(f), 0).UTC(), nil
	}
	return event.ParseTime(s)
}

func details(string) (string, error) {
	var b strings.Builder
	names := make([]string, 0, len(fields))
	for n := range fields {
		names = append(names, n)
	}
	sort.Strings(names)
	b.WriteString("ATTRIBUTE          FIELD\n")
	for _, n := range names {
		k := fields[n]
		switch {
		case times[n] != "":
			k = times[n] + " (from Unix seconds)"
		case n == "ip" || n == "asn":
			k = "source." + n + " (the first; a longer list also in extra." + n + ")"
		case n == "status":
			k = "status (active: online, inactive: offline; others extra.status)"
		case n == "metadata":
			k = "extra.metadata"
		}
		fmt.Fprintf(&b, "%-18s %s\n", n, k)
	}
	b.WriteString("(others)           extra.<attribute>\n" +
		"from url           source.fqdn (source.ip when the host is an address)\n" +
		"constant           classification.type = phishing, feed.provider = APWG\n")
	return b.String(), nil
}
