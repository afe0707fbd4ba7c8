package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/errs"
)

// maxJSONBody bounds JSON request bodies. The largest legitimate one, an
// organisation created with its resources and contacts, is far smaller;
// bulk data goes through the import route, which has its own limit.
const maxJSONBody = 1 << 20

// decodeJSON reads the request body as exactly one JSON value of type T.
// It is strict on purpose: a misspelt field that were silently ignored
// would leave a client believing it had changed something it had not.
func decodeJSON[T any](w http.ResponseWriter, r *http.Request) (T, error) {
	var v T
	if err := requireMediaType(r, isJSONType, "application/json"); err != nil {
		return v, err
	}
	if r.ContentLength > maxJSONBody {
		return v, tooLarge(maxJSONBody)
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxJSONBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return v, jsonError(err)
	}
	// Decode stops after the first value; anything but white space after it
	// means the client sent something other than what it thinks it sent.
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return v, tooLarge(maxJSONBody)
		}
		return v, errs.E(errs.Invalid, "unexpected data after the JSON value; send exactly one JSON object")
	}
	return v, nil
}

// jsonError turns a decoding error into a coded error a client can act on.
func jsonError(err error) error {
	var (
		mb  *http.MaxBytesError
		syn *json.SyntaxError
		typ *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &mb):
		return tooLarge(maxJSONBody)
	case errors.Is(err, io.EOF):
		return errs.E(errs.Invalid, "the request body is empty; send a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errs.E(errs.Invalid, "malformed JSON: the body ends in the middle of a value")
	case errors.As(err, &syn):
		return errs.E(errs.Invalid, "malformed JSON at byte %d: %s", syn.Offset, strings.TrimPrefix(syn.Error(), "json: "))
	case errors.As(err, &typ):
		if typ.Field == "" {
			return errs.E(errs.Invalid, "the body must be a JSON %s, not %s", jsonKind(typ.Type), typ.Value)
		}
		return &errs.Error{Code: errs.Invalid, Field: typ.Field,
			Message: fmt.Sprintf("%s: want a JSON %s, got %s", typ.Field, jsonKind(typ.Type), typ.Value)}
	}
	// encoding/json has no error type for unknown fields, only this text.
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		if unq, uerr := strconv.Unquote(name); uerr == nil {
			name = unq
		}
		return &errs.Error{Code: errs.Invalid, Field: name, Message: fmt.Sprintf("unknown field %q", name)}
	}
	return errs.E(errs.Invalid, "malformed JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
}

// jsonKind names a Go type the way a JSON client thinks of it.
func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "whole number" // also what 1.5 or 1e30 are not
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Struct, reflect.Map:
		return "object"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Bool:
		return "boolean"
	}
	return t.Kind().String()
}

func tooLarge(limit int64) error {
	return &errs.Error{Code: codeTooLarge, Message: fmt.Sprintf("the request body is larger than %d KiB", limit>>10)}
}

func isJSONType(mt string) bool { return mt == "application/json" || strings.HasSuffix(mt, "+json") }

// requireMediaType refuses a body whose Content-Type ok does not accept;
// want names the type to use in the message.
func requireMediaType(r *http.Request, ok func(string) bool, want string) error {
	mt := mediaType(r)
	if !ok(mt) {
		got := mt
		if got == "" {
			got = "no Content-Type"
		}
		return &errs.Error{Code: codeUnsupportedMedia, Message: fmt.Sprintf("cannot read a body of %s; send Content-Type: %s", got, want)}
	}
	return nil
}

// mediaType is the request's Content-Type without parameters, lower-case;
// "" when absent or unparseable.
func mediaType(r *http.Request) string {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return ""
	}
	return mt
}

// Query parameters. Each parser returns an errs.Invalid error naming the
// parameter, and the zero value (or def) when the parameter is absent.

func queryInt(q url.Values, name string, def, lo, hi int) (int, error) {
	s := q.Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, errs.Field(name, "want a whole number from %d to %d, got %q", lo, hi, s)
	}
	return n, nil
}

func queryBool(q url.Values, name string) (*bool, error) {
	s := q.Get(name)
	if s == "" {
		return nil, nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return nil, errs.Field(name, "want true or false, got %q", s)
	}
	return &b, nil
}

func queryTime(q url.Values, name string) (time.Time, error) {
	s := q.Get(name)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, errs.Field(name, "want an RFC 3339 time such as 2025-01-31T00:00:00Z, got %q", s)
	}
	return t.UTC(), nil
}

// pathID reads a numeric id from the URL path.
func pathID(r *http.Request, name string) (int64, error) {
	s := r.PathValue(name)
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.Field(name, "want a positive whole number, got %q", s)
	}
	return id, nil
}

// patch copies *src into *dst when the client sent the field; it is how
// PATCH handlers apply their pointer-field bodies without an if per field.
func patch[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}
