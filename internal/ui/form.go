package ui

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/i18n"
)

// form is a form's state between a failed submission and its re-display:
// what the user typed (so nothing is lost) and the message for each field.
type form struct {
	Values  url.Values
	Errors  map[string]string // form field → message
	General string            // a problem not tied to one field
}

func newForm(v url.Values) *form {
	if v == nil {
		v = url.Values{}
	}
	return &form{Values: v, Errors: map[string]string{}}
}

// Get is the submitted (or pre-filled) value of a field.
func (f *form) Get(name string) string {
	if f == nil {
		return ""
	}
	return f.Values.Get(name)
}

// Has reports whether a multi-value field (checkbox, multi-select) holds v.
func (f *form) Has(name, v string) bool {
	if f == nil {
		return false
	}
	for _, x := range f.Values[name] {
		if x == v {
			return true
		}
	}
	return false
}

// Err is the message for a field, "" when it is fine.
func (f *form) Err(name string) string {
	if f == nil {
		return ""
	}
	return f.Errors[name]
}

// Failed reports whether any problem was recorded.
func (f *form) Failed() bool { return f != nil && (len(f.Errors) > 0 || f.General != "") }

// fieldError records a message from the catalogue for one field.
func (f *form) fieldError(lang, field, key string, args ...any) {
	f.Errors[field] = i18n.T(lang, key, args...)
}

// setError places a validation error from the domain next to its field,
// in the user's language. fields maps the domain's field names
// (errs.FieldOf: "resources.value") to this form's field names; an unmapped
// field's message goes to the top of the form. The domain's messages start
// with the field name ("name: is required"), which is redundant next to the
// field, so it is left out.
func (f *form) setError(lang string, err error, fields map[string]string) {
	field := errs.FieldOf(err)
	msg := localError(lang, err)
	if name, ok := fields[field]; ok {
		f.Errors[name] = msg
		return
	}
	for prefix, name := range fields {
		if strings.HasSuffix(prefix, ".") && strings.HasPrefix(field, prefix) {
			f.Errors[name] = msg
			return
		}
	}
	f.General = msg
}

// parseForm reads a submitted form; a body over the server's limit or a
// malformed one yields false after answering 400.
func (h *handler) parseForm(w http.ResponseWriter, r *http.Request) bool {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "malformed form", http.StatusBadRequest)
		return false
	}
	return true
}

// checked reads a checkbox.
func checked(r *http.Request, name string) bool {
	v := r.PostFormValue(name)
	return v == "on" || v == "1" || v == "true" || v == "yes"
}

// localError is a domain error's message in lang: the catalogue holds the
// translations of the domain's message formats under "err:" + format.
func localError(lang string, err error) string {
	return errs.Localize(err, func(format string) (string, bool) {
		key := "err:" + format
		if !i18n.Has(lang, key) {
			return "", false
		}
		return i18n.T(lang, key), true
	})
}
