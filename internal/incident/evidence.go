package incident

import (
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/qalxan/qalxan/internal/errs"
)

// MaxEvidenceSize bounds one evidence file: screenshots, captured pages,
// mails and samples fit; disk images belong in the forensic store, not
// here.
const MaxEvidenceSize = 25 << 20

// Evidence is a file attached to an incident. Files are kept by the
// SHA-256 of their content, so the same screenshot sent twice is stored
// once and its hash proves it unchanged; the media type is what the
// content is (sniffed), not what the uploader said.
type Evidence struct {
	ID         int64     `json:"id"`
	IncidentID int64     `json:"incident_id"`
	SHA256     string    `json:"sha256"`
	Name       string    `json:"name"`
	Size       int64     `json:"size"`
	MediaType  string    `json:"media_type"`
	Note       string    `json:"note,omitempty"`
	AddedAt    time.Time `json:"added_at"`
	AddedBy    string    `json:"added_by"`
}

// Custody actions: who added, viewed or exported a piece of evidence.
const (
	CustodyAdded    = "added"
	CustodyViewed   = "viewed"
	CustodyExported = "exported"
)

// CustodyEntry is one line of an evidence file's chain of custody.
type CustodyEntry struct {
	ID         int64     `json:"id"`
	EvidenceID int64     `json:"evidence_id"`
	At         time.Time `json:"at"`
	Actor      string    `json:"actor"`
	Action     string    `json:"action"`
	Detail     string    `json:"detail,omitempty"` // the client address, for instance
}

// extTypes are the sniffed types a file name's extension promises: a
// ".png" that is not a PNG is refused rather than stored under a lie.
var extTypes = map[string]string{
	".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp",
	".pdf": "application/pdf", ".zip": "application/zip", ".gz": "application/x-gzip",
}

// CheckEvidence validates an upload: its name (made a plain base name),
// its size, and that its content (sniffed: the type the bytes show) is
// what the name's extension says.
func CheckEvidence(name string, size int64, sniffed string) (Evidence, error) {
	name = path.Base(strings.ReplaceAll(strings.TrimSpace(name), "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '"' {
			return -1
		}
		return r
	}, name)
	if name == "" || name == "." || name == "/" {
		return Evidence{}, errs.Field("name", "give the file's name")
	}
	if utf8.RuneCountInString(name) > 200 || !utf8.ValidString(name) {
		return Evidence{}, errs.Field("name", "at most 200 characters of valid UTF-8")
	}
	if size <= 0 {
		return Evidence{}, errs.Field("file", "the file is empty")
	}
	if size > MaxEvidenceSize {
		return Evidence{}, errs.Field("file", "the file is larger than %d MiB", MaxEvidenceSize>>20)
	}
	mt, _, _ := strings.Cut(sniffed, ";")
	mt = strings.TrimSpace(mt)
	if want, ok := extTypes[strings.ToLower(path.Ext(name))]; ok && mt != want {
		return Evidence{}, errs.Field("file", "the file's content is %s, not what its name %q says", mt, name)
	}
	return Evidence{Name: name, Size: size, MediaType: mt}, nil
}
