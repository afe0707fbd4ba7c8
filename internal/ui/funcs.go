package ui

import (
	"fmt"
	"html/template"
	"reflect"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/i18n"
	"github.com/qalxan/qalxan/internal/tlp"
)

// funcs are the template functions for one language.
func (h *handler) funcs(lang string) template.FuncMap {
	return template.FuncMap{
		// t translates a catalogue key: {{t "org.name"}}, {{t "org.count" 5}}.
		"t": func(key string, args ...any) string { return i18n.T(lang, key, args...) },
		// tv translates a value of an enumeration ({{tv "sector." .Sector}}),
		// showing the value itself when the catalogue does not know it.
		"tv":       func(prefix string, v any) string { return translateValue(lang, prefix, v) },
		"langName": i18n.Name,
		"static":   h.assets.url,
		"when":     h.timeTag,
		"tlpClass": tlpClass,
		"str":      toString,
		"join":     strings.Join,
	}
}

// translateValue translates prefix+v, or returns v when there is no text.
func translateValue(lang, prefix string, v any) string {
	s := toString(v)
	if key := prefix + s; i18n.Has(lang, key) || i18n.Has("en", key) {
		return i18n.T(lang, key)
	}
	return s
}

// toString turns the string-kinded domain types (Sector, Role, Label ...)
// into their plain value for comparisons and keys in templates. It reads the
// underlying string, not String(): tlp.Label's String is "TLP:AMBER".
func toString(v any) string {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.String {
		return rv.String()
	}
	return fmt.Sprint(v)
}

// tlpClass is the CSS class of a TLP badge ("amber+strict" → "tlp-amber-strict").
func tlpClass(l tlp.Label) string { return "tlp-" + strings.ReplaceAll(string(l), "+", "-") }

// timeTag shows an instant in the display time zone, with the UTC value in
// the title (shown on hover) and the machine-readable datetime attribute.
func (h *handler) timeTag(t time.Time) template.HTML {
	if t.IsZero() {
		return "—"
	}
	utc := t.UTC()
	return template.HTML(`<time datetime="` + utc.Format(time.RFC3339) + `" title="` + utc.Format("2006-01-02 15:04:05") + ` UTC">` +
		t.In(h.Location).Format("2006-01-02 15:04") + `</time>`)
}
