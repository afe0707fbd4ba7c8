// Package errs defines the application's error codes. Domain packages return
// errors carrying one of these codes; adapters (HTTP, CLI) map a code to a
// status or exit code in one place, without knowing which package failed.
package errs

import (
	"errors"
	"fmt"
	"strings"
)

// Code classifies an error for the caller's benefit.
type Code string

const (
	Invalid      Code = "invalid"      // the input is wrong; the message says how
	NotFound     Code = "not_found"    // no such thing, or not visible to the caller
	Conflict     Code = "conflict"     // the request clashes with the current state
	Forbidden    Code = "forbidden"    // the caller may not do this
	Unauthorized Code = "unauthorized" // the caller is not authenticated
	TooMany      Code = "too_many_requests"
	Internal     Code = "internal"
)

// Error is an error with a code and a message fit for the user.
type Error struct {
	Code    Code
	Message string
	Field   string // the input field at fault, when there is one
	Err     error  // the underlying cause, if any
	// Format and Args are the message before formatting, without the field
	// prefix: the user interface looks Format up in its message catalogue
	// to show the message in the user's language.
	Format string
	Args   []any
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// E builds a coded error with a formatted message.
func E(code Code, format string, args ...any) error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Format: format, Args: args}
}

// Field builds an Invalid error about one input field.
func Field(field, format string, args ...any) error {
	return &Error{Code: Invalid, Field: field, Message: field + ": " + fmt.Sprintf(format, args...), Format: format, Args: args}
}

// Localize returns err's message in another language: translate maps a
// message format to its translation (false when it has none). Field
// prefixes are left out, since the message is shown next to its field.
// Without a translation the English message is returned.
func Localize(err error, translate func(format string) (string, bool)) string {
	var e *Error
	if !errors.As(err, &e) {
		return Message(err)
	}
	if e.Format != "" {
		if t, ok := translate(e.Format); ok {
			return fmt.Sprintf(t, e.Args...)
		}
	}
	msg := e.Message
	if e.Field != "" {
		msg = strings.TrimPrefix(msg, e.Field+": ")
	}
	return msg
}

// CodeOf returns the code of the first coded error in err's chain,
// Internal when there is none, and "" for a nil error.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// Message returns the user-facing message of err: the coded error's own
// message, or a generic text for internal errors (whose details belong in the
// log, not in a response).
func Message(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// FieldOf returns the input field a coded error is about, or "".
func FieldOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// Is reports whether err carries the given code.
func Is(err error, code Code) bool { return err != nil && CodeOf(err) == code }

// Prefix returns err with "prefix: " before its message, keeping its code
// and field, so context added on the way up reaches the user. A nil err
// stays nil; an uncoded one is wrapped as it is.
func Prefix(err error, prefix string) error {
	if err == nil {
		return nil
	}
	var e *Error
	if !errors.As(err, &e) {
		return fmt.Errorf("%s: %w", prefix, err)
	}
	return &Error{Code: e.Code, Field: e.Field, Message: prefix + ": " + e.Message, Err: e.Err, Format: e.Format, Args: e.Args}
}

// InField relabels a coded error as being about field, keeping its message
// and format (a value checked by another package, reported at our field).
func InField(field string, err error) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	return &Error{Code: e.Code, Field: field, Message: field + ": " + e.Message, Err: e.Err, Format: e.Format, Args: e.Args}
}
