package feed

import (
	"path"
	"strings"

	"github.com/qalxan/qalxan/internal/event"
)

// Spec describes one feed.
type Spec struct {
	Name        string // unique, lower case: what --feed takes
	Provider    string
	DocURL      string
	Format      string // e.g. "csv", "text", "json-lines"
	Description string

	// FileNames are path.Match patterns on a report's base file name that
	// identify the feed; Recognise, when set, decides from the name and
	// the first bytes instead.
	FileNames []string
	Recognise func(fileName string, head []byte) bool

	// Details, when set, describes the feed's mapping for
	// "qalxan feeds show"; detail selects a part (e.g. a report type).
	Details func(detail string) (string, error)

	// FingerprintKeys are the keys whose values (with the day of
	// time.source) identify a duplicate; nil means
	// event.DefaultFingerprintKeys.
	FingerprintKeys []string

	Parser Parser
}

// Fingerprint returns e's deduplication fingerprint under this feed's keys.
func (s Spec) Fingerprint(e *event.Event) string {
	if s.FingerprintKeys == nil {
		return e.Fingerprint()
	}
	return e.FingerprintOf(s.FingerprintKeys)
}

// recognises reports whether the spec claims a report.
func (s Spec) recognises(fileName string, head []byte) bool {
	if s.Recognise != nil {
		return s.Recognise(fileName, head)
	}
	base := path.Base(strings.ReplaceAll(fileName, "\\", "/"))
	for _, p := range s.FileNames {
		if ok, _ := path.Match(p, base); ok {
			return true
		}
	}
	return false
}
