package pipeline_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/auth"
	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/feed"
	_ "github.com/qalxan/qalxan/internal/feed/all"
	"github.com/qalxan/qalxan/internal/pipeline"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
)

const scanHeader = `"timestamp","ip","port","hostname","tag","handshake","asn","geo","region","city","rdp_protocol","cert_length","subject_common_name","issuer_common_name","cert_issue_date","cert_expiration_date","sha1_fingerprint","cert_serial_number","ssl_version","signature_algorithm","key_algorithm","sha256_fingerprint","sha512_fingerprint","md5_fingerprint","naics","sic","sector","tlsv13_support","tlsv13_cipher","cve20190708_vulnerable","bluekeep_vulnerable","jarm"` + "\n"

// scanRDP writes a Shadowserver scan_rdp report of n rows, the i-th from
// address ip(i); badEvery > 0 makes every badEvery-th row unparseable.
func scanRDP(w io.Writer, n, badEvery int, ip func(i int) string) {
	io.WriteString(w, scanHeader)
	for i := range n {
		ts := fmt.Sprintf("2026-11-20 04:%02d:%02d", i/60%60, i%60)
		if badEvery > 0 && i%badEvery == badEvery-1 {
			ts = "yesterday"
		}
		fmt.Fprintf(w, `"%s","%s",3389,,"rdp",,64500,"AZ","BAKI","BAKU","RDP",2048,"HOST%d.local","HOST%d.local","2026-04-29 02:22:06","2027-04-29 02:22:06","EC:BB:4D",`+
			`"1EF2B3",2,"sha256WithRSAEncryption","rsaEncryption","B7:C9","08:AC","BC:6E",517311,0,"Government",,,"N","N"`+"\n",
			ts, ip(i), i, i)
	}
}

func ipIn(base [3]byte) func(int) string {
	return func(i int) string {
		return fmt.Sprintf("%d.%d.%d.%d", base[0], base[1]+byte(i>>16), base[2]+byte(i>>8), byte(i))
	}
}

func newOrg(short string, resources ...string) constituency.Org {
	o := constituency.Org{ShortName: short, Name: "Org " + short, Sector: "government", Language: "az", TLP: "amber"}
	for _, r := range resources {
		o.Resources = append(o.Resources, constituency.Resource{Value: r})
	}
	return o
}

// setup makes a store with one organisation owning 10.1.0.0/24 and a
// pipeline over it.
func setup(t *testing.T, s *storage.Store) (*pipeline.Pipeline, int64) {
	t.Helper()
	o := newOrg("mincom", "10.1.0.0/24")
	if err := s.CreateOrg(context.Background(), auth.Actor{Name: "test", Role: auth.Analyst, Scope: auth.Everything}, &o); err != nil {
		t.Fatal(err)
	}
	orgs, err := s.MatcherOrgs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	m, ids := pipeline.Owners(orgs)
	return pipeline.New(pipeline.Config{Store: s, Matcher: m, OrgIDs: ids, BatchSize: 300}), o.ID
}

func TestIngest(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		ctx := context.Background()
		p, orgID := setup(t, s)
		var report bytes.Buffer
		// 1000 rows over 10.0.254.0–10.1.1.231: 256 of them in 10.1.0.0/24;
		// every 100th is bad.
		scanRDP(&report, 1000, 100, func(i int) string { n := 254*256 + i; return fmt.Sprintf("10.%d.%d.%d", n>>16, n>>8&255, n&255) })
		in := func() pipeline.Input {
			return pipeline.Input{Source: "test", Report: feed.Report{FileName: "2026-11-20-scan_rdp-az-geo.csv"},
				Content: bytes.NewReader(report.Bytes())}
		}
		tests := []struct {
			name                string
			events, dups, owned int
			dupReport           bool
		}{
			{"first", 990, 0, 254, false}, // 256 owned rows, 2 of them bad (i = 599, 699)
			{"again", 0, 990, 254, true},
		}
		for _, tc := range tests {
			st, err := p.Ingest(ctx, in())
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if st.Events != tc.events || st.Duplicates != tc.dups || st.Owned != tc.owned || st.Bad != 10 ||
				st.DuplicateReport != tc.dupReport || st.Feed != "shadowserver" || len(st.BadRows) != 10 || st.BadRows[0].Line == 0 {
				t.Errorf("%s: got %+v, want %d events, %d duplicates, %d owned, 10 bad rows with lines", tc.name, st, tc.events, tc.dups, tc.owned)
			}
		}
		if n, err := s.CountEvents(ctx, auth.Scope{OrgIDs: []int64{orgID}}, storage.EventFilter{}); err != nil || n != 254 {
			t.Errorf("the agency's events: got %d, %v; want 254", n, err)
		}
		evs, err := s.ListEvents(ctx, auth.Everything, storage.EventFilter{IP: "10.1.0.5"})
		if err != nil || len(evs) != 1 {
			t.Fatalf("got %v, %v; want one event", evs, err)
		}
		e := evs[0]
		// Row i = 517 is on line 519 (the header is line 1); five bad rows
		// before it make its ordinal among events 513, which must not be
		// what is stored.
		if e.ReportID == 0 || e.Line != 519 || e.Type != "vulnerable-system" || e.SourceASN != 64500 ||
			strings.Contains(string(e.Data), `"raw"`) || !strings.Contains(string(e.Data), `"source.ip":"10.1.0.5"`) {
			t.Errorf("stored event: got %+v %s, want report, line 519, columns and JSON without raw", e, e.Data)
		}
		rep, err := s.GetReport(ctx, e.ReportID)
		if err != nil || rep.Status != storage.ReportParsed || rep.Events != 990 || rep.BadRows != 10 {
			t.Errorf("report: got %+v, %v; want parsed, 990 events, 10 bad rows", rep, err)
		}
	})
}

func TestUnparseableReportIsQuarantined(t *testing.T) {
	s := storagetest.SQLite(t)
	p, _ := setup(t, s)
	tests := []struct{ name, feed, file, content string }{
		{"unknown report type", "shadowserver", "2026-11-20-scan_nothing-az-geo.csv", scanHeader},
		{"unrecognised feed", "", "mystery.bin", "\x00\x01\x02"},
		{"every row bad", "shadowserver", "2026-11-20-scan_rdp-az-geo.csv", scanHeader + `"yesterday","192.0.2.1",3389` + "\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, err := p.Ingest(context.Background(), pipeline.Input{Source: "test", Feed: tc.feed,
				Report: feed.Report{FileName: tc.file}, Content: strings.NewReader(tc.content)})
			if err == nil {
				t.Fatal("no error")
			}
			rep, gerr := s.GetReport(context.Background(), st.ReportID)
			if gerr != nil || rep.Status != storage.ReportQuarantined || rep.Reason == "" {
				t.Errorf("got %+v, %v; want quarantined with a reason", rep, gerr)
			}
		})
	}
}

// failingSink fails on its n-th batch, to show that a store error stops
// every stage and comes back as the cause.
type failingSink struct {
	*storage.Store
	n int
}

var errDiskFull = errors.New("disk full")

func (f *failingSink) InsertEvents(ctx context.Context, b []storage.StoredEvent) (int, int, error) {
	if f.n--; f.n <= 0 {
		return 0, 0, errDiskFull
	}
	return f.Store.InsertEvents(ctx, b)
}

func TestStopsCleanly(t *testing.T) {
	s := storagetest.SQLite(t)
	var report bytes.Buffer
	scanRDP(&report, 20000, 0, ipIn([3]byte{10, 0, 0}))
	in := pipeline.Input{Source: "test", Report: feed.Report{FileName: "2026-11-20-scan_rdp-az-geo.csv"}}

	t.Run("store fails", func(t *testing.T) {
		p := pipeline.New(pipeline.Config{Store: &failingSink{Store: s, n: 2}, BatchSize: 1000})
		in.Content = bytes.NewReader(report.Bytes())
		if _, err := p.Ingest(context.Background(), in); !errors.Is(err, errDiskFull) {
			t.Fatalf("got %v, want the store's error", err)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		// Cancel from inside the store, mid-report: deterministic, no sleeps.
		p := pipeline.New(pipeline.Config{Store: &cancellingSink{Store: s, cancel: cancel}, BatchSize: 1000})
		in.Content = bytes.NewReader(report.Bytes())
		if _, err := p.Ingest(ctx, in); !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v, want context.Canceled", err)
		}
	})
}

type cancellingSink struct {
	*storage.Store
	cancel context.CancelFunc
}

func (c *cancellingSink) InsertEvents(ctx context.Context, b []storage.StoredEvent) (int, int, error) {
	c.cancel()
	return c.Store.InsertEvents(ctx, b)
}

// TestCollectorMetaIsArchived: what the collector knew of a report (mail
// subject, URL) stays with it in the archive.
func TestCollectorMetaIsArchived(t *testing.T) {
	s := storagetest.SQLite(t)
	p, _ := setup(t, s)
	var report bytes.Buffer
	scanRDP(&report, 3, 0, ipIn([3]byte{192, 0, 2}))
	st, err := p.Ingest(context.Background(), pipeline.Input{Source: "imap:cert", Meta: map[string]string{"mail.subject": "[Shadowserver] scan_rdp"},
		Report:  feed.Report{FileName: "2026-11-20-scan_rdp-az-geo.csv", FeedURL: "https://example.org/r.csv"},
		Content: bytes.NewReader(report.Bytes())})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := s.GetReport(context.Background(), st.ReportID)
	if err != nil || rep.Meta["mail.subject"] != "[Shadowserver] scan_rdp" || rep.Meta["url"] != "https://example.org/r.csv" {
		t.Errorf("got %+v, %v; want the subject and the URL in the archive's meta", rep, err)
	}
}
