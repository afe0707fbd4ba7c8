package collect

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"time"

	_ "github.com/emersion/go-message/charset" // partner CERTs write subjects in windows-1251, koi8-r ...
	"github.com/emersion/go-message/mail"
)

// DefaultAttachmentTypes are the file name extensions of the attachments
// taken from mail: what feeds send (CSV, JSON) and what they pack it in.
var DefaultAttachmentTypes = []string{".csv", ".json", ".zip", ".gz", ".gzip"}

// mailReports hands the wanted attachments of one RFC 5322 message to h,
// each a report with the mail's subject, sender, message id and date in
// its metadata. It returns how many it handed on.
func mailReports(ctx context.Context, msg io.Reader, base Report, types []string, h Handler) (int, error) {
	mr, err := mail.CreateReader(msg)
	if err != nil && mr == nil {
		return 0, invalid(err, "not a readable mail message")
	}
	// An unknown charset in a header leaves that header undecoded, which
	// is still worth keeping; hence the ignored errors.
	meta := copyMeta(base.Meta)
	if s, err := mr.Header.Subject(); err == nil || s != "" {
		meta[MetaMailSubject] = s
	}
	if from, err := mr.Header.AddressList("From"); err == nil && len(from) > 0 {
		meta[MetaMailFrom] = from[0].Address
	}
	if id, err := mr.Header.MessageID(); err == nil && id != "" {
		meta[MetaMailMessageID] = id
	}
	if d, err := mr.Header.Date(); err == nil && !d.IsZero() {
		meta[MetaMailDate] = d.UTC().Format(time.RFC3339)
	}
	n := 0
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, invalid(err, "mail %q: MIME structure", meta[MetaMailSubject])
		}
		name := partFileName(p.Header)
		if !wanted(name, types) {
			continue
		}
		r := base
		r.Name, r.Meta, r.Content = name, copyMeta(meta), p.Body
		if err := h(ctx, r); err != nil {
			return n, fmt.Errorf("attachment %s: %w", name, err)
		}
		n++
	}
}

// partFileName is the file name of a MIME part, from Content-Disposition
// or, as older mailers put it, the Content-Type name parameter. Both
// attachments and inline parts count: some feeds send their CSV inline.
func partFileName(h mail.PartHeader) string {
	var name string
	switch h := h.(type) {
	case *mail.AttachmentHeader:
		name, _ = h.Filename()
	case *mail.InlineHeader:
		if _, params, err := h.ContentDisposition(); err == nil {
			name = params["filename"]
		}
	}
	if name == "" {
		if ph, ok := h.(interface {
			ContentType() (string, map[string]string, error)
		}); ok {
			if _, params, err := ph.ContentType(); err == nil {
				name = params["name"]
			}
		}
	}
	return memberName(name)
}

func wanted(name string, types []string) bool {
	if name == "" {
		return false
	}
	ext := strings.ToLower(path.Ext(name))
	for _, t := range types {
		if strings.EqualFold(ext, t) {
			return true
		}
	}
	return false
}
