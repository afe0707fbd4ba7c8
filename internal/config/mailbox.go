package config

import (
	"fmt"
	"time"
)

// Mailbox is the incident mailbox (incidents.mailbox): an IMAP folder
// whose new mail serve turns into incident reports, one per mail.
// Password may be written as ${ENV_NAME}; it is never logged or printed.
type Mailbox struct {
	Host     string        `yaml:"host,omitempty"` // none: no mail intake
	Port     int           `yaml:"port,omitempty"` // default 993 with tls, 143 otherwise
	TLS      string        `yaml:"tls,omitempty"`  // tls (default), starttls or insecure (a server on this host only)
	User     string        `yaml:"user,omitempty"`
	Password string        `yaml:"password,omitempty"`
	Folder   string        `yaml:"folder,omitempty"`   // default INBOX
	MoveTo   string        `yaml:"move_to,omitempty"`  // a folder processed mail is moved to; default: only marked seen
	Interval time.Duration `yaml:"interval,omitempty"` // how often it is read; default 1m
}

// Enabled reports whether a mailbox is configured.
func (m Mailbox) Enabled() bool { return m.Host != "" }

// Addr is host:port, with the default port of the TLS mode.
func (m Mailbox) Addr() string {
	port := m.Port
	if port == 0 {
		port = 993
		if m.TLS == "starttls" || m.TLS == "insecure" {
			port = 143
		}
	}
	return fmt.Sprintf("%s:%d", m.Host, port)
}

// Every is how often the mailbox is read.
func (m Mailbox) Every() time.Duration {
	if m.Interval > 0 {
		return m.Interval
	}
	return time.Minute
}

// validate checks the mailbox; errors name the key.
func (m Mailbox) validate() error {
	if !m.Enabled() {
		if m != (Mailbox{}) {
			return fmt.Errorf("config: incidents.mailbox: host: required when the mailbox is configured")
		}
		return nil
	}
	fail := func(key, format string, a ...any) error {
		return fmt.Errorf("config: incidents.mailbox.%s: %s", key, fmt.Sprintf(format, a...))
	}
	if m.Port < 0 || m.Port > 65535 {
		return fail("port", "%d: want 1 to 65535", m.Port)
	}
	switch m.TLS {
	case "", "tls", "starttls", "insecure":
	default:
		return fail("tls", "%q: want tls, starttls or insecure", m.TLS)
	}
	if m.User == "" {
		return fail("user", "required with a host")
	}
	if m.Password == "" {
		return fail("password", "required with a host (write ${ENV_NAME} to keep it out of the file)")
	}
	if m.Interval != 0 && m.Interval < 10*time.Second {
		return fail("interval", "%s: want at least 10s", m.Interval)
	}
	return nil
}
