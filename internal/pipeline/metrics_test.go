package pipeline_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/qalxan/qalxan/internal/feed"
	"github.com/qalxan/qalxan/internal/pipeline"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
)

// TestMetricsAndProgress ingests one good report twice and one that
// cannot be parsed, and checks the per-feed counters and the progress
// calls.
func TestMetricsAndProgress(t *testing.T) {
	s := storagetest.SQLite(t)
	reg := prometheus.NewRegistry()
	var mu sync.Mutex
	var calls []pipeline.Progress
	p := pipeline.New(pipeline.Config{Store: s, Metrics: pipeline.NewMetrics(reg), BatchSize: 100,
		OnProgress: func(pr pipeline.Progress) { mu.Lock(); calls = append(calls, pr); mu.Unlock() }})

	var report bytes.Buffer
	scanRDP(&report, 500, 100, ipIn([3]byte{192, 0, 2}))
	for range 2 {
		if _, err := p.Ingest(context.Background(), pipeline.Input{Source: "test", Feed: "shadowserver",
			Report: feed.Report{FileName: "2026-11-20-scan_rdp-az-geo.csv"}, Content: bytes.NewReader(report.Bytes())}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := p.Ingest(context.Background(), pipeline.Input{Source: "test",
		Report: feed.Report{FileName: "mystery.bin"}, Content: strings.NewReader("\x00\x01")}); err == nil {
		t.Fatal("an unrecognisable report gave no error")
	}

	want := `
# HELP qalxan_ingest_bad_rows_total Rows that gave no event, by feed.
# TYPE qalxan_ingest_bad_rows_total counter
qalxan_ingest_bad_rows_total{feed="shadowserver"} 10
qalxan_ingest_bad_rows_total{feed="unknown"} 0
# HELP qalxan_ingest_duplicates_total Events already stored (same fingerprint), by feed.
# TYPE qalxan_ingest_duplicates_total counter
qalxan_ingest_duplicates_total{feed="shadowserver"} 495
# HELP qalxan_ingest_events_total New events stored, by feed.
# TYPE qalxan_ingest_events_total counter
qalxan_ingest_events_total{feed="shadowserver"} 495
# HELP qalxan_ingest_reports_total Reports processed, by feed and outcome (parsed, partial, quarantined, failed).
# TYPE qalxan_ingest_reports_total counter
qalxan_ingest_reports_total{feed="shadowserver",outcome="parsed"} 2
qalxan_ingest_reports_total{feed="unknown",outcome="quarantined"} 1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want)); err != nil {
		t.Error(err)
	}

	mu.Lock()
	defer mu.Unlock()
	var done []pipeline.Progress
	for _, c := range calls {
		if c.Done {
			done = append(done, c)
		}
	}
	if len(done) != 3 {
		t.Fatalf("got %d final progress calls, want one per report: %v", len(done), calls)
	}
	last := done[0]
	if last.Phase != "parse" || last.Events != 495 || last.Bytes != int64(report.Len()) || last.FileName != "2026-11-20-scan_rdp-az-geo.csv" {
		t.Errorf("final progress: got %+v, want parse phase, 495 events, %d bytes", last, report.Len())
	}
	if fmt.Sprint(done[2].Events) != "0" {
		t.Errorf("the quarantined report: got %+v, want no events", done[2])
	}
}
