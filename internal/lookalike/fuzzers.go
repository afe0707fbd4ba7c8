package lookalike

import (
	"maps"
	"slices"
	"strings"
)

// fuzzer is one way of twisting a domain: a name, as dnstwist calls it,
// and a function from the parsed domain to candidate names (Unicode; they
// are validated and converted to punycode by Generate).
type fuzzer struct {
	name string
	fn   func(n name) []string
}

// fuzzers in the order they own names: when two fuzzers make the same
// name, the first one is reported, so the specific explanations come
// before the generic ones ("examplebanks.az" is a plural before it is an
// addition, "exampləbank.az" a homoglyph before a keyboard slip).
var fuzzers = []fuzzer{
	{"homoglyph", labelFuzz(homoglyph)},
	{"plural", labelFuzz(plural)},
	{"dictionary", labelFuzz(dictionaryWords)},
	{"tld-swap", tldSwap},
	{"various", various},
	{"subdomain", labelFuzz(subdomain)},
	{"hyphenation", labelFuzz(hyphenation)},
	{"transposition", labelFuzz(transposition)},
	{"vowel-swap", labelFuzz(vowelSwap)},
	{"omission", labelFuzz(omission)},
	{"repetition", labelFuzz(repetition)},
	{"replacement", labelFuzz(replacement)},
	{"insertion", labelFuzz(insertion)},
	{"addition", labelFuzz(addition)},
	{"bitsquatting", labelFuzz(bitsquatting)},
}

// FuzzerNames lists the fuzzers in report order.
func FuzzerNames() []string {
	out := make([]string, len(fuzzers))
	for i, f := range fuzzers {
		out[i] = f.name
	}
	return out
}

// labelFuzz lifts a function on the twisted label to one on the name.
func labelFuzz(f func(l []rune) []string) func(n name) []string {
	return func(n name) []string {
		labels := f([]rune(n.label))
		out := make([]string, 0, len(labels))
		for _, l := range labels {
			out = append(out, n.join(l))
		}
		return out
	}
}

const alnum = "abcdefghijklmnopqrstuvwxyz0123456789"

func addition(l []rune) []string {
	out := make([]string, 0, len(alnum))
	for _, c := range alnum {
		out = append(out, string(l)+string(c))
	}
	return out
}

// bitsquatting flips one bit of one character, as a faulty memory cell
// does to a name on its way to the resolver; only flips that still give a
// host-name character count.
func bitsquatting(l []rune) []string {
	var out []string
	for i, c := range l {
		if c >= 0x80 {
			continue
		}
		for b := 0; b < 8; b++ {
			f := c ^ (1 << b)
			if f >= 'a' && f <= 'z' || f >= '0' && f <= '9' || f == '-' {
				out = append(out, replaceAt(l, i, string(f)))
			}
		}
	}
	return out
}

// homoglyph replaces one character with one that looks the same: UTS #39
// confusables from other scripts, the Azerbaijani letters and their ASCII
// stand-ins (ə→e and e→ə), and ASCII pairs such as rn/m and 1/l. Stand-ins
// also replace every occurrence at once, since "ədliyyə" is spelled
// "edliyye", not "edliyyə".
func homoglyph(l []rune) []string {
	var out []string
	g := homoglyphs()
	s := string(l)
	for i, c := range l {
		for _, r := range g[c] {
			out = append(out, replaceAt(l, i, string(r)))
		}
		for _, st := range standIns[c] {
			out = append(out, replaceAt(l, i, st))
		}
	}
	for _, from := range slices.Sorted(maps.Keys(asciiGlyphs)) {
		tos := asciiGlyphs[from]
		for i := strings.Index(s, from); i >= 0; {
			for _, to := range tos {
				out = append(out, s[:i]+to+s[i+len(from):])
			}
			j := strings.Index(s[i+1:], from)
			if j < 0 {
				break
			}
			i += 1 + j
		}
	}
	for _, c := range slices.Sorted(maps.Keys(standIns)) {
		sts := standIns[c]
		if c == 'i' || !strings.ContainsRune(s, c) {
			continue
		}
		for _, st := range sts {
			out = append(out, strings.ReplaceAll(s, string(c), st))
		}
	}
	if all := foldAz(s); all != s {
		out = append(out, all)
	}
	return out
}

func hyphenation(l []rune) []string {
	var out []string
	for i := 1; i < len(l); i++ {
		out = append(out, string(l[:i])+"-"+string(l[i:]))
	}
	return out
}

// insertion adds a neighbouring key before or after a character: a finger
// touching two keys at once.
func insertion(l []rune) []string {
	var out []string
	for i, c := range l {
		for _, n := range neighbours[c] {
			out = append(out, string(l[:i])+string(n)+string(l[i:]), string(l[:i+1])+string(n)+string(l[i+1:]))
		}
	}
	return out
}

func omission(l []rune) []string {
	out := make([]string, 0, len(l))
	for i := range l {
		out = append(out, string(l[:i])+string(l[i+1:]))
	}
	return out
}

// plural adds or drops the English plural ending.
func plural(l []rune) []string {
	s := string(l)
	var out []string
	switch {
	case strings.HasSuffix(s, "s"), strings.HasSuffix(s, "x"), strings.HasSuffix(s, "z"), strings.HasSuffix(s, "ch"), strings.HasSuffix(s, "sh"):
		out = append(out, s+"es")
	default:
		out = append(out, s+"s")
	}
	if strings.HasSuffix(s, "s") && len(l) > 2 {
		out = append(out, strings.TrimSuffix(s, "s"))
	}
	return out
}

func repetition(l []rune) []string {
	var out []string
	for i, c := range l {
		if c != '-' {
			out = append(out, string(l[:i+1])+string(c)+string(l[i+1:]))
		}
	}
	return out
}

// replacement puts a neighbouring key in place of a character.
func replacement(l []rune) []string {
	var out []string
	for i, c := range l {
		for _, n := range neighbours[c] {
			out = append(out, replaceAt(l, i, string(n)))
		}
	}
	return out
}

// subdomain cuts the label in two with a dot: "example.bank.az" is a
// subdomain of a domain anyone can buy.
func subdomain(l []rune) []string {
	var out []string
	for i := 1; i < len(l); i++ {
		if l[i] != '-' && l[i-1] != '-' {
			out = append(out, string(l[:i])+"."+string(l[i:]))
		}
	}
	return out
}

func transposition(l []rune) []string {
	var out []string
	for i := 0; i+1 < len(l); i++ {
		if l[i] != l[i+1] {
			t := append([]rune(nil), l...)
			t[i], t[i+1] = t[i+1], t[i]
			out = append(out, string(t))
		}
	}
	return out
}

// vowelSwap puts another vowel in place of one: Azerbaijani vowels are
// swapped for the ASCII ones too, which is how they are mistyped.
func vowelSwap(l []rune) []string {
	const from, to = "aeiouəıöü", "aeiou"
	var out []string
	for i, c := range l {
		if !strings.ContainsRune(from, c) {
			continue
		}
		for _, v := range to {
			if v != c {
				out = append(out, replaceAt(l, i, string(v)))
			}
		}
	}
	return out
}

func dictionaryWords(l []rune) []string {
	s := string(l)
	var out []string
	for _, w := range dictionary {
		out = append(out, w+s, s+w, w+"-"+s, s+"-"+w)
	}
	return out
}

func tldSwap(n name) []string {
	var out []string
	for _, t := range tlds {
		if t != n.suffix {
			out = append(out, joinName(n.sub, n.label, t))
		}
	}
	return out
}

// various are dnstwist's odd ones out: the suffix glued to the label
// ("examplebankaz.com", "examplebank-az.com"), a second-level suffix cut
// short ("e-gov.az" from "e.gov.az"), and the suffix repeated.
func various(n name) []string {
	flat := strings.ReplaceAll(n.suffix, ".", "")
	dashed := strings.ReplaceAll(n.suffix, ".", "-")
	out := []string{
		joinName(n.sub, n.label+flat, "com"),
		joinName(n.sub, n.label+"-"+dashed, "com"),
		joinName(n.sub, n.label+flat, n.suffix),
		joinName(n.sub, n.label+"-"+dashed, n.suffix),
	}
	if i := strings.LastIndexByte(n.suffix, '.'); i >= 0 {
		first, last := n.suffix[:i], n.suffix[i+1:]
		out = append(out,
			joinName(n.sub, n.label, last),
			joinName(n.sub, n.label+"-"+first, last),
			joinName(n.sub, n.label+first, last))
	} else {
		out = append(out, joinName(n.sub, n.label, n.suffix+"."+n.suffix))
	}
	return out
}

func replaceAt(l []rune, i int, s string) string {
	return string(l[:i]) + s + string(l[i+1:])
}
