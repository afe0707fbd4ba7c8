package event

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"github.com/qalxan/qalxan/internal/errs"
)

// AppendJSON appends e as one flat JSON object, keys sorted, the shape
// IntelMQ writes (without its "__type" marker).
func (e *Event) AppendJSON(b []byte) []byte {
	e.sort()
	b = append(b, '{')
	for i := range e.fields {
		f := &e.fields[i] // not a copy of the field: its 40 bytes, for every field of every event
		if i > 0 {
			b = append(b, ',')
		}
		if f.rank != extraRank || f.plainKey { // a known key, or a checked one: plain ASCII
			b = append(b, '"')
			b = append(b, f.Key...)
			b = append(b, '"', ':')
		} else {
			b = appendString(b, f.Key)
			b = append(b, ':')
		}
		switch {
		case f.Kind == kindRawJoined:
			b = append(b, '"')
			b = e.appendRaw(b, f.Value)
			b = append(b, '"')
		case f.Kind == KindString && f.plain:
			b = append(b, '"')
			b = append(b, f.Value...)
			b = append(b, '"')
		case f.Kind == KindString:
			b = appendString(b, f.Value)
		default:
			b = append(b, f.Value...)
		}
	}
	return append(b, '}')
}

// MarshalJSON implements json.Marshaler.
func (e *Event) MarshalJSON() ([]byte, error) { return e.AppendJSON(nil), nil }

// UnmarshalJSON reads a flat JSON object (IntelMQ's event shape), setting
// every key through Set so values are validated. "__type" is skipped; a
// nested "extra" object is flattened to extra.* keys as IntelMQ does.
func (e *Event) UnmarshalJSON(data []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return errs.E(errs.Invalid, "event: %v", err)
	}
	e.Reset()
	for key, raw := range m {
		if err := e.setJSON(key, raw); err != nil {
			return err
		}
	}
	return nil
}

func (e *Event) setJSON(key string, raw json.RawMessage) error {
	switch {
	case key == "__type":
		return nil
	case key == "extra":
		var sub map[string]json.RawMessage
		if err := json.Unmarshal(raw, &sub); err != nil {
			return errs.Field(key, "want a JSON object")
		}
		for k, v := range sub {
			if err := e.SetExtraJSON(ExtraPrefix+k, v); err != nil {
				return err
			}
		}
		return nil
	case IsExtra(key):
		return e.SetExtraJSON(key, raw)
	}
	var s string
	if len(raw) > 0 && raw[0] == '"' {
		if err := json.Unmarshal(raw, &s); err != nil {
			return errs.Field(key, "invalid JSON string")
		}
	} else {
		s = string(bytes.TrimSpace(raw))
		if s == "null" {
			return nil
		}
	}
	return e.Set(key, s)
}

// appendString writes s as a JSON string. Invalid UTF-8 becomes U+FFFD, as
// encoding/json does; <, > and & are left alone (this is data, not HTML).
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		// Skip plain ASCII: keys and values are mostly plain.
		i += plainLen(s[i:])
		if i == len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, `\u202`...)
			b = strconv.AppendInt(b, int64(r&0xf), 16)
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// plainLen returns how many bytes at the start of s are plain (see
// plain), looking at eight at a time while none of them needs a look. It
// is a loop of its own, apart from appendString, so that the compiler
// keeps it in registers.
func plainLen(s string) int {
	i := 0
	for ; len(s)-i >= 8 && plainWord(word(s[i:])); i += 8 {
	}
	for i < len(s) && plain[s[i]] {
		i++
	}
	return i
}

// word is the first eight bytes of s, little-endian (one load).
func word(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// plainWord reports whether the eight bytes of x are all plain: none
// below 0x20, none a quote or a backslash, none 0x80 or above. The word
// tricks (haszero, hasless) are exact as yes-or-no answers. It and word
// are small enough to be inlined in plainLen's loop: as one function
// they were not, and a call per eight bytes cost more than the test.
func plainWord(x uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	quote, backslash := x^(ones*'"'), x^(ones*'\\')
	special := (x - ones*0x20) & ^x // a byte below 0x20
	special |= (quote - ones) & ^quote
	special |= (backslash - ones) & ^backslash
	special |= x // a byte of 0x80 or above
	return special&highs == 0
}

// plain marks the bytes written as they are in a JSON string.
var plain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()
