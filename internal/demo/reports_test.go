package demo_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/demo"
	"github.com/qalxan/qalxan/internal/pipeline"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
)

var now = time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)

func TestMonthIsDeterministic(t *testing.T) {
	orgs, err := demo.Orgs()
	if err != nil {
		t.Fatal(err)
	}
	a, b := demo.Month(orgs, now), demo.Month(orgs, now)
	if len(a) != demo.Days*7 || len(a) != len(b) {
		t.Fatalf("got %d and %d reports, want %d twice", len(a), len(b), demo.Days*7)
	}
	for i := range a {
		if a[i].FileName != b[i].FileName || !bytes.Equal(a[i].Content, b[i].Content) {
			t.Fatalf("report %d (%s) differs between two runs", i, a[i].FileName)
		}
	}
	first, last := a[0].FileName, a[len(a)-1].FileName
	if first != "2026-10-21-scan_rdp-az-geo.csv" || last != "drop-2026-11-19.txt" {
		t.Errorf("got reports from %s to %s, want the 30 days before %s", first, last, now.Format(time.DateOnly))
	}
}

// TestLoadMonth ingests the month as the demo command does and checks that
// the events pages have something to show.
func TestLoadMonth(t *testing.T) {
	ctx := context.Background()
	s := storagetest.SQLite(t)
	if err := demo.Load(ctx, s); err != nil {
		t.Fatal(err)
	}
	orgs, err := s.MatcherOrgs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	m, ids := pipeline.Owners(orgs)
	p := pipeline.New(pipeline.Config{Store: s, Matcher: m, OrgIDs: ids})

	start := time.Now()
	st, loaded, err := demo.LoadMonth(ctx, s, p, now)
	if err != nil || !loaded {
		t.Fatalf("LoadMonth: loaded %v, %v", loaded, err)
	}
	t.Logf("%d rows: %d events, %d duplicates, %d bad rows, %d owned, in %v", st.Rows, st.Events, st.Duplicates, st.Bad, st.Owned, time.Since(start).Round(time.Millisecond))
	if st.Events < 10000 || st.Events > 40000 {
		t.Errorf("got %d events, want about 20,000", st.Events)
	}
	if st.Duplicates < 100 {
		t.Errorf("got %d duplicates, want some (repeated rows)", st.Duplicates)
	}
	if st.Bad < 5 || st.Bad > 500 {
		t.Errorf("got %d bad rows, want a few", st.Bad)
	}
	if st.Owned < st.Events/5 || st.Owned > st.Events*4/5 {
		t.Errorf("got %d of %d events owned, want about half", st.Owned, st.Events)
	}
	owners := 0
	for _, o := range orgs {
		n, err := s.CountEvents(ctx, auth.Everything, storage.EventFilter{OrgID: o.ID})
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			owners++
		}
	}
	if owners < 10 {
		t.Errorf("events owned by %d organisations, want at least 10", owners)
	}
	for _, feed := range []string{"Accessible-RDP", "Sinkhole-Events IPv4", "OpenPhish", "Abuse.ch URLhaus", "Spamhaus Drop"} {
		n, err := s.CountEvents(ctx, auth.Everything, storage.EventFilter{Feed: feed})
		if err != nil || n == 0 {
			t.Errorf("got %d events of %s, %v; want some", n, feed, err)
		}
	}

	again, loaded, err := demo.LoadMonth(ctx, s, p, now)
	if err != nil || loaded || again.Events != 0 {
		t.Errorf("second LoadMonth: got loaded %v, %d events, %v; want nothing done", loaded, again.Events, err)
	}
}
