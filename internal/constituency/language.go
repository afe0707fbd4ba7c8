package constituency

import (
	"strings"

	"github.com/qalxan/qalxan/internal/errs"
)

// Language is a language notices and the interface are written in.
type Language string

const (
	Azerbaijani Language = "az"
	English     Language = "en"
	Russian     Language = "ru"

	DefaultLanguage = Azerbaijani
)

// Languages lists the supported languages.
var Languages = []Language{Azerbaijani, English, Russian}

// ParseLanguage accepts "az", "en", "ru" in any case.
func ParseLanguage(s string) (Language, error) {
	v := Language(strings.ToLower(strings.TrimSpace(s)))
	for _, l := range Languages {
		if v == l {
			return l, nil
		}
	}
	return "", errs.E(errs.Invalid, "unknown language %q (want az, en or ru)", s)
}
