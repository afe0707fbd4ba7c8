package notify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"time"
)

// Queue is where notices wait to be sent (storage.Store).
type Queue interface {
	// ClaimNotices marks up to limit notices due at now (queued, or
	// sending with an ended lease) as sending until now+lease, counting an
	// attempt, and returns them. One notice is never claimed twice at once.
	ClaimNotices(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Notice, error)
	// WriteNoticeCSV streams the events behind the notice's findings as CSV.
	WriteNoticeCSV(ctx context.Context, noticeID int64, w io.Writer) error
	// MarkNoticeSent records the delivery.
	MarkNoticeSent(ctx context.Context, id int64, messageID string, at time.Time) error
	// RetryNotice puts the notice back in the queue until next, or fails it
	// for good when next is zero, keeping the error.
	RetryNotice(ctx context.Context, id int64, lastError string, next time.Time) error
}

// Worker sends queued notices.
type Worker struct {
	Queue       Queue
	Sender      Sender
	Log         *slog.Logger
	Now         func() time.Time
	Domain      string        // of the Message-ID: the sender's domain
	MaxAttempts int           // attempts before a notice fails for good (default 8)
	Lease       time.Duration // how long a claim lasts before another worker may retry (default 10m)
	Backoff     time.Duration // first retry delay, doubled each attempt (default 1m)
	MaxBackoff  time.Duration // at most (default 6h)
	Batch       int           // notices claimed at once (default 20)
}

func (w *Worker) defaults() {
	if w.Now == nil {
		w.Now = func() time.Time { return time.Now().UTC() }
	}
	if w.Log == nil {
		w.Log = slog.New(slog.DiscardHandler)
	}
	if w.MaxAttempts <= 0 {
		w.MaxAttempts = 8
	}
	if w.Lease <= 0 {
		w.Lease = 10 * time.Minute
	}
	if w.Backoff <= 0 {
		w.Backoff = time.Minute
	}
	if w.MaxBackoff <= 0 {
		w.MaxBackoff = 6 * time.Hour
	}
	if w.Batch <= 0 {
		w.Batch = 20
	}
}

// Delay is the wait before attempt number attempts+1: Backoff doubled per
// attempt made, at most MaxBackoff, with ±20% jitter so that notices
// failed together do not retry together.
func (w *Worker) Delay(attempts int) time.Duration {
	w.defaults()
	d := w.Backoff
	for i := 1; i < attempts && d < w.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, w.MaxBackoff)
	jitter := time.Duration((rand.Float64()*0.4 - 0.2) * float64(d))
	return d + jitter
}

// Result counts what a round did.
type Result struct {
	Sent, Retried, Failed int
}

// RunOnce sends the notices due when it starts, batch after batch; one
// retried in this round waits for a later round.
func (w *Worker) RunOnce(ctx context.Context) (Result, error) {
	w.defaults()
	var res Result
	start := w.Now()
	for {
		// Due by the round's start, leased for Lease from now.
		ns, err := w.Queue.ClaimNotices(ctx, start, w.Lease+w.Now().Sub(start), w.Batch)
		if err != nil {
			return res, err
		}
		if len(ns) == 0 {
			return res, nil
		}
		for i := range ns {
			if err := ctx.Err(); err != nil {
				return res, err
			}
			if err := w.send(ctx, &ns[i], &res); err != nil {
				return res, err
			}
		}
	}
}

// send delivers one claimed notice and records the outcome; it returns an
// error only when the outcome cannot be recorded.
func (w *Worker) send(ctx context.Context, n *Notice, res *Result) error {
	m := &Message{
		MessageID: MessageID(n.Reference, w.Domain), To: n.To, Subject: n.Subject, Text: n.Text, HTML: n.HTML, Date: n.CreatedAt,
		Attachments: []Attachment{{
			Name: n.Reference + ".csv", ContentType: "text/csv",
			Write: func(wr io.Writer) error { return w.Queue.WriteNoticeCSV(ctx, n.ID, wr) },
		}},
	}
	err := w.Sender.Send(ctx, m)
	if err == nil {
		res.Sent++
		w.Log.Info("notice sent", "reference", n.Reference, "org", n.Org, "to", len(n.To), "findings", n.FindingsCount)
		return w.Queue.MarkNoticeSent(ctx, n.ID, m.MessageID, w.Now())
	}
	if ctx.Err() != nil {
		// Shutting down: the lease ends and another round retries it.
		return ctx.Err()
	}
	var perm permanentError
	if errors.As(err, &perm) || n.Attempts >= w.MaxAttempts {
		res.Failed++
		w.Log.Error("notice failed", "reference", n.Reference, "org", n.Org, "attempts", n.Attempts, "err", err)
		return w.Queue.RetryNotice(ctx, n.ID, fmt.Sprintf("attempt %d: %v", n.Attempts, err), time.Time{})
	}
	res.Retried++
	next := w.Now().Add(w.Delay(n.Attempts))
	w.Log.Warn("notice not sent, will retry", "reference", n.Reference, "org", n.Org, "attempts", n.Attempts, "next", next, "err", err)
	return w.Queue.RetryNotice(ctx, n.ID, fmt.Sprintf("attempt %d: %v", n.Attempts, err), next)
}

// Run sends due notices every interval until ctx ends; a failed round is
// logged and tried again next time.
func (w *Worker) Run(ctx context.Context, every time.Duration) {
	w.defaults()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := w.RunOnce(ctx); err != nil && ctx.Err() == nil {
			w.Log.Error("notice delivery round", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
