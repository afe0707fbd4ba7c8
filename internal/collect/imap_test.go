package collect_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"github.com/qalxan/qalxan/internal/collect"
	"github.com/qalxan/qalxan/internal/collect/imaptest"
)

type attachment struct {
	name, contentType, body string
	inline                  bool
}

// appendMail adds a multipart mail with the attachments to the INBOX.
func appendMail(t *testing.T, user *imapmemserver.User, subject string, atts ...attachment) {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "From: Shadowserver <autoreports@shadowserver.org>\r\nTo: cert@cert.az\r\nSubject: %s\r\n", subject)
	fmt.Fprintf(&b, "Date: Fri, 20 Nov 2026 06:00:00 +0000\r\nMessage-ID: <%s@shadowserver.org>\r\n", strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return r
		}
		return '.'
	}, subject))
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"BOUNDARY\"\r\n\r\n")
	b.WriteString("--BOUNDARY\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nYour daily reports are attached.\r\n")
	for _, a := range atts {
		disp := "attachment"
		if a.inline {
			disp = "inline"
		}
		fmt.Fprintf(&b, "--BOUNDARY\r\nContent-Type: %s\r\nContent-Disposition: %s; filename=\"%s\"\r\nContent-Transfer-Encoding: base64\r\n\r\n%s\r\n",
			a.contentType, disp, a.name, base64.StdEncoding.EncodeToString([]byte(a.body)))
	}
	b.WriteString("--BOUNDARY--\r\n")
	if _, err := user.Append("INBOX", bytes.NewReader([]byte(b.String())), &imap.AppendOptions{}); err != nil {
		t.Fatal(err)
	}
}

func newIMAP(addr string) *collect.IMAP {
	return &collect.IMAP{Source: "shadowserver-mail", Addr: addr, Security: collect.IMAPInsecure, Username: "cert", Password: "pw", Now: fixedNow}
}

func TestIMAPTakesAttachments(t *testing.T) {
	srv := imaptest.Start(t, "cert", "pw")
	addr, user := srv.Addr, srv.User
	zipped := makeZip(t, file{"2026-11-20-scan_ftp-az-geo.csv", "ip\n198.51.100.2\n"})
	appendMail(t, user, "[Shadowserver] scan_rdp",
		attachment{name: "2026-11-20-scan_rdp-az-geo.csv", contentType: "text/csv", body: "ip\n198.51.100.1\n"},
		attachment{name: "logo.png", contentType: "image/png", body: "\x89PNG"})
	appendMail(t, user, "[Shadowserver] zipped", attachment{name: "reports.zip", contentType: "application/zip", body: string(zipped)})
	appendMail(t, user, "inline csv", attachment{name: "feed.csv", contentType: "text/csv", body: "a\n", inline: true})

	var s sink
	mustCollect(t, newIMAP(addr), collect.Unpack(collect.UnpackLimits{}, s.handle))

	if got, want := s.names(), []string{"2026-11-20-scan_rdp-az-geo.csv", "2026-11-20-scan_ftp-az-geo.csv", "feed.csv"}; !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	r := s.reports[0]
	if r.Body != "ip\n198.51.100.1\n" || r.Source != "shadowserver-mail" || r.Meta[collect.MetaMailSubject] != "[Shadowserver] scan_rdp" ||
		r.Meta[collect.MetaMailFrom] != "autoreports@shadowserver.org" || r.Meta[collect.MetaMailDate] != "2026-11-20T06:00:00Z" ||
		r.Meta[collect.MetaMailMessageID] == "" {
		t.Errorf("got %+v, want the CSV with the mail's subject, sender, date and id", r)
	}
	if z := s.reports[1]; z.Meta[collect.MetaArchive] != "reports.zip" || z.Meta[collect.MetaMailSubject] != "[Shadowserver] zipped" {
		t.Errorf("zipped: got meta %v, want the archive and the mail subject", z.Meta)
	}
	if unseen, total := srv.Counts(t, "INBOX"); unseen != 0 || total != 3 {
		t.Errorf("INBOX: got %d unseen of %d, want 0 of 3", unseen, total)
	}
	// Nothing new: nothing handed on again.
	mustCollect(t, newIMAP(addr), s.handle)
	if len(s.reports) != 3 {
		t.Errorf("second round: got %d reports in all, want still 3", len(s.reports))
	}
}

func TestIMAPMarksOnlyAfterSuccess(t *testing.T) {
	srv := imaptest.Start(t, "cert", "pw")
	addr, user := srv.Addr, srv.User
	appendMail(t, user, "one", attachment{name: "a.csv", contentType: "text/csv", body: "1\n"})
	appendMail(t, user, "two", attachment{name: "b.csv", contentType: "text/csv", body: "2\n"})

	// The store is down for b.csv: that mail stays unseen, the other does not.
	h := func(ctx context.Context, r collect.Report) error {
		io.Copy(io.Discard, r.Content)
		if r.Name == "b.csv" {
			return errors.New("database is down")
		}
		return nil
	}
	if err := newIMAP(addr).Collect(ctx, h); err == nil || !strings.Contains(err.Error(), "database is down") {
		t.Fatalf("got %v, want the handler's error", err)
	}
	if unseen, _ := srv.Counts(t, "INBOX"); unseen != 1 {
		t.Fatalf("got %d unseen, want 1", unseen)
	}
	var s sink
	mustCollect(t, newIMAP(addr), s.handle)
	if got, want := s.names(), []string{"b.csv"}; !slices.Equal(got, want) {
		t.Errorf("retry: got %v, want %v", got, want)
	}
}

func TestIMAPMoveTo(t *testing.T) {
	srv := imaptest.Start(t, "cert", "pw")
	addr, user := srv.Addr, srv.User
	appendMail(t, user, "one", attachment{name: "a.csv", contentType: "text/csv", body: "1\n"})
	c := newIMAP(addr)
	c.MoveTo = "Processed"
	var s sink
	mustCollect(t, c, s.handle)
	if _, total := srv.Counts(t, "INBOX"); total != 0 {
		t.Errorf("INBOX: got %d messages, want 0", total)
	}
	if _, total := srv.Counts(t, "Processed"); total != 1 {
		t.Errorf("Processed: got %d messages, want 1", total)
	}
}

func TestIMAPErrors(t *testing.T) {
	srv := imaptest.Start(t, "cert", "pw")
	addr, user := srv.Addr, srv.User
	appendMail(t, user, "big", attachment{name: "a.csv", contentType: "text/csv", body: strings.Repeat("x", 10_000)})
	tests := []struct {
		name   string
		modify func(*collect.IMAP)
		want   string
	}{
		{"wrong password", func(c *collect.IMAP) { c.Password = "s3cr3t-wrong" }, "log in as cert"},
		{"no such mailbox", func(c *collect.IMAP) { c.Mailbox = "Nope" }, "select Nope"},
		{"message too large", func(c *collect.IMAP) { c.MaxMessage = 1000 }, "larger than the limit"},
		{"bad security", func(c *collect.IMAP) { c.Security = "maybe" }, "unknown security"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newIMAP(addr)
			tt.modify(c)
			err := c.Collect(ctx, (&sink{}).handle)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "s3cr3t") {
				t.Errorf("the password leaked into %q", err)
			}
		})
	}
	if unseen, _ := srv.Counts(t, "INBOX"); unseen != 1 {
		t.Errorf("got %d unseen, want the mail left unseen", unseen)
	}
}

func TestIMAPCancelled(t *testing.T) {
	srv := imaptest.Start(t, "cert", "pw")
	addr, user := srv.Addr, srv.User
	appendMail(t, user, "one", attachment{name: "a.csv", contentType: "text/csv", body: "1\n"})
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := newIMAP(addr).Collect(cctx, (&sink{}).handle); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
	if unseen, _ := srv.Counts(t, "INBOX"); unseen != 1 {
		t.Errorf("got %d unseen, want the mail left unseen", unseen)
	}
}
