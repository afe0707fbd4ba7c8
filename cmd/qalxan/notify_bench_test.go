package main

import (
	"context"
	"fmt"
	"log/slog"
	"testing"

	"github.com/qalxan/qalxan/internal/config"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/finding"
	"github.com/qalxan/qalxan/internal/notify"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
)

// BenchmarkQueueDigests: the daily digest of 1,000 organisations with 100
// open findings each (read, rendered in three languages, queued, findings
// moved to notified with history), on SQLite.
func BenchmarkQueueDigests(b *testing.B) {
	const orgs, per = 1000, 100
	ids := []notify.Kind{notify.Digest}
	for b.Loop() {
		b.StopTimer()
		s := storagetest.SQLite(b)
		gaps := make([]storagetest.Gap, per)
		for i := range gaps {
			gaps[i] = storagetest.Gap{Identifier: []string{"accessible-rdp", "open-redis", "vulnerable-exchange", "ssl-poodle"}[i%4], Severity: finding.Severity(i % 5)}
		}
		for i := range orgs {
			o := storagetest.SeedOrg(b, s, fmt.Sprintf("org%04d", i), constituency.Languages[i%3], "", fmt.Sprintf("soc@org%04d.gov.az", i))
			storagetest.SeedFindings(b, s, o.ID, gaps...)
		}
		n, err := newNotifier(config.Defaults(), s, slog.New(slog.DiscardHandler))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		count := 0
		for _, k := range ids {
			if err := n.queue(context.Background(), k, false, nil, func(*notify.Notice) { count++ }); err != nil {
				b.Fatal(err)
			}
		}
		if count != orgs {
			b.Fatalf("queued %d, want %d", count, orgs)
		}
	}
}
