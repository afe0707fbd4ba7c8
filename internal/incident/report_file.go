package incident

import (
	"strings"
	"time"

	"github.com/qalxan/qalxan/internal/errs"
)

// Screenshots a citizen may attach to a public report: a few pictures of
// a phishing page or an SMS, not a place to store files. PNG and JPEG
// only, by what the bytes are: those are what phones and browsers make,
// and neither can carry a script.
const (
	MaxScreenshots    = 5
	MaxScreenshotSize = 5 << 20
)

// screenshotTypes are the sniffed media types a screenshot may have.
var screenshotTypes = []string{"image/png", "image/jpeg"}

// ReportFile is a file that came with a report (a screenshot from the
// public form). Its bytes are kept by SHA-256 like evidence; staff
// download it as an attachment, never see it rendered in our origin.
type ReportFile struct {
	ID        int64     `json:"id"`
	ReportID  int64     `json:"report_id"`
	SHA256    string    `json:"sha256"`
	Name      string    `json:"name"`
	Size      int64     `json:"size"`
	MediaType string    `json:"media_type"`
	AddedAt   time.Time `json:"added_at"`
	Data      []byte    `json:"-"` // the content, when a file is stored or opened
}

// CheckScreenshot validates one attached screenshot: a plain name, a size
// within MaxScreenshotSize, and content (sniffed from its bytes) that is
// PNG or JPEG and matches its name's extension.
func CheckScreenshot(name string, data []byte, sniffed string) (ReportFile, error) {
	if int64(len(data)) > MaxScreenshotSize {
		return ReportFile{}, errs.Field("screenshots", "%q is larger than %d MiB", name, MaxScreenshotSize>>20)
	}
	ev, err := CheckEvidence(name, int64(len(data)), sniffed)
	if err != nil {
		return ReportFile{}, errs.InField("screenshots", err)
	}
	if !oneOf(ev.MediaType, screenshotTypes) {
		return ReportFile{}, errs.Field("screenshots", "%q is %s; send PNG or JPEG pictures", ev.Name, strings.TrimSpace(ev.MediaType))
	}
	return ReportFile{Name: ev.Name, Size: ev.Size, MediaType: ev.MediaType, Data: data}, nil
}

// MailOrigin is the mail a report came in: its Message-ID (unique: the
// same mail never makes two reports), sender and subject.
type MailOrigin struct {
	MessageID, Sender, Subject string
}
