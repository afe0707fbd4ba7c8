package storage_test

import (
	"encoding/csv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/finding"
	"github.com/qalxan/qalxan/internal/notify"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
)

func queue(t *testing.T, s *storage.Store, b notify.Batch, kind notify.Kind) (*notify.Notice, bool) {
	t.Helper()
	n, ok := notify.Prepare(b, kind)
	if !ok {
		return n, false
	}
	queued, err := s.QueueNotice(ctx, n, func(n *notify.Notice) error { n.Subject = "subject " + n.Reference; n.Text = "text"; return nil })
	if err != nil {
		t.Fatalf("queue %s: %v", b.Org.ShortName, err)
	}
	return n, queued
}

func batchOf(t *testing.T, s *storage.Store, kind notify.Kind, short string) (notify.Batch, []string) {
	t.Helper()
	bs, err := s.NoticeBatches(ctx, kind, s.Now())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	var found notify.Batch
	for _, b := range bs {
		names = append(names, b.Org.ShortName)
		if b.Org.ShortName == short {
			found = b
		}
	}
	return found, names
}

func TestNoticeQueue(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		a := storagetest.SeedOrg(t, s, "alpha", "az", "red", "sec@alpha.gov.az", "boss@alpha.gov.az:escalation")
		b := storagetest.SeedOrg(t, s, "beta", "en", "", "sec@beta.gov.az")
		c := storagetest.SeedOrg(t, s, "gamma", "ru", "")
		aIDs := storagetest.SeedFindings(t, s, a.ID,
			storagetest.Gap{Identifier: "vulnerable-exchange", Severity: finding.Critical, EventsPer: 3},
			storagetest.Gap{Identifier: "accessible-rdp", Severity: finding.High, EventsPer: 2},
			storagetest.Gap{Identifier: "open-redis", Severity: finding.Medium, Status: finding.Notified, DueAt: s.Now().Add(-time.Hour), EventsPer: 1},
			storagetest.Gap{Identifier: "ssl-poodle", Severity: finding.Low, Status: finding.Resolved})
		storagetest.SeedFindings(t, s, b.ID, storagetest.Gap{Identifier: "open-dns", Severity: finding.Medium, EventsPer: 1})
		storagetest.SeedFindings(t, s, c.ID, storagetest.Gap{Identifier: "infected-system/emotet", Severity: finding.Critical})

		ba, names := batchOf(t, s, notify.Immediate, "alpha")
		if strings.Join(names, ",") != "alpha,gamma" || len(ba.Findings) != 3 || len(ba.Contacts) != 2 {
			t.Fatalf("immediate batches: got %v, alpha %d findings %d contacts; want alpha,gamma and 3, 2", names, len(ba.Findings), len(ba.Contacts))
		}
		n, ok := queue(t, s, ba, notify.Immediate)
		if !ok || !strings.HasPrefix(n.Reference, "QLX-N-") || n.HighestSeverity != finding.Critical || strings.Join(n.To, ",") != "sec@alpha.gov.az" {
			t.Fatalf("queue alpha: got %+v, %v", n, ok)
		}
		if _, again := queue(t, s, ba, notify.Immediate); again {
			t.Errorf("queued twice from one batch: got true, want false")
		}
		var notified, history int
		s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM findings WHERE org_id = $1 AND status = 'notified'`, a.ID).Scan(&notified)
		s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM finding_history WHERE actor = 'notify' AND to_status = 'notified' AND reason = $1`, "notice "+n.Reference).Scan(&history)
		if notified != 3 || history != 2 {
			t.Errorf("after queueing: got %d notified and %d history rows, want 3 and 2", notified, history)
		}
		if _, names := batchOf(t, s, notify.Digest, ""); strings.Join(names, ",") != "beta,gamma" {
			t.Errorf("digest batches: got %v, want beta,gamma", names)
		}

		// Escalation: the overdue finding, to the escalation contact, once.
		be, _ := batchOf(t, s, notify.Escalation, "alpha")
		if len(be.Findings) != 1 || be.Findings[0].ID != aIDs[2] {
			t.Fatalf("escalation: got %+v, want finding %d", be.Findings, aIDs[2])
		}
		en, ok := queue(t, s, be, notify.Escalation)
		if !ok || strings.Join(en.To, ",") != "boss@alpha.gov.az" {
			t.Fatalf("escalation: got %+v %v", en, ok)
		}
		if _, names := batchOf(t, s, notify.Escalation, ""); len(names) != 0 {
			t.Errorf("escalated again: %v", names)
		}

		// Two workers claiming at once share the notices, never one twice.
		now := s.Now()
		var mu sync.Mutex
		claimed := map[int64]int{}
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ns, err := s.ClaimNotices(ctx, now, time.Minute, 10)
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				for _, n := range ns {
					claimed[n.ID]++
					if n.Org != "alpha" || n.Status != notify.Sending || n.Attempts != 1 || n.Subject == "" {
						t.Errorf("claimed: got %+v", n)
					}
				}
				mu.Unlock()
			}()
		}
		wg.Wait()
		if len(claimed) != 2 || claimed[n.ID] != 1 || claimed[en.ID] != 1 {
			t.Fatalf("claims: got %v, want notices %d and %d once each", claimed, n.ID, en.ID)
		}
		if ns, _ := s.ClaimNotices(ctx, now.Add(30*time.Second), time.Minute, 10); len(ns) != 0 {
			t.Errorf("claimed during the lease: %d", len(ns))
		}
		// A worker that crashed: the lease ends and another takes it.
		ns, err := s.ClaimNotices(ctx, now.Add(2*time.Minute), time.Minute, 10)
		if err != nil || len(ns) != 2 || ns[0].Attempts != 2 {
			t.Fatalf("after the lease: got %+v, %v", ns, err)
		}
		if err := s.MarkNoticeSent(ctx, n.ID, "QLX@x", now); err != nil {
			t.Fatal(err)
		}
		if err := s.RetryNotice(ctx, en.ID, "attempt 2: connection refused", time.Time{}); err != nil {
			t.Fatal(err)
		}
		failed, err := s.ListNotices(ctx, auth.Everything, storage.NoticeFilter{Statuses: []notify.Status{notify.Failed, notify.Queued}})
		if err != nil || len(failed) != 1 || failed[0].LastError == "" || failed[0].Org != "alpha" || failed[0].Kind != notify.Escalation {
			t.Errorf("failed list: got %+v, %v", failed, err)
		}
		if other, _ := s.ListNotices(ctx, auth.Scope{OrgIDs: []int64{b.ID}}, storage.NoticeFilter{}); len(other) != 0 {
			t.Errorf("another organisation's scope sees %d notices", len(other))
		}
		var sent int
		s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM notices WHERE status = 'sent' AND sent_at IS NOT NULL AND org_id = $1`, a.ID).Scan(&sent)
		if sent != 1 {
			t.Errorf("sent: got %d, want 1", sent)
		}

		var buf strings.Builder
		if err := s.WriteNoticeCSV(ctx, n.ID, &buf); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(strings.NewReader(buf.String())).ReadAll()
		if err != nil || len(recs) != 1+3+2+1 || recs[1][1] != "vulnerable-exchange" || recs[1][5] == "" {
			t.Errorf("csv: got %d rows %v, %v; want a header and 6 events, critical first", len(recs), recs, err)
		}
	})
}
