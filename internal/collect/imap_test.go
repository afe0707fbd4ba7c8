package collect_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"github.com/qalxan/qalxan/internal/collect"
)

// imapServer starts an in-memory IMAP server with user cert/pw, mailboxes
// INBOX and Processed, and returns its address and the user to add mail.
func imapServer(t *testing.T) (string, *imapmemserver.User) {
	t.Helper()
	mem := imapmemserver.New()
	user := imapmemserver.NewUser("cert", "pw")
	for _, mb := range []string{"INBOX", "Processed"} {
		if err := user.Create(mb, nil); err != nil {
			t.Fatal(err)
		}
	}
	mem.AddUser(user)
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
		InsecureAuth: true,
		Logger:       discardLogger{},
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String(), user
}

type discardLogger struct{}

func (discardLogger) Printf(string, ...any) {}

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

// unseen returns the number of unseen messages and of all messages in a
// mailbox.
func mailboxCounts(t *testing.T, addr, mailbox string) (unseen, total uint32) {
	t.Helper()
	c, err := imapclient.DialInsecure(addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login("cert", "pw").Wait(); err != nil {
		t.Fatal(err)
	}
	st, err := c.Status(mailbox, &imap.StatusOptions{NumMessages: true, NumUnseen: true}).Wait()
	if err != nil {
		t.Fatal(err)
	}
	return *st.NumUnseen, *st.NumMessages
}

func newIMAP(addr string) *collect.IMAP {
	return &collect.IMAP{Source: "shadowserver-mail", Addr: addr, Security: collect.IMAPInsecure, Username: "cert", Password: "pw", Now: fixedNow}
}

func TestIMAPTakesAttachments(t *testing.T) {
	addr, user := imapServer(t)
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
	if unseen, total := mailboxCounts(t, addr, "INBOX"); unseen != 0 || total != 3 {
		t.Errorf("INBOX: got %d unseen of %d, want 0 of 3", unseen, total)
	}
	// Nothing new: nothing handed on again.
	mustCollect(t, newIMAP(addr), s.handle)
	if len(s.reports) != 3 {
		t.Errorf("second round: got %d reports in all, want still 3", len(s.reports))
	}
}

func TestIMAPMarksOnlyAfterSuccess(t *testing.T) {
	addr, user := imapServer(t)
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
	if unseen, _ := mailboxCounts(t, addr, "INBOX"); unseen != 1 {
		t.Fatalf("got %d unseen, want 1", unseen)
	}
	var s sink
	mustCollect(t, newIMAP(addr), s.handle)
	if got, want := s.names(), []string{"b.csv"}; !slices.Equal(got, want) {
		t.Errorf("retry: got %v, want %v", got, want)
	}
}

func TestIMAPMoveTo(t *testing.T) {
	addr, user := imapServer(t)
	appendMail(t, user, "one", attachment{name: "a.csv", contentType: "text/csv", body: "1\n"})
	c := newIMAP(addr)
	c.MoveTo = "Processed"
	var s sink
	mustCollect(t, c, s.handle)
	if _, total := mailboxCounts(t, addr, "INBOX"); total != 0 {
		t.Errorf("INBOX: got %d messages, want 0", total)
	}
	if _, total := mailboxCounts(t, addr, "Processed"); total != 1 {
		t.Errorf("Processed: got %d messages, want 1", total)
	}
}

func TestIMAPErrors(t *testing.T) {
	addr, user := imapServer(t)
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
	if unseen, _ := mailboxCounts(t, addr, "INBOX"); unseen != 1 {
		t.Errorf("got %d unseen, want the mail left unseen", unseen)
	}
}

func TestIMAPCancelled(t *testing.T) {
	addr, user := imapServer(t)
	appendMail(t, user, "one", attachment{name: "a.csv", contentType: "text/csv", body: "1\n"})
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := newIMAP(addr).Collect(cctx, (&sink{}).handle); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
	if unseen, _ := mailboxCounts(t, addr, "INBOX"); unseen != 1 {
		t.Errorf("got %d unseen, want the mail left unseen", unseen)
	}
}
