package pipeline_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/feed"
	"github.com/qalxan/qalxan/internal/finding"
	"github.com/qalxan/qalxan/internal/pipeline"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
)

// BenchmarkIngestSQLite ingests a 100k-row scan_rdp report into SQLite
// with owner matching over a constituency of 10k CIDRs (1,000
// organisations with ten /24s each); about half the addresses are owned.
// Each iteration ingests a new report (another day, so nothing dedupes)
// into the same, growing store.
func BenchmarkIngestSQLite(b *testing.B) { benchIngest(b, storagetest.SQLite(b), false) }

// BenchmarkIngestSQLiteFindings is BenchmarkIngestSQLite with findings
// on: every owned event is a sighting, so the first iteration opens about
// 50k findings and each later one refreshes them.
func BenchmarkIngestSQLiteFindings(b *testing.B) { benchIngest(b, storagetest.SQLite(b), true) }

// BenchmarkIngestPostgres is the same into PostgreSQL (skipped unless
// QALXAN_TEST_POSTGRES names a server).
func BenchmarkIngestPostgres(b *testing.B) { benchIngest(b, storagetest.Postgres(b), false) }

func benchIngest(b *testing.B, s *storage.Store, findings bool) {
	const rows = 100_000
	ctx := context.Background()
	orgs := make([]constituency.Org, 1000)
	for i := range orgs {
		o := newOrg(fmt.Sprintf("org%04d", i))
		for j := range 10 {
			n := i*10 + j // /24 number n: 10.(n>>8).(n&255).0/24
			o.Resources = append(o.Resources, constituency.Resource{Value: fmt.Sprintf("10.%d.%d.0/24", n>>8, n&255)})
		}
		orgs[i] = o
	}
	if _, err := s.ImportOrgs(ctx, auth.Actor{Name: "bench", Role: auth.Analyst, Scope: auth.Everything}, orgs); err != nil {
		b.Fatal(err)
	}
	stored, err := s.MatcherOrgs(ctx)
	if err != nil {
		b.Fatal(err)
	}
	m, ids := pipeline.Owners(stored)
	cfg := pipeline.Config{Store: s, Matcher: m, OrgIDs: ids}
	if findings {
		cfg.Findings, cfg.Policy, cfg.Critical = s, finding.DefaultPolicy(), pipeline.CII(stored)
	}
	p := pipeline.New(cfg)

	// Addresses walk 10.0.0.0–10.77.255.255 in steps of 53: the owned
	// /24s are 10.0.0.0–10.39.15.0, so about half are owned.
	ip := func(i int) string { n := i * 53; return fmt.Sprintf("10.%d.%d.%d", n>>16&255, n>>8&255, n&255) }
	var report bytes.Buffer
	var owned int
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		report.Reset()
		scanRDP(&report, rows, 0, ip)
		// Another day each time, so the events are new.
		content := bytes.ReplaceAll(report.Bytes(), []byte(`"2026-11-20 `), fmt.Appendf(nil, `"2026-10-%02d `, i%28+1))
		content = append(content, fmt.Appendf(nil, "# iteration %d\n", i)...)
		b.StartTimer()
		st, err := p.Ingest(ctx, pipeline.Input{Source: "bench", Feed: "shadowserver",
			Report: feed.Report{FileName: "2026-11-20-scan_rdp-az-geo.csv"}, Content: bytes.NewReader(content)})
		if err != nil {
			b.Fatal(err)
		}
		if st.Events != rows || st.Duplicates != 0 {
			b.Fatalf("got %+v, want %d new events", st, rows)
		}
		owned = st.Owned
	}
	b.ReportMetric(float64(b.N*rows)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(owned), "owned/op")
}
