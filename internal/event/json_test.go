package event

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func sample(t testing.TB) *Event {
	t.Helper()
	e := New(0)
	for _, kv := range [][2]string{
		{"time.source", "2018-04-19 00:02:26"},
		{"source.ip", "192.0.2.1"},
		{"source.port", "8080"},
		{"source.asn", "64496"},
		{"classification.type", "vulnerable-system"},
		{"classification.identifier", "open-rdp"},
		{"source.tor_node", "false"},
		{"source.geolocation.latitude", "1.5"},
		{"event_description.text", "quote \" backslash \\ newline \n tab \t ctl \x01 \u2028 é"},
		{"extra.note", "x"},
	} {
		if err := e.Set(kv[0], kv[1]); err != nil {
			t.Fatalf("Set(%q): %v", kv[0], err)
		}
	}
	e.SetExtraInt("extra.naics", 517311)
	e.SetExtraBool("extra.vulnerable", true)
	e.SetExtraFloat("extra.ratio", 0.25)
	if err := e.SetExtraJSON("extra.list", []byte(`[1, "a", {"b": null}]`)); err != nil {
		t.Fatal(err)
	}
	e.SetRaw([]byte("a,b\n1,2"))
	return e
}

func TestJSONIsFlatSortedAndValid(t *testing.T) {
	e := sample(t)
	b := e.AppendJSON(nil)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("AppendJSON gave invalid JSON %s: %v", b, err)
	}
	if got := m["source.port"]; got != 8080.0 {
		t.Errorf("source.port: got %v (%T), want the number 8080", got, got)
	}
	if got := m["extra.vulnerable"]; got != true {
		t.Errorf("extra.vulnerable: got %v, want true", got)
	}
	if got, want := m["event_description.text"], "quote \" backslash \\ newline \n tab \t ctl \x01 \u2028 é"; got != want {
		t.Errorf("text: got %q, want %q", got, want)
	}
	// encoding/json writes map keys sorted: our output must equal its.
	want, _ := json.Marshal(m)
	var again map[string]any
	json.Unmarshal(want, &again)
	if !reflect.DeepEqual(m, again) {
		t.Errorf("round trip through encoding/json changed the value")
	}
	prev := ""
	for _, f := range e.Fields() {
		if f.Key <= prev {
			t.Errorf("key %q after %q: want sorted", f.Key, prev)
		}
		prev = f.Key
	}
}

func TestJSONRoundTrip(t *testing.T) {
	e := sample(t)
	b, _ := json.Marshal(e)
	var back Event
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("Unmarshal(%s): %v", b, err)
	}
	if got := back.AppendJSON(nil); string(got) != string(b) {
		t.Errorf("round trip:\n got %s\nwant %s", got, b)
	}
}

func TestUnmarshalIntelMQShape(t *testing.T) {
	in := `{"__type": "Event", "source.ip": "192.0.2.1", "source.port": 80, "extra": {"a": 1},
		"extra.b": "x", "time.source": "2018-04-19T00:02:26+00:00", "source.tor_node": false}`
	var e Event
	if err := json.Unmarshal([]byte(in), &e); err != nil {
		t.Fatal(err)
	}
	want := `{"extra.a":1,"extra.b":"x","source.ip":"192.0.2.1","source.port":80,"source.tor_node":false,"time.source":"2018-04-19T00:02:26+00:00"}`
	if got := string(e.AppendJSON(nil)); got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if err := json.Unmarshal([]byte(`{"source.ip": "nope"}`), &e); err == nil {
		t.Error("invalid source.ip: got no error, want one")
	}
	if err := json.Unmarshal([]byte(`{"bogus": "x"}`), &e); err == nil {
		t.Error("unknown key: got no error, want one")
	}
}

func TestResetAndCloneAreIndependent(t *testing.T) {
	e := sample(t)
	c := e.Clone()
	n := e.Len()
	e.Reset()
	if e.Len() != 0 || c.Len() != n {
		t.Errorf("after Reset: got lengths %d and %d, want 0 and %d", e.Len(), c.Len(), n)
	}
	c.Delete("source.ip")
	if c.Has("source.ip") || c.Len() != n-1 {
		t.Errorf("Delete: got %d fields, want %d", c.Len(), n-1)
	}
}

func TestManyFieldsSort(t *testing.T) {
	e := New(0)
	for i := 99; i >= 0; i-- { // more than the insertion-sort limit, in reverse
		e.SetExtraInt(fmt.Sprintf("extra.k%03d", i), int64(i))
	}
	e.Set("source.ip", "192.0.2.1")
	prev := ""
	for _, f := range e.Fields() {
		if f.Key <= prev {
			t.Fatalf("key %q after %q: want sorted", f.Key, prev)
		}
		prev = f.Key
	}
}

// TestPlain8 checks the eight-byte test against the byte table, for every
// byte value at every position.
func TestPlain8(t *testing.T) {
	for pos := range 8 {
		for c := range 256 {
			b := []byte("abcdefgh")
			b[pos] = byte(c)
			if got, want := plainWord(word(string(b))), plain[c]; got != want {
				t.Fatalf("byte %#x at %d: got %v, want %v", c, pos, got, want)
			}
		}
	}
	for _, s := range []string{"\x1f\x1f\x1f\x1f\x1f\x1f\x1f\x1f", "\"\\\"\\\"\\\"\\", "\xff\xfe\x80\x81\x00\x01\x02\x03", "~~~~~~~~", "        "} {
		if got, want := plainWord(word(s)), !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == '"' || r == '\\' || r >= 0x80 }); got != want {
			t.Errorf("%q: got %v, want %v", s, got, want)
		}
	}
}

// appendStringRef is appendString written one byte at a time, without the
// eight-byte skip, for FuzzAppendString to compare with.
func appendStringRef(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c == '\n':
			b = append(b, `\n`...)
		case c == '\r':
			b = append(b, `\r`...)
		case c == '\t':
			b = append(b, `\t`...)
		case c < 0x20:
			b = fmt.Appendf(b, `\u%04x`, c)
		case c < utf8.RuneSelf:
			b = append(b, c)
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				b = append(b, `\ufffd`...)
			case r == '\u2028' || r == '\u2029':
				b = fmt.Appendf(b, `\u%04x`, r)
			default:
				b = append(b, s[i:i+size]...)
			}
			i += size
			continue
		}
		i++
	}
	return append(b, '"')
}

// FuzzAppendString checks appendString against the byte-at-a-time
// reference, and that encoding/json reads back from it what it reads from
// its own encoding of the same string.
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "plain ascii text, long enough", "quote \" backslash \\ newline \n tab \t ctl \x01 \u2028 é",
		"\xff\xfe", "12345678\"", "1234567\x7f8", "EC:BB:4D:DB:9F:0C:D3:FF:5B:49:EA:B1:56:62:B6:A7:5D:60:54:42"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := appendString([]byte("x"), s)
		if want := appendStringRef([]byte("x"), s); string(got) != string(want) {
			t.Fatalf("appendString(%q) = %s, want %s", s, got, want)
		}
		var back, viaJSON string
		if err := json.Unmarshal(got[1:], &back); err != nil {
			t.Fatalf("appendString(%q) = %s: %v", s, got, err)
		}
		std, _ := json.Marshal(s)
		json.Unmarshal(std, &viaJSON)
		if back != viaJSON {
			t.Fatalf("%q reads back as %q, through encoding/json as %q", s, back, viaJSON)
		}
	})
}
