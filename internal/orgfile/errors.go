package orgfile

import (
	"fmt"

	"github.com/qalxan/qalxan/internal/errs"
)

// Every content error is errs.Invalid with a message that starts with
// "line N: ", so the user can go straight to the spot in an editor, and
// keeps the field the underlying error names.

// errAt builds an Invalid error about line.
func errAt(line int, format string, args ...any) error {
	return &errs.Error{Code: errs.Invalid, Message: fmt.Sprintf("line %d: ", line) + fmt.Sprintf(format, args...)}
}

// fieldAt builds an Invalid error about one field on line.
func fieldAt(line int, field, format string, args ...any) error {
	return &errs.Error{Code: errs.Invalid, Field: field,
		Message: fmt.Sprintf("line %d: %s: ", line, field) + fmt.Sprintf(format, args...)}
}

// atLine puts a line in front of a coded error from the domain layer.
func atLine(line int, err error) error {
	return &errs.Error{Code: errs.CodeOf(err), Field: errs.FieldOf(err),
		Message: fmt.Sprintf("line %d: %s", line, errs.Message(err))}
}
