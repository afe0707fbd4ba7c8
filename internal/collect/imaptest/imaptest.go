// Package imaptest runs a real IMAP server on loopback for tests: go-imap's
// in-memory server, with one user and the mailboxes INBOX and Processed.
package imaptest

import (
	"net"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
)

// Server is a running IMAP server. Mail is added through User.
type Server struct {
	Addr               string
	User               *imapmemserver.User
	username, password string
}

// Start starts a server with the user username/password; it stops when
// the test ends.
func Start(t testing.TB, username, password string) *Server {
	t.Helper()
	mem := imapmemserver.New()
	user := imapmemserver.NewUser(username, password)
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
		Logger:       quiet{},
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return &Server{Addr: ln.Addr().String(), User: user, username: username, password: password}
}

// quiet drops the server's log: a client that hangs up is logged as an
// error, and tests do that on purpose.
type quiet struct{}

func (quiet) Printf(string, ...any) {}

// Counts returns the number of unseen messages and of all messages in
// mailbox, asked over IMAP as a client would.
func (s *Server) Counts(t testing.TB, mailbox string) (unseen, total uint32) {
	t.Helper()
	c, err := imapclient.DialInsecure(s.Addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(s.username, s.password).Wait(); err != nil {
		t.Fatal(err)
	}
	st, err := c.Status(mailbox, &imap.StatusOptions{NumMessages: true, NumUnseen: true}).Wait()
	if err != nil {
		t.Fatal(err)
	}
	return *st.NumUnseen, *st.NumMessages
}
