package lookalike

import (
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/publicsuffix"
)

// Observation is a domain seen somewhere: in an event, a certificate
// transparency log, a passive DNS export.
type Observation struct {
	Domain string
	Issuer string // the certificate's issuer, when the domain came from one
}

// Reason is one line of a score's explanation.
type Reason struct {
	Code   string `json:"code"`
	Detail string `json:"detail"`
	Points int    `json:"points"`
}

// Match is an observed domain that imitates a brand.
type Match struct {
	Domain     string   `json:"domain"` // punycode
	Unicode    string   `json:"unicode"`
	Registered string   `json:"registered"` // the registered domain: the unit of a take-down
	Brand      string   `json:"brand"`
	BrandID    int64    `json:"brand_id,omitempty"`
	Score      int      `json:"score"`
	Reasons    []Reason `json:"reasons"`
}

type compiledBrand struct {
	brand    Brand
	labels   []string // folded, squashed registrable labels of the official domains
	keywords []string // folded, squashed names and keywords searched inside names
}

// Matcher matches domains against a fixed set of brands. It is immutable
// and safe for concurrent use; build a new one when brands change.
type Matcher struct {
	brands   []compiledBrand
	perms    map[string]permRef // punycode permutation → where it came from
	labels   map[string]permRef // permuted registrable label → where it came from, under any suffix
	official map[string]int     // official domain → brand: never a look-alike of itself
	keywords []weighted

	// byLen holds the brands' folded labels by length, so edit distance
	// is only computed for names of about the same length.
	byLen       [64][]labelRef
	keywordRefs []labelRef // brand names and keywords searched inside names
}

type labelRef struct {
	brand int
	label string
	maxd  int
	mask  uint64
}

// maxDistance is how many edits a name may be from a brand's label and
// still match: none for short labels ("asan" vs "asap"), one up to seven
// letters, two from eight.
func maxDistance(label string) int {
	switch {
	case len(label) < 5:
		return 0
	case len(label) < 8:
		return 1
	}
	return 2
}

type permRef struct {
	brand  int
	fuzzer string
	of     string
}

type weighted struct {
	word   string
	points int
}

// NewMatcher compiles brands: their permutations into one table, their
// names folded for the search inside names and for edit distance.
func NewMatcher(brands []Brand) (*Matcher, error) {
	m := &Matcher{perms: map[string]permRef{}, labels: map[string]permRef{}, official: map[string]int{}}
	for i, b := range brands {
		if err := b.Validate(); err != nil {
			return nil, err
		}
		cb := compiledBrand{brand: b}
		for _, d := range b.Domains {
			n, _ := splitName(d)
			a, _, _ := ascii(joinName("", n.label, n.suffix))
			m.official[a] = i
			cb.labels = appendNew(cb.labels, squash(Fold(n.label)))
			perms, err := Generate(d)
			if err != nil {
				return nil, err
			}
			asub, _, _ := ascii(n.sub)
			lead := ""
			if asub != "" {
				lead = asub + "."
			}
			for _, p := range perms {
				ref := permRef{brand: i, fuzzer: p.Fuzzer, of: d}
				if _, ok := m.perms[p.Domain]; !ok {
					m.perms[p.Domain] = ref
				}
				// A twisted label is as bad under any suffix ("adliyya.az"
				// for "ədliyyə.gov.az"), but short labels twist into
				// everyday words ("my" → "ny"), so only from five letters.
				l, ok := strings.CutSuffix(strings.TrimPrefix(p.Domain, lead), "."+n.suffix)
				if ok && !strings.Contains(l, ".") && utf8.RuneCountInString(n.label) >= minKeyword {
					if _, dup := m.labels[l]; !dup {
						m.labels[l] = ref
					}
				}
			}
		}
		for _, l := range cb.labels {
			if len(l) >= minKeyword {
				cb.keywords = appendNew(cb.keywords, l)
			}
		}
		for _, k := range b.Keywords {
			if f := squash(Fold(k)); len(f) >= minKeyword {
				cb.keywords = appendNew(cb.keywords, f)
			}
		}
		m.brands = append(m.brands, cb)
		for _, l := range cb.labels {
			if len(l) < len(m.byLen) {
				m.byLen[len(l)] = append(m.byLen[len(l)], labelRef{i, l, maxDistance(l), charMask(l)})
			}
		}
		for _, k := range cb.keywords {
			m.keywordRefs = append(m.keywordRefs, labelRef{brand: i, label: k})
		}
	}
	// A permutation of one brand may be another brand's official domain.
	for d := range m.official {
		delete(m.perms, d)
	}
	for w, p := range keywordWeights {
		m.keywords = append(m.keywords, weighted{squash(Fold(w)), p})
	}
	slices.SortFunc(m.keywords, func(a, b weighted) int {
		return cmp(len(b.word), len(a.word), a.word, b.word)
	})
	return m, nil
}

func cmp(a, b int, x, y string) int {
	if a != b {
		return a - b
	}
	return strings.Compare(x, y)
}

func appendNew(s []string, v string) []string {
	if v == "" || slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}

// Match returns the brand o imitates most, with its score and reasons,
// or false when it imitates none. Official domains and names below them
// never match.
func (m *Matcher) Match(o Observation) (Match, bool) {
	a, u, ok := ascii(strings.TrimPrefix(strings.TrimSuffix(strings.TrimSpace(o.Domain), "."), "*."))
	if !ok {
		return Match{}, false
	}
	reg, err := publicsuffix.EffectiveTLDPlusOne(a)
	if err != nil || m.official[reg] >= 0 && m.isOfficial(reg) {
		return Match{}, false
	}
	suffix := reg[strings.IndexByte(reg, '.')+1:]
	asub := strings.TrimSuffix(strings.TrimSuffix(a, reg), ".")
	ureg, ulabel, usub := reg, strings.TrimSuffix(reg, "."+suffix), asub
	if u != a {
		ureg, _ = profile.ToUnicode(reg)
		ulabel = strings.TrimSuffix(ureg, "."+suffix)
		usub = strings.TrimSuffix(strings.TrimSuffix(u, ureg), ".")
	}

	ev := evidence{}
	if p, ok := m.perms[a]; ok {
		ev.add(p.brand, Reason{"permutation", p.fuzzer + " of " + p.of, pointsPermutation})
	} else if p, ok := m.perms[reg]; ok {
		ev.add(p.brand, Reason{"permutation", p.fuzzer + " of " + p.of, pointsPermutation})
	} else if p, ok := m.labels[strings.TrimSuffix(reg, "."+suffix)]; ok {
		ev.add(p.brand, Reason{"permutation", p.fuzzer + " of " + p.of + " under ." + suffix, pointsPermutation})
	}

	label := squash(Fold(ulabel))
	whole := label
	if usub != "" {
		whole = squash(Fold(usub)) + label
	}
	// The brand may be one word of a hyphenated name
	// ("kapitalbamk-giriş.az"), or a whole word too short to search
	// inside names ("egov-giris.xyz").
	tokens := []string{label}
	if strings.ContainsAny(u, "-.") {
		for _, t := range strings.FieldsFunc(Fold(strings.TrimSuffix(u, "."+suffix)), isSeparator) {
			if len(t) >= 4 {
				tokens = appendNew(tokens, t)
			}
		}
	}
	for ti, t := range tokens {
		tm := charMask(t)
		for n := max(len(t)-2, 0); n <= len(t)+2 && n < len(m.byLen); n++ {
			for _, ref := range m.byLen[n] {
				if maskFar(tm, ref.mask, ref.maxd) || ev.has(ref.brand) {
					continue
				}
				switch d := distance(t, ref.label, ref.maxd); {
				case d == 0 && ti == 0:
					ev.add(ref.brand, Reason{"same-name", "reads as " + ref.label + " under ." + suffix, pointsSameName})
				case d == 0:
					ev.add(ref.brand, Reason{"contains-brand", "contains the word " + ref.label, pointsContainsBrand})
				case d <= ref.maxd:
					ev.add(ref.brand, Reason{"edit-distance", itoa(d) + " edit(s) from " + ref.label, pointsDistanceBase - 10*(d-1)})
				}
			}
		}
	}
	for _, k := range m.keywordRefs {
		if !ev.has(k.brand) && strings.Contains(whole, k.label) {
			ev.add(k.brand, Reason{"contains-brand", "contains " + k.label, pointsContainsBrand})
		}
	}
	// "examplebank.az.login.top": the official domain as decoration.
	if asub != "" {
		labels := strings.Split(asub, ".")
		for i := range labels {
			for j := i + 2; j <= len(labels); j++ {
				d := strings.Join(labels[i:j], ".")
				if bi, ok := m.official[d]; ok {
					p := pointsOfficialAsSub
					if !ev.has(bi) {
						p = pointsContainsBrand
					}
					ev.add(bi, Reason{"official-as-subdomain", d + " used as a subdomain", p})
				}
			}
		}
	}
	bi, best := ev.best()
	if bi < 0 {
		return Match{}, false
	}
	b := m.brands[bi]
	plain := squash(strings.ToLower(u))
	for _, k := range append(b.labels, b.keywords...) {
		if strings.Contains(whole, k) && !strings.Contains(plain, k) && best[0].Code != "permutation" {
			best = append(best, Reason{"confusable", "written with look-alike characters", pointsConfusable})
			break
		}
	}
	reasons := append(best, m.heuristics(whole, u, usub, suffix, ulabel, o.Issuer, b.keywords)...)
	return Match{Domain: a, Unicode: u, Registered: reg, Brand: b.brand.Label(), BrandID: b.brand.ID, Score: sum(reasons), Reasons: reasons}, true
}

func (m *Matcher) isOfficial(reg string) bool { _, ok := m.official[reg]; return ok }

func isSeparator(r rune) bool { return r == '-' || r == '.' }

// evidence collects the reasons per brand; few brands ever have any.
type evidence struct {
	brands  []int
	reasons [][]Reason
}

func (e *evidence) has(b int) bool { return slices.Contains(e.brands, b) }

func (e *evidence) add(b int, r Reason) {
	if i := slices.Index(e.brands, b); i >= 0 {
		e.reasons[i] = append(e.reasons[i], r)
		return
	}
	e.brands = append(e.brands, b)
	e.reasons = append(e.reasons, []Reason{r})
}

// best is the brand with the most points of evidence; ties go to the
// first evidence found (permutations before names).
func (e *evidence) best() (int, []Reason) {
	bi, bp := -1, 0
	var out []Reason
	for i, b := range e.brands {
		if p := sum(e.reasons[i]); p > bp {
			bi, bp, out = b, p, e.reasons[i]
		}
	}
	return bi, out
}

// heuristics are phishing_catcher's signals, scored on any name: words
// that ask for credentials or money, cheap suffixes, random-looking
// labels, many hyphens, deep nesting, a free certificate.
func (m *Matcher) heuristics(whole, u, usub, suffix, ulabel, issuer string, brandWords []string) []Reason {
	var rs []Reason
	// The brand's own words are not suspicious words: "examplebank"
	// must not score "bank" again.
	rest := whole
	for _, k := range brandWords {
		rest = strings.ReplaceAll(rest, k, " ")
	}
	for _, k := range m.keywords {
		if strings.Contains(rest, k.word) {
			rs = append(rs, Reason{"keyword", k.word, k.points})
			rest = strings.ReplaceAll(rest, k.word, " ")
		}
	}
	last := suffix[strings.LastIndexByte(suffix, '.')+1:]
	if suspiciousTLDs[last] {
		rs = append(rs, Reason{"suspicious-tld", "." + last, pointsSuspiciousTLD})
	}
	if h := entropy(ulabel); h > entropyThreshold {
		rs = append(rs, Reason{"entropy", strings.TrimRight(strings.TrimRight(ftoa(h), "0"), ".") + " bits per character", int(math.Round((h-entropyThreshold)*10)) * pointsPerEntropyTenth})
	}
	if n := strings.Count(u, "-"); n >= 2 && !strings.Contains(u, "xn--") {
		rs = append(rs, Reason{"hyphens", itoa(n) + " hyphens", min(n*pointsPerHyphen, maxPointsStructure)})
	}
	if usub != "" {
		if n := strings.Count(usub, ".") + 1; n >= 2 {
			rs = append(rs, Reason{"depth", itoa(n) + " subdomain levels", min(n*pointsPerDepth, maxPointsStructure)})
		}
	}
	if issuer != "" {
		li := strings.ToLower(issuer)
		for _, f := range freeIssuers {
			if strings.Contains(li, f) {
				rs = append(rs, Reason{"free-certificate", issuer, pointsFreeIssuer})
				break
			}
		}
	}
	return rs
}

// entropy is the Shannon entropy of s in bits per character.
func entropy(s string) float64 {
	var counts [256]int
	n := 0
	for i := 0; i < len(s); i++ {
		counts[s[i]]++
		n++
	}
	h := 0.0
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / float64(n)
			h -= p * math.Log2(p)
		}
	}
	return h
}

func sum(rs []Reason) int {
	t := 0
	for _, r := range rs {
		t += r.Points
	}
	return t
}
