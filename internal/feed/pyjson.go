package feed

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// PythonJSON appends v, a JSON value, to dst as Python's json.dumps
// writes it (", " and ": " separators, non-ASCII as \u escapes, keys in
// their order): IntelMQ's JSON parsers store each record so as raw, and
// raw must compare equal.
func PythonJSON(dst, v []byte) ([]byte, error) {
	d := json.NewDecoder(bytes.NewReader(v))
	d.UseNumber()
	dst, err := pyValue(dst, d)
	if err != nil {
		return dst, err
	}
	if _, err := d.Token(); err != io.EOF {
		return dst, errors.New("trailing data after JSON value")
	}
	return dst, nil
}

func pyValue(dst []byte, d *json.Decoder) ([]byte, error) {
	t, err := d.Token()
	if err != nil {
		return dst, err
	}
	switch t := t.(type) {
	case json.Delim:
		end := byte(']')
		if t == '{' {
			end = '}'
		}
		dst = append(dst, byte(t))
		for first := true; d.More(); first = false {
			if !first {
				dst = append(dst, ", "...)
			}
			if t == '{' {
				k, err := d.Token()
				if err != nil {
					return dst, err
				}
				dst = append(pyString(dst, k.(string)), ": "...)
			}
			if dst, err = pyValue(dst, d); err != nil {
				return dst, err
			}
		}
		if _, err := d.Token(); err != nil { // the closing delimiter
			return dst, err
		}
		return append(dst, end), nil
	case string:
		return pyString(dst, t), nil
	case json.Number:
		return pyNumber(dst, t)
	case bool:
		return strconv.AppendBool(dst, t), nil
	}
	return append(dst, "null"...), nil
}

// pyNumber writes an integer as is and a float as Python's repr does
// (1000.0, 1.5, 1e+16).
func pyNumber(dst []byte, n json.Number) ([]byte, error) {
	s := string(n)
	if !strings.ContainsAny(s, ".eE") {
		return append(dst, s...), nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return dst, err
	}
	if a := math.Abs(f); a != 0 && (a >= 1e16 || a < 1e-4) {
		return strconv.AppendFloat(dst, f, 'e', -1, 64), nil
	}
	start := len(dst)
	dst = strconv.AppendFloat(dst, f, 'f', -1, 64)
	if !bytes.ContainsRune(dst[start:], '.') {
		dst = append(dst, ".0"...)
	}
	return dst, nil
}

// pyString writes s as Python's json.dumps with ensure_ascii does.
func pyString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	u4 := func(dst []byte, r rune) []byte {
		return append(dst, '\\', 'u', hex[r>>12&15], hex[r>>8&15], hex[r>>4&15], hex[r&15])
	}
	dst = append(dst, '"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			dst = append(dst, '\\', byte(r))
		case r == '\n':
			dst = append(dst, `\n`...)
		case r == '\r':
			dst = append(dst, `\r`...)
		case r == '\t':
			dst = append(dst, `\t`...)
		case r == '\b':
			dst = append(dst, `\b`...)
		case r == '\f':
			dst = append(dst, `\f`...)
		case r >= ' ' && r <= '~':
			dst = append(dst, byte(r))
		case r > 0xffff:
			r1, r2 := utf16.EncodeRune(r)
			dst = u4(u4(dst, r1), r2)
		case r == utf8.RuneError:
			dst = u4(dst, 0xfffd)
		default:
			dst = u4(dst, r)
		}
	}
	return append(dst, '"')
}

// PythonJSONSorted is PythonJSON with json.dumps's sort_keys.
func PythonJSONSorted(dst, v []byte) ([]byte, error) {
	d := json.NewDecoder(bytes.NewReader(v))
	d.UseNumber()
	var x any
	if err := d.Decode(&x); err != nil {
		return dst, err
	}
	if _, err := d.Token(); err != io.EOF {
		return dst, errors.New("trailing data after JSON value")
	}
	return pySorted(dst, x)
}

func pySorted(dst []byte, x any) ([]byte, error) {
	var err error
	switch x := x.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		dst = append(dst, '{')
		for i, k := range keys {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			dst = append(pyString(dst, k), ": "...)
			if dst, err = pySorted(dst, x[k]); err != nil {
				return dst, err
			}
		}
		return append(dst, '}'), nil
	case []any:
		dst = append(dst, '[')
		for i, v := range x {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			if dst, err = pySorted(dst, v); err != nil {
				return dst, err
			}
		}
		return append(dst, ']'), nil
	case string:
		return pyString(dst, x), nil
	case json.Number:
		return pyNumber(dst, x)
	case bool:
		return strconv.AppendBool(dst, x), nil
	}
	return append(dst, "null"...), nil
}
