package lookalike

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/mtibben/confusables"
)

// Fold reduces a name to what a reader sees: Azerbaijani letters to their
// ASCII stand-ins (ə→e, ş→s), characters of other scripts to the ASCII
// letter they pass for (UTS #39 skeleton: Cyrillic "а" → "a"), accents
// dropped, digits that read as letters (0→o, 1→l) and letter pairs that
// read as one (rn→m, vv→w) merged. Two names that fold to the same string
// look the same; brand and domain are both folded before comparing, so
// the folding need not be a real spelling.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range strings.ToLower(s) {
		if r < utf8.RuneSelf {
			switch r {
			case '0':
				r = 'o'
			case '1':
				r = 'l'
			}
			b.WriteRune(r)
			continue
		}
		b.WriteString(foldRune(r))
	}
	out := b.String()
	if strings.Contains(out, "rn") {
		out = strings.ReplaceAll(out, "rn", "m")
	}
	if strings.Contains(out, "vv") {
		out = strings.ReplaceAll(out, "vv", "w")
	}
	return out
}

var foldCache sync.Map // rune → string: Skeleton allocates, names repeat their letters

func foldRune(r rune) string {
	if f, ok := azFold[r]; ok {
		return string(f)
	}
	if v, ok := foldCache.Load(r); ok {
		return v.(string)
	}
	sk := strings.ToLower(confusables.Skeleton(string(r)))
	sk = strings.Map(func(m rune) rune {
		if unicode.Is(unicode.Mn, m) {
			return -1
		}
		return m
	}, sk)
	if sk == "" {
		sk = string(r)
	}
	foldCache.Store(r, sk)
	return sk
}

// squash drops the characters that separate words in a name, so
// "example-bank.login" contains "examplebank".
func squash(s string) string {
	if !strings.ContainsAny(s, ".-_") {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == '.' || r == '-' || r == '_' {
			return -1
		}
		return r
	}, s)
}
