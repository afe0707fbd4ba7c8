package lookalike

import (
	"io"
	"math"
	"strings"
	"unicode"

	"golang.org/x/net/html"
)

// Page similarity: how much a suspect's page resembles the brand's real
// one. Phishing kits are copies (saved pages, cloned templates), so two
// things survive in them: the words the visitor reads and the shape of
// the markup. Each is compared as a set of shingles (runs of consecutive
// words, of consecutive tags) with Jaccard's coefficient, the measure
// behind near-duplicate detection (Broder 1997). It needs no library and
// explains itself; fuzzy hashes (ssdeep, TLSH) of raw HTML are thrown off
// by the inlined scripts and random tokens every page carries.

// Shingle lengths: three words, four tags.
const (
	textShingle = 3
	tagShingle  = 4
)

// PageFeatures are what similarity compares of a page.
type PageFeatures struct {
	Title string
	words []string
	tags  []string
}

// maxFeatureTokens bounds the work on a huge page.
const maxFeatureTokens = 50000

// ParsePage reads an HTML page's title, visible words (folded, so "Giriş"
// and "giris" agree) and tag sequence (with the input types, which tell a
// login form). Scripts and styles are not text.
func ParsePage(r io.Reader) PageFeatures {
	var p PageFeatures
	z := html.NewTokenizer(r)
	skip := 0 // inside script or style
	inTitle := false
	for n := 0; n < maxFeatureTokens; n++ {
		switch z.Next() {
		case html.ErrorToken:
			return p
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			tag := string(name)
			switch tag {
			case "script", "style", "noscript", "template":
				skip++
			case "title":
				inTitle = true
			}
			if tag == "input" || tag == "button" {
				for hasAttr {
					var k, v []byte
					k, v, hasAttr = z.TagAttr()
					if string(k) == "type" {
						tag += ":" + strings.ToLower(string(v))
					}
				}
			}
			p.tags = append(p.tags, tag)
		case html.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style", "noscript", "template":
				if skip > 0 {
					skip--
				}
			case "title":
				inTitle = false
			}
		case html.TextToken:
			if skip > 0 {
				continue
			}
			text := string(z.Text())
			if inTitle && p.Title == "" {
				p.Title = strings.Join(strings.Fields(text), " ")
			}
			p.words = append(p.words, strings.FieldsFunc(Fold(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })...)
		}
	}
	return p
}

// Similarity compares two pages: text and structure each from 0 to 100,
// and overall their weighted mean (text counts more: the visitor is
// fooled by what the page says, and a copied page keeps its words even
// when its markup is rebuilt).
func Similarity(a, b PageFeatures) (overall, text, structure int) {
	text = jaccard(shingles(a.words, textShingle), shingles(b.words, textShingle))
	structure = jaccard(shingles(a.tags, tagShingle), shingles(b.tags, tagShingle))
	overall = int(math.Round(0.6*float64(text) + 0.4*float64(structure)))
	return overall, text, structure
}

// shingles are the distinct runs of k consecutive tokens; a sequence
// shorter than k is one shingle.
func shingles(tokens []string, k int) map[string]struct{} {
	out := map[string]struct{}{}
	if len(tokens) == 0 {
		return out
	}
	if len(tokens) < k {
		out[strings.Join(tokens, " ")] = struct{}{}
		return out
	}
	for i := 0; i+k <= len(tokens); i++ {
		out[strings.Join(tokens[i:i+k], " ")] = struct{}{}
	}
	return out
}

// jaccard is |A∩B| / |A∪B| in percent; two empty sets share nothing.
func jaccard(a, b map[string]struct{}) int {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	inter := 0
	for s := range a {
		if _, ok := b[s]; ok {
			inter++
		}
	}
	union := len(a) + len(b) - inter
	return int(math.Round(100 * float64(inter) / float64(union)))
}
