package event

import (
	"encoding/json"
	"testing"
)

// FuzzSet checks that any value for any key is either refused or stored in
// a form that encodes to valid JSON, survives a decode, and is stable: a
// normalised value normalises to itself.
func FuzzSet(f *testing.F) {
	for _, s := range []struct{ k, v string }{
		{"source.ip", "192.0.2.1"}, {"source.fqdn", "Bücher.Example."}, {"time.source", "2018-04-19 00:02:26 UTC"},
		{"source.network", "10.0.0.1/8"}, {"source.asn", "AS1"}, {"source.url", "http://x/\u2028"},
		{"extra.x", "\xff"}, {"classification.type", "scanner"}, {"feed.accuracy", "1e2"},
	} {
		f.Add(s.k, s.v)
	}
	f.Fuzz(func(t *testing.T, key, value string) {
		var e Event
		if err := e.Set(key, value); err != nil {
			return
		}
		b := e.AppendJSON(nil)
		if !json.Valid(b) {
			t.Fatalf("Set(%q, %q) encodes to invalid JSON %s", key, value, b)
		}
		got, ok := e.Get(key)
		if !ok {
			return // an ignored value
		}
		if IsExtra(key) {
			return
		}
		var again Event
		if err := again.Set(key, got); err != nil {
			t.Fatalf("canonical %q for %s refused: %v", got, key, err)
		}
		if g2, _ := again.Get(key); g2 != got {
			t.Fatalf("%s: %q normalised to %q, then to %q", key, value, got, g2)
		}
	})
}

// TestPlainTypesNeedNoEscaping backs the plainType shortcut: values of
// those types, once normalised, contain nothing JSON must escape.
func TestPlainTypesNeedNoEscaping(t *testing.T) {
	ins := map[string]string{
		"source.ip": "2001:db8::1", "source.network": "192.0.2.0/24", "source.fqdn": "bücher_x.example",
		"time.source": "2018-04-19 00:02:26.5", "classification.type": "ids-alert", "tlp": "amber+strict",
		"raw": "+/8=", "classification.taxonomy": "other",
	}
	for key, in := range ins {
		k, _ := LookupKey(key)
		if !plainType[k.Type] {
			t.Errorf("%s: type %s not marked plain", key, k.Type)
		}
		var e Event
		if err := e.Set(key, in); err != nil {
			t.Fatalf("Set(%s, %q): %v", key, in, err)
		}
		v, _ := e.Get(key)
		if got := string(appendString(nil, v)); got != `"`+v+`"` {
			t.Errorf("%s: %q needs escaping (%s)", key, v, got)
		}
	}
}
