package ui_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/finding"
	"github.com/qalxan/qalxan/internal/notify"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
)

func TestNoticeListShowsFailures(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	mdt := f.orgs["mdt"]
	storagetest.SeedFindings(t, f.store, mdt.ID, storagetest.Gap{Identifier: "accessible-rdp", Severity: finding.High})
	ctx := context.Background()
	bs, err := f.store.NoticeBatches(ctx, notify.Digest, f.store.Now())
	if err != nil || len(bs) != 1 {
		t.Fatalf("batches: got %d, %v", len(bs), err)
	}
	n, _ := notify.Prepare(bs[0], notify.Digest)
	if _, err := f.store.QueueNotice(ctx, n, func(n *notify.Notice) error { n.Subject = "s"; return nil }); err != nil {
		t.Fatal(err)
	}
	if err := f.store.RetryNotice(ctx, n.ID, "attempt 8: dial tcp: connection refused", time.Time{}); err != nil {
		t.Fatal(err)
	}
	f.as(t, "analyst").get("/admin/notices").want(t, http.StatusOK).contains(t, n.Reference, "connection refused", `href="/admin/notices"`)
	f.as(t, "analyst").get("/admin/notices?status=sent").want(t, http.StatusOK).lacks(t, n.Reference)
	f.as(t, "mdt-officer").get("/admin/notices").want(t, http.StatusForbidden)
	f.as(t, "mdt-officer").get("/").lacks(t, `href="/admin/notices"`)
}
