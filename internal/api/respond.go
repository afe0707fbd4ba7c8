package api

import (
	"encoding/json"
	"net/http"

	"github.com/qalxan/qalxan/internal/errs"
)

// Codes that exist only at the HTTP edge: the domain never produces them,
// but API clients still get them in the uniform error shape.
const (
	codeTooLarge         errs.Code = "too_large"
	codeUnsupportedMedia errs.Code = "unsupported_media_type"
	codeMethodNotAllowed errs.Code = "method_not_allowed"
)

// statusOf is the one table mapping error codes to HTTP statuses. A code
// missing here is treated as internal, so a new domain code cannot leak its
// message before someone decides its status.
var statusOf = map[errs.Code]int{
	errs.Invalid:         http.StatusBadRequest,
	errs.Unauthorized:    http.StatusUnauthorized,
	errs.Forbidden:       http.StatusForbidden,
	errs.NotFound:        http.StatusNotFound,
	codeMethodNotAllowed: http.StatusMethodNotAllowed,
	errs.Conflict:        http.StatusConflict,
	codeTooLarge:         http.StatusRequestEntityTooLarge,
	codeUnsupportedMedia: http.StatusUnsupportedMediaType,
	errs.TooMany:         http.StatusTooManyRequests,
	errs.Internal:        http.StatusInternalServerError,
}

// errorBody is the uniform error response.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    errs.Code `json:"code"`
	Message string    `json:"message"`
	Field   string    `json:"field,omitempty"`
}

// list is the response of a list without pagination; wrapping the array in
// an object leaves room for more fields without breaking clients.
type list[T any] struct {
	Items []T `json:"items"`
}

// page is one page of a paginated list; Next is the cursor for the
// following page, "" on the last one.
type page[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next"`
}

// nonNil makes empty lists encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// writeJSON writes v with the given status. It encodes before writing any
// header so that an encoding failure still yields a clean 500.
func (a *API) writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

// fail writes err as the uniform error response. Internal errors are
// logged with their details and answered with a generic message: SQL and
// file paths are for operators, not for API clients.
func (a *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := errs.CodeOf(err)
	status, known := statusOf[code]
	if !known || code == errs.Internal {
		a.d.Log.Error("api: request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		code, status = errs.Internal, http.StatusInternalServerError
	}
	d := errorDetail{Code: code, Message: errs.Message(err), Field: errs.FieldOf(err)}
	if code == errs.Internal {
		d = errorDetail{Code: code, Message: "internal error; the details are in the server log"}
	}
	if code == errs.Unauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="qalxan"`)
	}
	b, _ := json.Marshal(errorBody{Error: d}) // strings only: cannot fail
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}
