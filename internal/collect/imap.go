package collect

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// IMAP security modes.
const (
	IMAPTLS      = "tls"      // TLS from the start (port 993); the default
	IMAPStartTLS = "starttls" // plain connection upgraded with STARTTLS (port 143)
	IMAPInsecure = "insecure" // no TLS: only for a server on the same host, and tests
)

// DefaultMaxMessage bounds the size of a mail taken from IMAP.
const DefaultMaxMessage = 100 << 20

// IMAP takes the report attachments of the unseen mail in a mailbox, as
// Shadowserver and many partner CERTs send them. A mail is marked \Seen
// (or moved to MoveTo) only after all its attachments were handed on, so a
// failure leaves it to be taken again next round. Mail is read with
// BODY.PEEK, which leaves it unseen until then. Each attachment is handed
// on as it is: wrap the handler in Unpack to unpack ZIP and GZIP ones.
// Mail without a wanted attachment is marked too, so it is not fetched
// again every round: the mailbox is meant for reports.
type IMAP struct {
	Source             string // collector name; "imap" when empty
	Addr               string // host:port
	Security           string // IMAPTLS (default), IMAPStartTLS or IMAPInsecure
	TLSConfig          *tls.Config
	Username, Password string // from config; never logged
	Mailbox            string // "INBOX" when empty
	MoveTo             string // when set, processed mail is moved here instead of only marked seen
	AttachmentTypes    []string
	MaxMessage         int64 // DefaultMaxMessage when 0
	Now                func() time.Time
}

var _ Collector = (*IMAP)(nil)

func (m *IMAP) Name() string { return orDefault(m.Source, "imap") }

// LogValue keeps the password out of logs.
func (m *IMAP) LogValue() slog.Value {
	return slog.GroupValue(slog.String("name", m.Name()), slog.String("addr", m.Addr),
		slog.String("user", m.Username), slog.String("mailbox", m.mailbox()))
}

func (m *IMAP) mailbox() string { return orDefault(m.Mailbox, "INBOX") }

// Collect takes the unseen mail, one message at a time so that memory
// does not grow with the mailbox.
func (m *IMAP) Collect(ctx context.Context, h Handler) error {
	types := m.AttachmentTypes
	if len(types) == 0 {
		types = DefaultAttachmentTypes
	}
	return m.Each(ctx, func(ctx context.Context, msg io.Reader) error {
		base := Report{Source: m.Name(), ReceivedAt: now(m.Now), Meta: map[string]string{}}
		_, err := mailReports(ctx, msg, base, types, h)
		return err
	})
}

// MessageFunc takes one whole mail (RFC 5322) from a mailbox.
type MessageFunc func(ctx context.Context, msg io.Reader) error

// Each hands every unseen mail to fn, one at a time, and marks it
// processed (seen, or moved to MoveTo) once fn returned nil: a mail fn
// failed on stays unseen, to be taken again next time. Collect uses it
// for feed reports, the incident mailbox for citizens' reports.
func (m *IMAP) Each(ctx context.Context, fn MessageFunc) error {
	c, err := m.dial()
	if err != nil {
		return fmt.Errorf("collect: %s: connect to %s: %w", m.Name(), m.Addr, err)
	}
	defer c.Close()
	// The client has no context: closing the connection ends whatever it
	// is waiting for.
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	fail := func(what string, err error) error {
		if ctx.Err() != nil {
			return fmt.Errorf("collect: %s: %w", m.Name(), ctx.Err())
		}
		return fmt.Errorf("collect: %s: %s: %w", m.Name(), what, err)
	}
	if err := c.Login(m.Username, m.Password).Wait(); err != nil {
		return fail("log in as "+m.Username, err)
	}
	if _, err := c.Select(m.mailbox(), nil).Wait(); err != nil {
		return fail("select "+m.mailbox(), err)
	}
	found, err := c.UIDSearch(&imap.SearchCriteria{NotFlag: []imap.Flag{imap.FlagSeen}}, nil).Wait()
	if err != nil {
		return fail("search unseen mail", err)
	}
	var errList []error
	for _, uid := range found.AllUIDs() {
		if ctx.Err() != nil {
			return fail("", ctx.Err())
		}
		if err := m.take(ctx, c, uid, fn); err != nil {
			errList = append(errList, fmt.Errorf("collect: %s: mail %d: %w", m.Name(), uid, err))
			continue
		}
		if err := m.done(c, uid); err != nil {
			return errors.Join(append(errList, fail(fmt.Sprintf("mark mail %d processed", uid), err))...)
		}
	}
	c.Logout().Wait()
	return errors.Join(errList...)
}

func (m *IMAP) dial() (*imapclient.Client, error) {
	opts := &imapclient.Options{TLSConfig: m.TLSConfig}
	switch m.Security {
	case "", IMAPTLS:
		return imapclient.DialTLS(m.Addr, opts)
	case IMAPStartTLS:
		return imapclient.DialStartTLS(m.Addr, opts)
	case IMAPInsecure:
		return imapclient.DialInsecure(m.Addr, opts)
	default:
		return nil, fmt.Errorf("unknown security %q: use %s, %s or %s", m.Security, IMAPTLS, IMAPStartTLS, IMAPInsecure)
	}
}

// take fetches one message and hands it to fn.
func (m *IMAP) take(ctx context.Context, c *imapclient.Client, uid imap.UID, fn MessageFunc) error {
	section := &imap.FetchItemBodySection{Peek: true}
	cmd := c.Fetch(imap.UIDSetNum(uid), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{section}})
	defer cmd.Close()
	msg := cmd.Next()
	if msg == nil {
		if err := cmd.Close(); err != nil {
			return err
		}
		return errors.New("gone before it was fetched")
	}
	limit := m.MaxMessage
	if limit <= 0 {
		limit = DefaultMaxMessage
	}
	var handled error = errors.New("server sent no body")
	for item := msg.Next(); item != nil; item = msg.Next() {
		body, ok := item.(imapclient.FetchItemDataBodySection)
		if !ok || body.Literal == nil {
			continue
		}
		if body.Literal.Size() > limit {
			handled = fmt.Errorf("%d bytes, larger than the limit of %d: %w", body.Literal.Size(), limit, ErrTooLarge)
			continue
		}
		handled = fn(ctx, body.Literal)
	}
	if err := cmd.Close(); err != nil && handled == nil {
		return err
	}
	return handled
}

// done marks a message processed: moved, or flagged seen.
func (m *IMAP) done(c *imapclient.Client, uid imap.UID) error {
	set := imap.UIDSetNum(uid)
	if m.MoveTo != "" {
		_, err := c.Move(set, m.MoveTo).Wait()
		return err
	}
	return c.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagSeen}}, nil).Close()
}
