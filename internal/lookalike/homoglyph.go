package lookalike

import (
	"strings"
	"sync"
	"unicode"

	"github.com/mtibben/confusables"
)

// glyphBlocks are the Unicode blocks searched for confusables: Latin
// (with its extensions and IPA), Greek and Cyrillic — the scripts a
// registry in this region accepts and a reader cannot tell apart.
var glyphBlocks = [][2]rune{
	{0x00C0, 0x024F}, // Latin-1 Supplement, Latin Extended-A and -B
	{0x0250, 0x02AF}, // IPA Extensions
	{0x0370, 0x03FF}, // Greek
	{0x0400, 0x052F}, // Cyrillic and its supplement
	{0x1E00, 0x1EFF}, // Latin Extended Additional
}

// asciiGlyphs are confusions within ASCII that UTS #39 leaves out or maps
// the other way round (its skeleton of "m" is "rn"): what a glance at a
// URL bar confuses.
var asciiGlyphs = map[string][]string{
	"0": {"o"}, "1": {"l", "i"}, "o": {"0"}, "l": {"1", "i"}, "i": {"1", "l"},
	"m": {"rn", "nn"}, "rn": {"m"}, "w": {"vv"}, "vv": {"w"}, "d": {"cl"}, "cl": {"d"},
	"g": {"q"}, "q": {"g"}, "u": {"v"}, "v": {"u"},
}

var (
	glyphOnce sync.Once
	glyphs    map[rune][]rune
)

// homoglyphs maps an ASCII letter or digit to the single characters whose
// UTS #39 skeleton is the same (Cyrillic "а" for "a", Greek "ο" for "o"),
// plus the Azerbaijani letters it stands in for. Only characters a
// registry would accept as they are qualify: upper case and characters
// that IDNA maps to something else never reach a zone. Built on first use
// from the library's table, about a millisecond.
func homoglyphs() map[rune][]rune {
	glyphOnce.Do(func() {
		glyphs = map[rune][]rune{}
		for _, b := range glyphBlocks {
			for r := b[0]; r <= b[1]; r++ {
				if !unicode.IsLetter(r) || unicode.IsUpper(r) || unicode.IsTitle(r) {
					continue
				}
				target, ok := glyphTarget(r)
				if !ok {
					continue
				}
				if u, err := profile.ToUnicode(string(r)); err != nil || u != string(r) {
					continue
				}
				if a, err := profile.ToASCII(string(r)); err != nil || a == string(r) {
					continue
				}
				glyphs[target] = append(glyphs[target], r)
			}
		}
		for k, rs := range asciiStandIns {
			for _, r := range rs {
				if !containsRune(glyphs[k], r) {
					glyphs[k] = append(glyphs[k], r)
				}
			}
		}
	})
	return glyphs
}

// glyphTarget is the ASCII letter or digit r passes for: its UTS #39
// skeleton, or for the accented Latin letters of Latin-1 and Latin
// Extended-A, the base letter (at URL-bar size "é" reads as "e"; UTS #39
// does not call them confusable because they are distinct letters).
func glyphTarget(r rune) (rune, bool) {
	sk := confusables.Skeleton(string(r))
	if r <= 0x017F {
		sk = strings.TrimRightFunc(sk, func(m rune) bool { return unicode.Is(unicode.Mn, m) })
	}
	if len(sk) != 1 {
		return 0, false
	}
	t := rune(sk[0])
	return t, t >= 'a' && t <= 'z' || t >= '0' && t <= '9'
}
