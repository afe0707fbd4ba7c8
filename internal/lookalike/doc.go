// Package lookalike finds domains made to be mistaken for a brand's: the
// permutations a fraudster would register (dnstwist's fuzzers, extended
// for Azerbaijani letters and keyboards) and a matcher that tells, for any
// observed domain, which protected brand it imitates and how suspicious it
// looks (phishing_catcher's scoring, with every point explained).
//
// Fuzzers, keyboards, homoglyphs, words and TLDs are data in this package,
// checked by tests; the code that walks them is small. The package knows
// nothing of storage or HTTP: brands come in as values, matches go out as
// values.
package lookalike
