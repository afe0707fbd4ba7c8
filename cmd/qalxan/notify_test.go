package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/config"
	"github.com/qalxan/qalxan/internal/finding"
	"github.com/qalxan/qalxan/internal/notify"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
)

// mailpit is a mailpit server: its SMTP address and its HTTP API.
type mailpit struct{ smtp, api string }

// sharedMailpit is the server scripts/test starts (QALXAN_TEST_SMTP,
// QALXAN_TEST_MAILPIT); without it the test skips, or fails when "smtp" is
// required.
func sharedMailpit(t *testing.T) mailpit {
	t.Helper()
	m := mailpit{os.Getenv("QALXAN_TEST_SMTP"), os.Getenv("QALXAN_TEST_MAILPIT")}
	if m.smtp == "" || m.api == "" {
		if storagetest.Required("smtp") {
			t.Fatal("QALXAN_TEST_SMTP and QALXAN_TEST_MAILPIT are not set but SMTP is required (run the tests with scripts/test)")
		}
		t.Skip("QALXAN_TEST_SMTP not set; run scripts/test to test against mailpit")
	}
	return m
}

// mailpitBinary is the mailpit scripts/test builds into .cache/bin.
func mailpitBinary(t *testing.T) string {
	t.Helper()
	bin, _ := filepath.Abs("../../.cache/bin/mailpit")
	if _, err := os.Stat(bin); err != nil {
		if storagetest.Required("smtp") {
			t.Fatalf("mailpit not built at %s", bin)
		}
		t.Skip("mailpit not built; run scripts/test")
	}
	return bin
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startMailpit runs a mailpit of the test's own on smtpAddr and apiAddr,
// keeping its messages in db across restarts; stop ends it.
func startMailpit(t *testing.T, bin, smtpAddr, apiAddr, db string) (stop func()) {
	t.Helper()
	cmd := exec.Command(bin, "--smtp", smtpAddr, "--listen", apiAddr, "--database", db, "--smtp-disable-rdns", "--disable-version-check")
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	stop = func() {
		cmd.Process.Kill()
		<-done
	}
	for i := 0; ; i++ {
		if resp, err := http.Get("http://" + apiAddr + "/api/v1/messages"); err == nil {
			resp.Body.Close()
			if c, err := net.Dial("tcp", smtpAddr); err == nil {
				c.Close()
				return stop
			}
		}
		if i > 100 {
			stop()
			t.Fatal("mailpit did not start")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

type mpAddress struct{ Address string }

type mpSummary struct {
	ID, MessageID, Subject string
	To                     []mpAddress
}

type mpMessage struct {
	mpSummary
	Text, HTML  string
	Attachments []struct{ PartID, FileName, ContentType string }
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

// messagesTo lists the messages that arrived for addresses ending in
// suffix (tests share the server: each uses its own domain).
func (m mailpit) messagesTo(t *testing.T, suffix string) []mpSummary {
	t.Helper()
	var list struct{ Messages []mpSummary }
	getJSON(t, m.api+"/api/v1/messages?limit=5000", &list)
	var out []mpSummary
	for _, s := range list.Messages {
		for _, to := range s.To {
			if strings.HasSuffix(to.Address, suffix) {
				out = append(out, s)
				break
			}
		}
	}
	return out
}

func notifyConfig(t *testing.T, dir string, m mailpit) string {
	t.Helper()
	cfg := fmt.Sprintf("data_dir: %s\nbase_url: https://portal.cert.example\nmail:\n  smtp_addr: %s\n  from: \"CERT.AZ <cert@cert.example>\"\n  tls: none\n", dir, m.smtp)
	path := filepath.Join(dir, "qalxan.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestNoticeArrives(t *testing.T) {
	m := sharedMailpit(t)
	dir := t.TempDir()
	cfgPath := notifyConfig(t, dir, m)
	s, err := storage.Open(context.Background(), filepath.Join(dir, "qalxan.db"))
	if err != nil {
		t.Fatal(err)
	}
	domain := fmt.Sprintf("n%d.example.az", time.Now().UnixNano())
	o := storagetest.SeedOrg(t, s, "energy", "ru", "red", "soc@"+domain, "cio@"+domain+":escalation")
	storagetest.SeedFindings(t, s, o.ID,
		storagetest.Gap{Identifier: "vulnerable-exchange", Severity: finding.Critical, EventsPer: 2},
		storagetest.Gap{Identifier: "accessible-rdp", Severity: finding.High, EventsPer: 1})
	s.Close()

	code, out, errOut := cli(t, "", "notify", "--config", cfgPath, "--dry-run", "--json")
	if code != 0 || strings.Count(out, "\n") != 1 {
		t.Fatalf("dry run: exit %d, %q %q", code, out, errOut)
	}
	code, out, errOut = cli(t, "", "notify", "--config", cfgPath, "--json")
	var got struct {
		Org, Reference, Subject, Severity string
		To                                []string
		Findings                          int
	}
	if err := json.Unmarshal([]byte(out), &got); code != 0 || err != nil {
		t.Fatalf("notify: exit %d, %q %q, %v", code, out, errOut, err)
	}
	if got.Org != "energy" || got.Findings != 2 || got.Severity != "critical" || strings.Join(got.To, ",") != "soc@"+domain ||
		!strings.Contains(got.Subject, "TLP:RED") || !strings.Contains(got.Subject, got.Reference) {
		t.Errorf("notify --json: got %+v", got)
	}
	if !strings.Contains(errOut, "1 sent") {
		t.Errorf("notify: stderr %q, want 1 sent", errOut)
	}
	msgs := m.messagesTo(t, "@"+domain)
	if len(msgs) != 1 {
		t.Fatalf("arrived: got %d messages, want 1", len(msgs))
	}
	var msg mpMessage
	getJSON(t, m.api+"/api/v1/message/"+msgs[0].ID, &msg)
	if msg.Subject != got.Subject || msg.MessageID != got.Reference+"@cert.example" {
		t.Errorf("message: subject %q id %q, want %q and %s@cert.example", msg.Subject, msg.MessageID, got.Subject, got.Reference)
	}
	// The portal link is signed (/n/TOKEN, see internal/auth/link.go); the
	// UI's tests check what such a link opens.
	for _, want := range []string{"TLP:RED", "Что сделать", "vulnerable-exchange", "https://portal.cert.example/n/", got.Reference} {
		if !strings.Contains(msg.Text, want) {
			t.Errorf("text body lacks %q:\n%s", want, msg.Text)
		}
	}
	if !strings.Contains(msg.HTML, "TLP:RED") || !strings.Contains(msg.HTML, "Критичность") {
		t.Errorf("HTML body: %s", msg.HTML)
	}
	if len(msg.Attachments) != 1 || msg.Attachments[0].FileName != got.Reference+".csv" {
		t.Fatalf("attachments: got %+v", msg.Attachments)
	}
	resp, err := http.Get(m.api + "/api/v1/message/" + msg.ID + "/part/" + msg.Attachments[0].PartID)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	recs, err := csv.NewReader(resp.Body).ReadAll()
	if err != nil || len(recs) != 4 || recs[0][0] != "finding_id" || recs[1][1] != "vulnerable-exchange" {
		t.Errorf("CSV: got %v, %v; want a header and 3 events", recs, err)
	}
	// Nothing new: a second run sends nothing.
	if code, out, _ := cli(t, "", "notify", "--config", cfgPath, "--json"); code != 0 || out != "" {
		t.Errorf("second run: exit %d, %q; want nothing", code, out)
	}
}

// stoppingSender stops the mail server after its nth delivery.
type stoppingSender struct {
	notify.Sender
	n, sent int
	stop    func()
}

func (s *stoppingSender) Send(ctx context.Context, m *notify.Message) error {
	err := s.Sender.Send(ctx, m)
	if err == nil {
		if s.sent++; s.sent == s.n {
			s.stop()
		}
	}
	return err
}

func TestNoticesSurviveTheMailServerGoingAway(t *testing.T) {
	bin := mailpitBinary(t)
	dir := t.TempDir()
	smtpAddr, apiAddr := freePort(t), freePort(t)
	m := mailpit{smtp: smtpAddr, api: "http://" + apiAddr}
	db := filepath.Join(dir, "mailpit.db")
	s := storagetest.SQLite(t)
	cfg := config.Defaults()
	cfg.Mail = config.Mail{SMTPAddr: smtpAddr, From: "cert@cert.example", TLS: "none"}
	n, err := newNotifier(cfg, s, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	w := n.worker
	w.Backoff, w.MaxBackoff, w.MaxAttempts = 20*time.Millisecond, 100*time.Millisecond, 1000
	const orgs = 12
	for i := range orgs {
		o := storagetest.SeedOrg(t, s, fmt.Sprintf("org%02d", i), "en", "", fmt.Sprintf("soc@org%02d.restart.az", i))
		storagetest.SeedFindings(t, s, o.ID, storagetest.Gap{Identifier: "open-redis", Severity: finding.High, EventsPer: 1})
	}
	ctx := context.Background()
	queued := 0
	if err := n.queue(ctx, notify.Digest, false, nil, func(*notify.Notice) { queued++ }); err != nil || queued != orgs {
		t.Fatalf("queue: got %d, %v; want %d", queued, err, orgs)
	}
	// The server is down: nothing is lost, everything waits.
	res, err := w.RunOnce(ctx)
	if err != nil || res.Sent != 0 || res.Retried != orgs {
		t.Fatalf("server down: got %+v, %v", res, err)
	}
	// It comes up, and goes away again after four deliveries.
	stop := startMailpit(t, bin, smtpAddr, apiAddr, db)
	w.Sender = &stoppingSender{Sender: w.Sender, n: 4, stop: stop}
	sent := 0
	deadline := time.Now().Add(30 * time.Second)
	for sent < 4 && time.Now().Before(deadline) {
		res, err := w.RunOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		sent += res.Sent
		time.Sleep(30 * time.Millisecond)
	}
	if sent != 4 {
		t.Fatalf("before the second outage: %d sent, want 4", sent)
	}
	if res, _ := w.RunOnce(ctx); res.Sent != 0 {
		t.Fatalf("sent %d while the server was down", res.Sent)
	}
	stop = startMailpit(t, bin, smtpAddr, apiAddr, db)
	defer stop()
	for sent < orgs && time.Now().Before(deadline) {
		time.Sleep(120 * time.Millisecond)
		res, err := w.RunOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		sent += res.Sent
	}
	if sent != orgs {
		t.Fatalf("sent %d, want %d", sent, orgs)
	}
	msgs := m.messagesTo(t, ".restart.az")
	ids := map[string]int{}
	for _, msg := range msgs {
		ids[msg.MessageID]++
	}
	if len(msgs) != orgs || len(ids) != orgs {
		t.Errorf("arrived: %d messages with %d Message-IDs, want %d of each (%v)", len(msgs), len(ids), orgs, ids)
	}
	var notSent int
	s.DB().QueryRow(`SELECT COUNT(*) FROM notices WHERE status <> 'sent'`).Scan(&notSent)
	if notSent != 0 {
		t.Errorf("%d notices not marked sent", notSent)
	}
}
