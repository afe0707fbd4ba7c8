package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/qalxan/qalxan/internal/i18n"
)

// Mail to a person rather than an organisation: the citizen who reported
// something, the analyst an incident was given to. Storage queues one
// row per thing that happened (MailKind, with its Data), in the same
// transaction as the change itself; the Outbox renders and sends them
// through the same Sender as notices, retrying with the same backoff.
type MailKind string

const (
	ReportReceived   MailKind = "report-received"   // to the reporter: the tracking code
	ReportStatus     MailKind = "report-status"     // to the reporter: the report's public status changed
	IncidentAssigned MailKind = "incident-assigned" // to the assignee
)

// PersonalMail is one queued mail to one person.
type PersonalMail struct {
	ID        int64
	Key       string // unique: each mail is queued once ("report:12:handled")
	Kind      MailKind
	To        string
	Language  string            // az, en, ru
	Data      map[string]string // what the template shows: code, status, ref, title ...
	Attempts  int
	CreatedAt time.Time
}

// MailQueue keeps personal mail (storage.Store).
type MailQueue interface {
	// ClaimMail leases up to limit mails due at now until now+lease,
	// counting an attempt; one mail is never claimed twice at once.
	ClaimMail(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]PersonalMail, error)
	// MarkMailSent records the delivery (and forgets the data: it may hold
	// a tracking code).
	MarkMailSent(ctx context.Context, id int64, messageID string, at time.Time) error
	// RetryMail puts the mail back until next, or fails it when next is zero.
	RetryMail(ctx context.Context, id int64, lastError string, next time.Time) error
}

// Outbox sends queued personal mail.
type Outbox struct {
	Queue   MailQueue
	Sender  Sender
	Log     *slog.Logger
	BaseURL string // of the site: links to /report/status and /incidents/ID
	// Worker gives the retry policy (MaxAttempts, Lease, Backoff, Batch)
	// and the Message-ID domain; notices and personal mail share it.
	Worker Worker
}

// RunOnce sends the mail due when it starts.
func (o *Outbox) RunOnce(ctx context.Context) (Result, error) {
	w := &o.Worker
	w.defaults()
	log := o.Log
	if log == nil {
		log = w.Log
	}
	var res Result
	start := w.Now()
	for {
		ms, err := o.Queue.ClaimMail(ctx, start, w.Lease+w.Now().Sub(start), w.Batch)
		if err != nil || len(ms) == 0 {
			return res, err
		}
		for _, m := range ms {
			if err := ctx.Err(); err != nil {
				return res, err
			}
			if err := o.send(ctx, m, &res, log); err != nil {
				return res, err
			}
		}
	}
}

func (o *Outbox) send(ctx context.Context, m PersonalMail, res *Result, log *slog.Logger) error {
	w := &o.Worker
	msg, err := RenderMail(m, o.BaseURL)
	if err == nil {
		msg.MessageID = MessageID(fmt.Sprintf("QLX-M-%d", m.ID), w.Domain)
		err = o.Sender.Send(ctx, msg)
	} else {
		err = Permanent(err)
	}
	// The address is the reporter's personal data: logs name the mail by
	// its id and kind only.
	if err == nil {
		res.Sent++
		log.Info("mail sent", "mail", m.ID, "kind", m.Kind)
		return o.Queue.MarkMailSent(ctx, m.ID, msg.MessageID, w.Now())
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var perm permanentError
	if errors.As(err, &perm) || m.Attempts >= w.MaxAttempts {
		res.Failed++
		log.Error("mail failed", "mail", m.ID, "kind", m.Kind, "attempts", m.Attempts, "err", err)
		return o.Queue.RetryMail(ctx, m.ID, fmt.Sprintf("attempt %d: %v", m.Attempts, err), time.Time{})
	}
	res.Retried++
	next := w.Now().Add(w.Delay(m.Attempts))
	log.Warn("mail not sent, will retry", "mail", m.ID, "kind", m.Kind, "attempts", m.Attempts, "next", next, "err", err)
	return o.Queue.RetryMail(ctx, m.ID, fmt.Sprintf("attempt %d: %v", m.Attempts, err), next)
}

// Run sends due mail every interval until ctx ends.
func (o *Outbox) Run(ctx context.Context, every time.Duration) {
	o.Worker.defaults()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := o.RunOnce(ctx); err != nil && ctx.Err() == nil {
			o.Worker.Log.Error("personal mail round", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// personalTemplates are mail.LANG.txt: a "subject.KIND" and a "body.KIND"
// block per kind.
var personalTemplates = func() map[string]*texttemplate.Template {
	out := map[string]*texttemplate.Template{}
	for _, lang := range []string{"az", "en", "ru"} {
		b, err := builtinTemplates.ReadFile("templates/mail." + lang + ".txt")
		if err != nil {
			panic("notify: " + err.Error())
		}
		out[lang] = texttemplate.Must(texttemplate.New(lang).Parse(string(b)))
	}
	return out
}()

// RenderMail renders m in its language (Azerbaijani when unknown).
func RenderMail(m PersonalMail, baseURL string) (*Message, error) {
	t := personalTemplates[m.Language]
	if t == nil {
		t = personalTemplates["az"]
	}
	data := map[string]string{"Site": strings.TrimRight(baseURL, "/")}
	for k, v := range m.Data {
		data[k] = v
	}
	if c := data["category"]; c != "" {
		data["category"] = i18n.T(m.Language, "category."+c) // the words the reporter chose on the form
	}
	var subject, body bytes.Buffer
	if err := t.ExecuteTemplate(&subject, "subject."+string(m.Kind), data); err != nil {
		return nil, fmt.Errorf("notify: mail %d (%s): %w", m.ID, m.Kind, err)
	}
	if err := t.ExecuteTemplate(&body, "body."+string(m.Kind), data); err != nil {
		return nil, fmt.Errorf("notify: mail %d (%s): %w", m.ID, m.Kind, err)
	}
	return &Message{To: []string{m.To}, Subject: strings.TrimSpace(subject.String()), Text: body.String(), Date: m.CreatedAt}, nil
}
