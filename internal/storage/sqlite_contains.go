package storage

import (
	"database/sql/driver"
	"strings"
	"sync"

	msqlite "modernc.org/sqlite"
)

// containsFoldSQL is the SQLite function free-text search calls:
// qalxan_contains_fold(text, needle) is 1 when needle occurs in text,
// ASCII letters matching either case (needle is given in lower case).
// It is what LIKE '%needle%' means, but LIKE's matcher reads a character
// at a time through SQLite's pattern engine: on 200k events of 1 KB a
// search took 3.4 s, all of it in LIKE (BenchmarkSearchEvents/text).
const containsFoldSQL = "qalxan_contains_fold"

func init() {
	msqlite.MustRegisterFunction(containsFoldSQL, &msqlite.FunctionImpl{
		NArgs:         2,
		Deterministic: true,
		// The text is only read during the call, never kept: no copy.
		VolatileArgs: true,
		Scalar: func(_ *msqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			text, _ := args[0].(string)
			needle, _ := args[1].(string)
			if containsFold(text, needle) {
				return int64(1), nil
			}
			return int64(0), nil
		},
	})
}

// lowered holds the buffers containsFold lowers text into.
var lowered = sync.Pool{New: func() any { return new([]byte) }}

// containsFold reports whether needle, in lower case, occurs in text with
// ASCII letters in either case. A needle without letters needs no
// folding; otherwise text is lowered into a pooled buffer and searched
// with strings.Index, which stays fast whatever the text repeats.
func containsFold(text, needle string) bool {
	if !hasASCIILetter(needle) {
		return strings.Contains(text, needle)
	}
	bp := lowered.Get().(*[]byte)
	b := appendASCIILower((*bp)[:0], text)
	found := strings.Contains(string(b), needle)
	*bp = b
	lowered.Put(bp)
	return found
}

func hasASCIILetter(s string) bool {
	for i := range len(s) {
		if c := s[i] | 0x20; 'a' <= c && c <= 'z' {
			return true
		}
	}
	return false
}

// asciiLower lowers the ASCII letters of s and leaves the rest: the
// needle of containsFold, which folds only those in the text.
func asciiLower(s string) string { return string(appendASCIILower(nil, s)) }

// appendASCIILower appends s to b with 'A' to 'Z' lowered; every other
// byte, those of multi-byte UTF-8 sequences included, is kept.
func appendASCIILower(b []byte, s string) []byte {
	n := len(b)
	b = append(b, s...)
	for i, c := range b[n:] {
		if 'A' <= c && c <= 'Z' {
			b[n+i] = c + 'a' - 'A'
		}
	}
	return b
}
