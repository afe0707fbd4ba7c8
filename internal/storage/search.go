package storage

import (
	"strings"
	"unicode"

	"github.com/qalxan/qalxan/internal/constituency"
)

// foldForSearch folds text for case-insensitive search in every database:
// SQLite's LOWER knows only ASCII, and PostgreSQL's depends on the cluster's
// locale, so names are folded here, in Go, and stored folded. Azerbaijani
// and Turkish dotted and dotless i (İ i I ı) all fold to "i", so a search
// typed on any keyboard finds "İnkişaf".
func foldForSearch(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch r {
		case 'İ', 'I', 'ı':
			r = 'i'
		case '\u0307': // the combining dot some keyboards add after i
			continue
		default:
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// orgSearchKey is what a name search matches: the short and the full name.
func orgSearchKey(o *constituency.Org) string {
	return foldForSearch(o.ShortName + " " + o.Name)
}
