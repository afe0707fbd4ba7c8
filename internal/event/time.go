package event

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// timeLayouts are the forms the feeds we take write times in, tried after
// the fast path. A time without a zone is UTC (IntelMQ does the same).
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05 MST",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05-0700",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04",
	"2006-01-02T15:04Z07:00",
	"2006-01-02",
	time.RFC1123,
	time.RFC1123Z,
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04:05 -0700",
	time.RFC850,
	time.ANSIC,
	time.UnixDate,
	"2006/01/02 15:04:05",
	"01/02/2006 15:04:05",
	"02.01.2006 15:04:05",
	"2006-01-02 15:04:05 -07:00",
	"2006-01-02 15:04:05 UTC",
	"2006-01-02T15:04:05.999999999 UTC",
	"2 Jan 2006 15:04:05 MST",
	"2 Jan 2006 15:04:05 -0700",
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// ParseTime reads a time in any of the forms feeds use and returns it in
// UTC. Zone abbreviations other than UTC and GMT are refused: Go cannot
// know their offsets.
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, ok := fastTime(s); ok {
		return t, nil
	}
	for _, l := range timeLayouts {
		t, err := time.Parse(l, s)
		if err != nil {
			continue
		}
		if name, off := t.Zone(); off == 0 && name != "" && name != "UTC" && name != "GMT" && name != "Z" {
			continue
		}
		return t.UTC(), nil
	}
	// A weekday, however spelt ("Thur, 19 Apr 2018 ..." occurs), adds
	// nothing to the date that follows it.
	if i := strings.Index(s, ", "); i > 1 && i <= 9 && isLetters(s[:i]) {
		return ParseTime(s[i+2:])
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && len(s) >= 9 && len(s) <= 10 {
		return time.Unix(n, 0).UTC(), nil // seconds since the epoch
	}
	return time.Time{}, errors.New("not a date and time")
}

// fastTime parses "2006-01-02 15:04:05" optionally followed by " UTC", "Z"
// or "+00:00" (Shadowserver's form, millions of times per report) without
// the layout machinery.
func fastTime(s string) (time.Time, bool) {
	if len(s) < 19 {
		return time.Time{}, false
	}
	switch s[19:] {
	case "", " UTC", "Z", "+00:00", " GMT":
	default:
		return time.Time{}, false
	}
	if s[4] != '-' || s[7] != '-' || (s[10] != ' ' && s[10] != 'T') || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	num := func(a, b int) (int, bool) {
		n := 0
		for i := a; i < b; i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	y, ok1 := num(0, 4)
	mo, ok2 := num(5, 7)
	d, ok3 := num(8, 10)
	h, ok4 := num(11, 13)
	mi, ok5 := num(14, 16)
	se, ok6 := num(17, 19)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || se > 59 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, se, 0, time.UTC)
	if t.Day() != d { // 31 February and the like
		return time.Time{}, false
	}
	return t, true
}

// FormatTime writes t as IntelMQ does: UTC, RFC 3339 with a +00:00 offset,
// microseconds only when there are any.
func FormatTime(t time.Time) string {
	t = t.UTC()
	y, mo, d := t.Date()
	if t.Nanosecond()/1000 != 0 || y < 0 || y > 9999 {
		return t.Format("2006-01-02T15:04:05.000000+00:00")
	}
	// By hand: time.Format's layout interpreter is a fifth of the cost of
	// building an event.
	h, mi, s := t.Clock()
	var b [25]byte
	put := func(i, n, w int) {
		for j := i + w - 1; j >= i; j-- {
			b[j] = byte('0' + n%10)
			n /= 10
		}
	}
	put(0, y, 4)
	b[4] = '-'
	put(5, int(mo), 2)
	b[7] = '-'
	put(8, d, 2)
	b[10] = 'T'
	put(11, h, 2)
	b[13] = ':'
	put(14, mi, 2)
	b[16] = ':'
	put(17, s, 2)
	copy(b[19:], "+00:00")
	return string(b[:])
}
