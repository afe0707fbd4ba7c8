package abusech

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/qalxan/qalxan/internal/event"
	"github.com/qalxan/qalxan/internal/feed"
)

// feodoFields maps Feodo Tracker's attributes to event keys; attributes
// not listed go to extra.<name>.
var feodoFields = map[string]string{
	"ip_address":  "source.ip",
	"port":        "source.port",
	"status":      "status",
	"hostname":    "source.reverse_dns",
	"as_number":   "source.asn",
	"as_name":     "source.as_name",
	"country":     "source.geolocation.cc",
	"first_seen":  "time.source",
	"malware":     "malware.name",
	"last_online": "extra.last_online",
}

func parseFeodo(ctx context.Context, r io.Reader, rep feed.Report, emit feed.Emit) (feed.Stats, error) {
	var st feed.Stats
	base := event.New(8)
	if err := setBase(rep, base, "Abuse.ch Feodo Tracker", "classification.type", "c2-server"); err != nil {
		return st, err
	}
	e := event.New(16)
	var raw []byte
	err := feed.EachRecord(ctx, r, func(n int, rec json.RawMessage) error {
		st.Rows++
		e.CopyFrom(base)
		var err error
		// IntelMQ keeps each record as a one-element list.
		raw, err = feed.PythonJSON(append(raw[:0], '['), rec)
		if err == nil {
			err = feodoRecord(e, rec)
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

func feodoRecord(e *event.Event, rec json.RawMessage) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(rec, &m); err != nil {
		return fmt.Errorf("not a JSON object: %v", err)
	}
	for name, v := range m {
		if bytes.Equal(v, []byte("null")) {
			continue
		}
		key, ok := feodoFields[name]
		if !ok {
			if err := e.SetExtraJSON(event.ExtraPrefix+name, v); err != nil {
				return err
			}
			continue
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			s = string(v) // a number
		}
		if err := e.Set(key, s); err != nil {
			return err
		}
	}
	if !e.Has("source.ip") {
		return fmt.Errorf("no ip_address")
	}
	// A C2 server never seen first has only its last day online.
	if last, ok := e.Get("extra.last_online"); ok && !e.Has("time.source") {
		return e.Set("time.source", last)
	}
	return nil
}
