// Package collect brings reports in from where feeds deliver them: files
// and stdin, a drop folder, HTTP(S) downloads and IMAP mailboxes. A
// collector hands each report to a Handler while the content is open and
// acknowledges it at its source (moves the file, remembers the ETag, marks
// the mail seen) only after the handler succeeded, so a crash or a failed
// store never loses a report: it is simply collected again, and the raw
// archive recognises the content it already holds.
package collect

import (
	"context"
	"errors"
	"io"
	"time"
)

// Report is one file a collector delivers.
type Report struct {
	Name       string            // file name, without directories: feeds are recognised by it
	Source     string            // the collector's name
	ReceivedAt time.Time         // when the collector got it (UTC)
	Meta       map[string]string // where it came from: see the Meta* keys
	// Content is the report's bytes. It is valid only during the Handler
	// call: the collector closes it afterwards.
	Content io.Reader
}

// Keys of Report.Meta.
const (
	MetaPath          = "path"          // file path it was read from
	MetaURL           = "url"           // download URL, credentials removed
	MetaETag          = "etag"          // HTTP ETag of the download
	MetaLastModified  = "last_modified" // HTTP Last-Modified of the download
	MetaMailSubject   = "mail.subject"  // subject of the mail it was attached to
	MetaMailFrom      = "mail.from"     // sender of that mail
	MetaMailMessageID = "mail.message_id"
	MetaMailDate      = "mail.date"
	MetaArchive       = "archive"        // name of the ZIP or GZIP file it was unpacked from
	MetaArchiveMember = "archive.member" // its full path inside a ZIP file
)

// Handler takes a report, typically to archive and parse it. An error
// leaves the report at its source to be collected again, except that a
// drop folder sets aside files whose error has the errs.Invalid code.
type Handler func(ctx context.Context, r Report) error

// Collector is a source of reports. Collect runs one round: it hands every
// new report to h and returns. A collector keeps what it needs between
// rounds (sizes seen, ETags), so it is called again on a schedule; it is
// not safe for concurrent rounds.
type Collector interface {
	Name() string
	Collect(ctx context.Context, h Handler) error
}

// ErrTooLarge is wrapped by the errors for content over a size or count
// limit: an over-sized download, an archive that unpacks to too much (a
// zip bomb) or holds too many files.
var ErrTooLarge = errors.New("over the limit")

// Poll runs c every interval until ctx ends. A failed round is passed to
// onError (which may log it) and the next round runs as scheduled: a feed
// that is down today must not stop the others.
func Poll(ctx context.Context, c Collector, interval time.Duration, h Handler, onError func(error)) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		err := c.Collect(ctx, h)
		// Checked before the select, which picks at random among ready
		// cases: a cancelled poll must not start another round.
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil && onError != nil {
			onError(err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// copyMeta returns a copy of m with the extra key/value pairs set.
func copyMeta(m map[string]string, kv ...string) map[string]string {
	out := make(map[string]string, len(m)+len(kv)/2)
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}
