package notify

import (
	"fmt"
	"time"
)

// Schedule is when the daily digest goes out: a time of day in a zone.
type Schedule struct {
	Hour, Minute int
	Location     *time.Location
}

// ParseSchedule reads "HH:MM" (24-hour) in loc.
func ParseSchedule(s string, loc *time.Location) (Schedule, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return Schedule{}, fmt.Errorf("notify: digest time %q: want HH:MM", s)
	}
	if loc == nil {
		loc = time.UTC
	}
	return Schedule{Hour: t.Hour(), Minute: t.Minute(), Location: loc}, nil
}

// Next is the first digest time strictly after now.
func (s Schedule) Next(now time.Time) time.Time {
	l := now.In(s.Location)
	t := time.Date(l.Year(), l.Month(), l.Day(), s.Hour, s.Minute, 0, 0, s.Location)
	if !t.After(l) {
		t = time.Date(l.Year(), l.Month(), l.Day()+1, s.Hour, s.Minute, 0, 0, s.Location)
	}
	return t.UTC()
}
