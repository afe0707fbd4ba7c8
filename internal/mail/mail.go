// Package mail delivers notices over SMTP with github.com/wneessen/go-mail:
// STARTTLS, implicit TLS or none, with or without authentication.
package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/qalxan/qalxan/internal/notify"
)

// TLS modes.
const (
	StartTLS = "starttls" // plain connection upgraded with STARTTLS, required (the default)
	TLS      = "tls"      // implicit TLS from the first byte (port 465)
	None     = "none"     // no encryption: a local relay or a test server only
)

// Config is the SMTP relay.
type Config struct {
	Addr     string // HOST:PORT
	From     string // the From address, "CERT <cert@example.az>" or an address
	Username string // authenticate when set
	Password string
	TLS      string // starttls, tls or none
	Timeout  time.Duration
}

// Sender sends messages through one SMTP relay; each Send is one
// connection.
type Sender struct {
	cfg  Config
	host string
	port int
}

var _ notify.Sender = (*Sender)(nil)

// New checks the configuration and returns a Sender.
func New(c Config) (*Sender, error) {
	host, p, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return nil, fmt.Errorf("mail: smtp_addr %q: want HOST:PORT", c.Addr)
	}
	port, err := strconv.Atoi(p)
	if err != nil || port <= 0 || port > 65535 {
		return nil, fmt.Errorf("mail: smtp_addr %q: bad port", c.Addr)
	}
	if c.From == "" {
		return nil, fmt.Errorf("mail: from is required")
	}
	switch c.TLS {
	case "":
		c.TLS = StartTLS
	case StartTLS, TLS, None:
	default:
		return nil, fmt.Errorf("mail: tls %q: want starttls, tls or none", c.TLS)
	}
	if c.Timeout <= 0 {
		c.Timeout = 30 * time.Second
	}
	m := gomail.NewMsg()
	if err := m.From(c.From); err != nil {
		return nil, fmt.Errorf("mail: from %q: %w", c.From, err)
	}
	return &Sender{cfg: c, host: host, port: port}, nil
}

// Domain is the domain of the From address: for Message-IDs.
func (s *Sender) Domain() string {
	from := s.cfg.From
	if i := strings.LastIndexByte(from, '@'); i >= 0 {
		return strings.TrimRight(from[i+1:], "> ")
	}
	return ""
}

// Send delivers m. Rejections the server says are permanent (5xx) are
// marked notify.Permanent; everything else is worth a retry.
func (s *Sender) Send(ctx context.Context, m *notify.Message) error {
	msg := gomail.NewMsg()
	if err := msg.From(s.cfg.From); err != nil {
		return notify.Permanent(fmt.Errorf("mail: from: %w", err))
	}
	if err := msg.To(m.To...); err != nil {
		return notify.Permanent(fmt.Errorf("mail: to: %w", err))
	}
	msg.Subject(m.Subject)
	if m.MessageID != "" {
		msg.SetMessageIDWithValue(m.MessageID)
	}
	if !m.Date.IsZero() {
		msg.SetDateWithValue(m.Date)
	} else {
		msg.SetDate()
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	for _, a := range m.Attachments {
		pr, pw := io.Pipe()
		go func() { pw.CloseWithError(a.Write(pw)) }()
		err := msg.AttachReader(a.Name, pr, gomail.WithFileContentType(gomail.ContentType(a.ContentType)))
		pr.Close()
		if err != nil {
			return fmt.Errorf("mail: attach %s: %w", a.Name, err)
		}
	}
	opts := []gomail.Option{gomail.WithPort(s.port), gomail.WithTimeout(s.cfg.Timeout), gomail.WithTLSConfig(&tls.Config{ServerName: s.host, MinVersion: tls.VersionTLS12})}
	switch s.cfg.TLS {
	case StartTLS:
		opts = append(opts, gomail.WithTLSPortPolicy(gomail.TLSMandatory), gomail.WithPort(s.port))
	case TLS:
		opts = append(opts, gomail.WithSSL(), gomail.WithPort(s.port))
	case None:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS), gomail.WithPort(s.port))
	}
	if s.cfg.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(s.cfg.Username), gomail.WithPassword(s.cfg.Password))
	}
	c, err := gomail.NewClient(s.host, opts...)
	if err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		var se *gomail.SendError
		if errors.As(err, &se) && !se.IsTemp() && isRejection(se) {
			return notify.Permanent(fmt.Errorf("mail: send to %s: %w", s.cfg.Addr, err))
		}
		return fmt.Errorf("mail: send to %s: %w", s.cfg.Addr, err)
	}
	return nil
}

// isRejection reports whether the server refused the message itself (a
// recipient, the content) rather than the connection failing.
func isRejection(se *gomail.SendError) bool {
	switch se.Reason {
	case gomail.ErrSMTPRcptTo, gomail.ErrSMTPDataClose, gomail.ErrSMTPMailFrom:
		return true
	}
	return false
}
