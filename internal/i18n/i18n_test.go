package i18n

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// verbRE finds fmt verbs, including explicit argument indexes (%[2]s),
// which translations use to reorder arguments.
var verbRE = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?[a-zA-Z%]`)

func verbs(s string) []string {
	v := verbRE.FindAllString(s, -1)
	sort.Strings(v)
	return v
}

func TestEveryKeyInEveryLanguage(t *testing.T) {
	for key, en := range catalogue()["en"] {
		for _, lang := range Languages() {
			msg, ok := catalogue()[lang][key]
			if !ok {
				t.Errorf("%s: key %q missing", lang, key)
				continue
			}
			if strings.TrimSpace(msg) == "" {
				t.Errorf("%s: key %q is empty", lang, key)
			}
			if got, want := verbs(msg), verbs(en); !slices.Equal(got, want) {
				t.Errorf("%s: key %q has verbs %v, want %v (as in English)", lang, key, got, want)
			}
		}
	}
	for _, lang := range Languages() {
		for key := range catalogue()[lang] {
			if _, ok := catalogue()["en"][key]; !ok {
				t.Errorf("%s: key %q is not in the English catalogue", lang, key)
			}
		}
	}
}

// TestTranslated catches longer texts copied from English and left
// untranslated. Short ones (TLP, URL, PGP) are often the same everywhere.
func TestTranslated(t *testing.T) {
	sameWord := map[string]bool{"role.admin": true} // "Administrator" in Azerbaijani too
	for key, en := range catalogue()["en"] {
		for _, lang := range []string{"az", "ru"} {
			if catalogue()[lang][key] == en && len(en) > 12 && !strings.Contains(key, "placeholder") && !sameWord[key] {
				t.Errorf("%s: key %q is the English text %q", lang, key, en)
			}
		}
	}
}

func TestT(t *testing.T) {
	tests := []struct {
		lang, key string
		args      []any
		want      string
	}{
		{"az", "nav.orgs", nil, "Təşkilatlar"},
		{"ru", "nav.orgs", nil, "Организации"},
		{"en", "nav.orgs", nil, "Organisations"},
		{"az", "login.submit", nil, "Daxil ol"},
		{"ru", "login.submit", nil, "Войти"},
		{"ru", "login.throttled", []any{7}, "Слишком много попыток. Повторите через 7 с."},
		{"de", "nav.orgs", nil, "Organisations"},  // unknown language: English
		{"az", "no.such.key", nil, "no.such.key"}, // unknown key: the key itself
	}
	for _, tt := range tests {
		if got := T(tt.lang, tt.key, tt.args...); got != tt.want {
			t.Errorf("T(%q, %q) = %q, want %q", tt.lang, tt.key, got, tt.want)
		}
	}
}

func TestHas(t *testing.T) {
	if !Has("ru", "nav.orgs") {
		t.Error("Has(ru, nav.orgs) = false, want true")
	}
	if Has("ru", "no.such.key") || Has("de", "nav.orgs") {
		t.Error("Has reports a missing key or language")
	}
}

func TestMatch(t *testing.T) {
	for tag, want := range map[string]string{"ru-RU": "ru", "AZ": "az", "en_GB": "en", " en ": "en", "de": "", "": ""} {
		if got := Match(tag); got != want {
			t.Errorf("Match(%q) = %q, want %q", tag, got, want)
		}
	}
}

func TestLanguages(t *testing.T) {
	if got := Languages(); !slices.Equal(got, []string{"az", "en", "ru"}) {
		t.Errorf("Languages() = %v", got)
	}
	if Languages()[0] != Default {
		t.Errorf("default language %q is not listed first", Default)
	}
	l := Languages()
	l[0] = "xx" // callers get a copy
	if Languages()[0] != "az" {
		t.Error("Languages returns the package's own slice")
	}
	if Name("ru") != "Русский" || Name("xx") != "xx" {
		t.Errorf("Name: got %q, %q", Name("ru"), Name("xx"))
	}
}
