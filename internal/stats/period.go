// Package stats is what a national CERT publishes about its constituency's
// security gaps: per month, quarter or year, how many information
// resources of how many organisations had gaps identified, how many were
// fixed and how fast, and how that compares with the period before and
// the same period a year earlier ("January 2024: security gaps identified
// in 68 information resources of 23 agencies; +84 % compared to January
// 2023").
//
// The package knows nothing of SQL or HTTP: storage counts the findings
// of a period into a Summary, this package names periods, compares
// summaries and writes the headline in az, en and ru.
//
// Periods are calendar periods in a time zone the caller chooses; Qalxan
// counts in UTC (like every time in its data) unless told otherwise, so
// the CLI, the API and the web page give the same figures.
package stats

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/errs"
)

// Kind is the length of a period.
type Kind int

const (
	Month Kind = iota
	Quarter
	Year
)

// Period is one calendar month ("2024-01"), quarter ("2024-Q1") or year
// ("2024").
type Period struct {
	Kind Kind
	Year int
	N    int // month 1–12 or quarter 1–4; 0 for a year
}

// ParsePeriod reads "2024-01", "2024-Q1" (any case) or "2024".
func ParsePeriod(s string) (Period, error) {
	v := strings.ToUpper(strings.TrimSpace(s))
	bad := errs.Field("period", "want a month (2024-01), a quarter (2024-Q1) or a year (2024), got %q", s)
	ys, rest, hasRest := strings.Cut(v, "-")
	y, err := strconv.Atoi(ys)
	if err != nil || len(ys) != 4 || y < 1970 || y > 9999 {
		return Period{}, bad
	}
	if !hasRest {
		return Period{Kind: Year, Year: y}, nil
	}
	if q, ok := strings.CutPrefix(rest, "Q"); ok {
		n, err := strconv.Atoi(q)
		if err != nil || len(q) != 1 || n < 1 || n > 4 {
			return Period{}, bad
		}
		return Period{Kind: Quarter, Year: y, N: n}, nil
	}
	n, err := strconv.Atoi(rest)
	if err != nil || len(rest) != 2 || n < 1 || n > 12 {
		return Period{}, bad
	}
	return Period{Kind: Month, Year: y, N: n}, nil
}

// MonthOf is the month holding t in loc (nil: UTC).
func MonthOf(t time.Time, loc *time.Location) Period {
	t = t.In(orUTC(loc))
	return Period{Kind: Month, Year: t.Year(), N: int(t.Month())}
}

// String is the period as ParsePeriod reads it.
func (p Period) String() string {
	switch p.Kind {
	case Quarter:
		return fmt.Sprintf("%04d-Q%d", p.Year, p.N)
	case Year:
		return fmt.Sprintf("%04d", p.Year)
	}
	return fmt.Sprintf("%04d-%02d", p.Year, p.N)
}

// MarshalText and UnmarshalText make a period its string in JSON.
func (p Period) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

func (p *Period) UnmarshalText(b []byte) error {
	v, err := ParsePeriod(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// months is the period's length in months.
func (p Period) months() int {
	switch p.Kind {
	case Quarter:
		return 3
	case Year:
		return 12
	}
	return 1
}

// firstMonth is the period's first month, 1–12.
func (p Period) firstMonth() int {
	switch p.Kind {
	case Quarter:
		return (p.N-1)*3 + 1
	case Year:
		return 1
	}
	return p.N
}

// Bounds is the half-open interval [start, end) the period covers in loc
// (nil: UTC), returned in UTC.
func (p Period) Bounds(loc *time.Location) (start, end time.Time) {
	start = time.Date(p.Year, time.Month(p.firstMonth()), 1, 0, 0, 0, 0, orUTC(loc))
	end = start.AddDate(0, p.months(), 0)
	return start.UTC(), end.UTC()
}

// Contains reports whether t falls in the period in loc (nil: UTC).
func (p Period) Contains(t time.Time, loc *time.Location) bool {
	s, e := p.Bounds(loc)
	return !t.Before(s) && t.Before(e)
}

// Previous is the period of the same kind just before: December 2023
// before January 2024, 2023-Q4 before 2024-Q1, 2023 before 2024.
func (p Period) Previous() Period { return p.shift(-1) }

// Next is the period of the same kind just after.
func (p Period) Next() Period { return p.shift(1) }

func (p Period) shift(by int) Period {
	if p.Kind == Year {
		return Period{Kind: Year, Year: p.Year + by}
	}
	per := 12
	if p.Kind == Quarter {
		per = 4
	}
	i := p.Year*per + p.N - 1 + by
	return Period{Kind: p.Kind, Year: i / per, N: i%per + 1}
}

// YearEarlier is the same period a year before: January 2023 for January
// 2024.
func (p Period) YearEarlier() Period { p.Year--; return p }

// Months lists the months of the period, in order.
func (p Period) Months() []Period {
	out := make([]Period, p.months())
	for i := range out {
		out[i] = Period{Kind: Month, Year: p.Year, N: p.firstMonth() + i}
	}
	return out
}

// LastMonths is the n months ending with the period's last month, oldest
// first: the window of the monthly chart.
func (p Period) LastMonths(n int) []Period {
	last := Period{Kind: Month, Year: p.Year, N: p.firstMonth() + p.months() - 1}
	out := make([]Period, n)
	for i := range out {
		out[n-1-i] = last.shift(-i)
	}
	return out
}

func orUTC(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}
