package genericcsv

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/qalxan/qalxan/internal/event"
	"github.com/qalxan/qalxan/internal/feed"
)

// parseJSON reads a JSON feed: an array of objects, or objects one after
// another (JSON Lines included), streaming either way. A record that is
// not an object, or whose values do not fit their keys, is a bad row
// (its number as the line); broken JSON syntax ends the report, since
// nothing after it can be found again.
func (p *Parser) parseJSON(ctx context.Context, r io.Reader, rep feed.Report, base *event.Event, emit feed.Emit) (feed.Stats, error) {
	var st feed.Stats
	br := bufio.NewReaderSize(r, 64<<10)
	dec := json.NewDecoder(br)
	array := false
	if b, err := peekNonSpace(br); err == nil && b == '[' {
		if _, err := dec.Token(); err != nil {
			return st, err
		}
		array = true
	}
	e := event.New(20)
	var raw bytes.Buffer
	for n := 1; ; n++ {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return st, err
			}
		}
		if array && !dec.More() {
			break
		}
		var rec json.RawMessage
		if err := dec.Decode(&rec); err != nil {
			if !array && errors.Is(err, io.EOF) {
				break
			}
			return st, fmt.Errorf("record %d: %w", n, err)
		}
		st.Rows++
		e.CopyFrom(base)
		if err := p.record(e, rec); err != nil {
			st.AddBad(rep, feed.BadRow{Line: n, Reason: err.Error()})
			continue
		}
		raw.Reset()
		if json.Compact(&raw, rec) != nil {
			raw.Write(rec)
		}
		e.SetRaw(raw.Bytes())
		e.Line = n
		if err := emit(e); err != nil {
			return st, err
		}
		st.Events++
	}
	return st, nil
}

// record sets e's fields from one JSON record.
func (p *Parser) record(e *event.Event, rec json.RawMessage) error {
	d := json.NewDecoder(bytes.NewReader(rec))
	d.UseNumber() // numbers as written: no float rounding of ports, ASNs or ids
	var m map[string]any
	if err := d.Decode(&m); err != nil || m == nil {
		return fmt.Errorf("not a JSON object")
	}
	for _, f := range p.fields {
		v, ok := lookupPath(m, f.path)
		if !ok {
			continue
		}
		s, ok := jsonText(v)
		if !ok || event.IsIgnored(strings.TrimSpace(s)) {
			continue
		}
		s = strings.TrimSpace(s)
		var err error
		for _, k := range f.keys {
			if _, text := v.(string); !text && event.IsExtra(k.Name) {
				// Numbers, booleans, lists and objects keep their JSON type
				// in extra.*, as IntelMQ's JSON parsers keep them.
				b, _ := json.Marshal(v)
				err = e.SetExtraJSON(k.Name, b)
			} else {
				err = e.SetKey(k, p.value(k, s))
			}
			if err == nil {
				break
			}
		}
		if err != nil {
			return fmt.Errorf("%s: %v", f.name, err)
		}
	}
	return nil
}

// lookupPath follows members into nested objects.
func lookupPath(m map[string]any, path []string) (any, bool) {
	var v any = m
	for _, name := range path {
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = obj[name]; !ok {
			return nil, false
		}
	}
	return v, true
}

// jsonText is a value as an event field's text: strings as they are,
// numbers as written, booleans, and objects or arrays as compact JSON
// (for extra.* keys). null is no value.
func jsonText(v any) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "", false
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	case bool:
		if x {
			return "true", true
		}
		return "false", true
	default:
		b, err := json.Marshal(x)
		return string(b), err == nil
	}
}

// peekNonSpace returns the first byte that is not white space, leaving
// it unread.
func peekNonSpace(br *bufio.Reader) (byte, error) {
	for {
		b, err := br.ReadByte()
		if err != nil {
			return 0, err
		}
		if b != ' ' && b != '\t' && b != '\n' && b != '\r' {
			return b, br.UnreadByte()
		}
	}
}
