package incident

import (
	"fmt"
	"regexp"
	"strconv"

	"github.com/qalxan/qalxan/internal/errs"
)

// A reference names an incident to people: QLX-2026-000123, the year it
// was opened and its number in that year. Storage hands out the numbers.

var refRE = regexp.MustCompile(`^(?i)QLX-(\d{4})-(\d{6,})$`)

// Reference formats the reference of the n-th incident of year.
func Reference(year, n int) string { return fmt.Sprintf("QLX-%04d-%06d", year, n) }

// ParseReference reads a reference (any case) into its year and number.
func ParseReference(s string) (year, n int, err error) {
	m := refRE.FindStringSubmatch(s)
	if m == nil {
		return 0, 0, errs.Field("reference", "%q is not an incident reference such as QLX-2026-000123", s)
	}
	year, _ = strconv.Atoi(m[1])
	n, err = strconv.Atoi(m[2])
	if err != nil || n == 0 {
		return 0, 0, errs.Field("reference", "%q is not an incident reference such as QLX-2026-000123", s)
	}
	return year, n, nil
}

// IsReference reports whether s looks like an incident reference.
func IsReference(s string) bool { return refRE.MatchString(s) }
