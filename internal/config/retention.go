package config

import (
	"fmt"
	"time"
)

// DefaultPersonalDataRetention is how long personal data of closed
// incidents and of reports is kept when the configuration does not say:
// two years (730 days).
const DefaultPersonalDataRetention = 730 * 24 * time.Hour

// Bounds of incidents.personal_data_retention: at least a day (a typo of
// "24" for "24h" would otherwise erase everything at once), at most 100
// years.
const (
	minRetention = 24 * time.Hour
	maxRetention = 100 * 365 * 24 * time.Hour
)

// Retention is the personal-data retention period in force.
func (i Incidents) Retention() time.Duration {
	if i.PersonalDataRetention == 0 {
		return DefaultPersonalDataRetention
	}
	return i.PersonalDataRetention
}

func (i Incidents) validateRetention() error {
	d := i.PersonalDataRetention
	if d != 0 && (d < minRetention || d > maxRetention) {
		return fmt.Errorf("config: incidents.personal_data_retention %s: want between 24h and 876000h (100 years), e.g. 17520h for two years", d)
	}
	return nil
}
