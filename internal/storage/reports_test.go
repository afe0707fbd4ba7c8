package storage_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/errs"
	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
)

func archive(t *testing.T, s *storage.Store, r storage.ArchivedReport, content string) (int64, bool) {
	t.Helper()
	id, dup, err := s.ArchiveReport(ctx, r, strings.NewReader(content))
	if err != nil {
		t.Fatalf("archive %s: %v", r.FileName, err)
	}
	return id, dup
}

func TestReportRoundTrip(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		received := time.Date(2026, 11, 20, 6, 1, 2, 0, time.UTC)
		// Repetitive, like a real CSV, so it compresses.
		content := "\"timestamp\",\"ip\",\"port\"\n" + strings.Repeat("\"2026-11-20 00:01:02\",\"198.51.100.7\",3389\n", 2000)
		in := storage.ArchivedReport{Source: "shadowserver-mail", FileName: "2026-11-20-scan_rdp-az-geo.csv", ReceivedAt: received,
			Meta: map[string]string{"mail.subject": "[Shadowserver] scan_rdp"}}
		id, dup := archive(t, s, in, content)
		if dup || id <= 0 {
			t.Fatalf("got id %d duplicate %v, want a new id", id, dup)
		}
		meta, rc, err := s.OpenReport(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		got, err := io.ReadAll(rc)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != content {
			t.Errorf("content: got %d bytes, want the %d archived", len(got), len(content))
		}
		if meta.Source != in.Source || meta.FileName != in.FileName || !meta.ReceivedAt.Equal(received) ||
			meta.Status != storage.ReportReceived || meta.Size != int64(len(content)) || meta.Meta["mail.subject"] != in.Meta["mail.subject"] {
			t.Errorf("got %+v, want the archived metadata, status received, size %d", meta, len(content))
		}
		if meta.StoredSize <= 0 || meta.StoredSize >= meta.Size/4 {
			t.Errorf("stored size: got %d, want compressed well below %d", meta.StoredSize, meta.Size)
		}
		if len(meta.SHA256) != 64 {
			t.Errorf("sha256: got %q, want 64 hex digits", meta.SHA256)
		}

		if err := s.SetReportFeed(ctx, id, "shadowserver"); err != nil {
			t.Fatal(err)
		}
		if err := s.MarkReportParsed(ctx, id, 2000, 3); err != nil {
			t.Fatal(err)
		}
		after, err := s.GetReport(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if after.Feed != "shadowserver" || after.Status != storage.ReportParsed || after.Events != 2000 || after.BadRows != 3 || after.ParsedAt.IsZero() {
			t.Errorf("after parse: got %+v, want feed shadowserver, parsed, 2000 events, 3 bad rows", after)
		}
	})
}

func TestReportEmptyContent(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		id, _ := archive(t, s, storage.ArchivedReport{Source: "file", FileName: "empty.csv"}, "")
		_, rc, err := s.OpenReport(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		if got, err := io.ReadAll(rc); err != nil || len(got) != 0 {
			t.Errorf("got %q (%v), want empty", got, err)
		}
	})
}

func TestReportDuplicate(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		first, _ := archive(t, s, storage.ArchivedReport{Source: "http", FileName: "a.csv"}, "x,y\n1,2\n")
		again, dup := archive(t, s, storage.ArchivedReport{Source: "mail", FileName: "renamed.csv"}, "x,y\n1,2\n")
		if !dup || again != first {
			t.Errorf("same content again: got id %d duplicate %v, want id %d duplicate true", again, dup, first)
		}
		other, dup := archive(t, s, storage.ArchivedReport{Source: "http", FileName: "a.csv"}, "x,y\n1,3\n")
		if dup || other == first {
			t.Errorf("other content: got id %d duplicate %v, want a new id", other, dup)
		}
		all, err := s.ListReports(ctx, storage.ReportFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 2 {
			t.Errorf("got %d reports, want 2", len(all))
		}
	})
}

func TestReportSizeLimit(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		tests := []struct {
			size    int
			wantErr bool
		}{
			{size: 99, wantErr: false},
			{size: 100, wantErr: false},
			{size: 101, wantErr: true},
		}
		for _, tt := range tests {
			content := bytes.Repeat([]byte{byte('a' + tt.size%26)}, tt.size)
			_, _, err := s.ArchiveReport(ctx, storage.ArchivedReport{Source: "file", FileName: "big.csv", MaxSize: 100}, bytes.NewReader(content))
			if (err != nil) != tt.wantErr {
				t.Errorf("size %d: got error %v, want error %v", tt.size, err, tt.wantErr)
			}
			if err != nil && errs.CodeOf(err) != errs.Invalid {
				t.Errorf("size %d: got code %s, want invalid", tt.size, errs.CodeOf(err))
			}
		}
	})
}

func TestReportQuarantineListing(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		day := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
		var ids []int64
		for i := range 5 {
			id, _ := archive(t, s, storage.ArchivedReport{Source: "drop", FileName: "r.csv", Feed: []string{"openphish", "urlhaus"}[i%2],
				ReceivedAt: day.Add(time.Duration(i) * time.Hour)}, strings.Repeat("row\n", i+1))
			ids = append(ids, id)
		}
		for _, id := range []int64{ids[1], ids[3], ids[4]} {
			if err := s.QuarantineReport(ctx, id, "no feed recognises this header"); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.QuarantineReport(ctx, ids[0], " "); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("quarantine without reason: got %v, want invalid", err)
		}
		if err := s.QuarantineReport(ctx, 999999, "x"); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("quarantine unknown report: got %v, want not_found", err)
		}

		tests := []struct {
			name string
			f    storage.ReportFilter
			want []int64
		}{
			{"all", storage.ReportFilter{}, []int64{ids[4], ids[3], ids[2], ids[1], ids[0]}},
			{"quarantined", storage.ReportFilter{Quarantined: true}, []int64{ids[4], ids[3], ids[1]}},
			{"quarantined page 1", storage.ReportFilter{Quarantined: true, Limit: 2}, []int64{ids[4], ids[3]}},
			{"quarantined page 2", storage.ReportFilter{Quarantined: true, Limit: 2, BeforeID: ids[3]}, []int64{ids[1]}},
			{"feed", storage.ReportFilter{Feed: "urlhaus"}, []int64{ids[3], ids[1]}},
			{"since", storage.ReportFilter{Since: day.Add(3 * time.Hour)}, []int64{ids[4], ids[3]}},
			{"source", storage.ReportFilter{Source: "elsewhere"}, nil},
		}
		for _, tt := range tests {
			got, err := s.ListReports(ctx, tt.f)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			var gotIDs []int64
			for _, r := range got {
				gotIDs = append(gotIDs, r.ID)
				if tt.f.Quarantined && (r.Status != storage.ReportQuarantined || r.Reason == "") {
					t.Errorf("%s: report %d got status %s reason %q, want quarantined with a reason", tt.name, r.ID, r.Status, r.Reason)
				}
			}
			if !slices.Equal(gotIDs, tt.want) {
				t.Errorf("%s: got ids %v, want %v", tt.name, gotIDs, tt.want)
			}
		}

		// Re-processed successfully: out of quarantine.
		if err := s.MarkReportParsed(ctx, ids[4], 10, 0); err != nil {
			t.Fatal(err)
		}
		got, err := s.ListReports(ctx, storage.ReportFilter{Quarantined: true})
		if err != nil || len(got) != 2 || got[0].ID != ids[3] {
			t.Errorf("after re-processing %d: got %d quarantined (%v), want 2 starting with %d", ids[4], len(got), err, ids[3])
		}
	})
}

func TestOpenReportNotFound(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		if _, _, err := s.OpenReport(ctx, 42); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("got %v, want not_found", err)
		}
	})
}

// TestReportSpansChunks archives incompressible content of several chunks
// (so the archive never holds it whole) and reads it back byte for byte;
// the same content again is a duplicate and leaves no chunks behind.
func TestReportSpansChunks(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		content := make([]byte, 3<<20+12345)
		rng := rand.NewChaCha8([32]byte{1})
		rng.Read(content)
		in := storage.ArchivedReport{Source: "test", FileName: "big.bin"}
		id, dup, err := s.ArchiveReport(ctx, in, bytes.NewReader(content))
		if err != nil || dup {
			t.Fatalf("got %d, %v, %v; want a new report", id, dup, err)
		}
		meta, rc, err := s.OpenReport(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(rc)
		rc.Close()
		if err != nil || !bytes.Equal(got, content) {
			t.Fatalf("read back %d bytes (%v), want the %d archived", len(got), err, len(content))
		}
		// Random bytes do not compress: the gzip stream is a little larger
		// than the content, so it took four chunks.
		if meta.StoredSize < int64(len(content)) || meta.Size != int64(len(content)) {
			t.Errorf("sizes: got stored %d, size %d; want stored ≥ size = %d", meta.StoredSize, meta.Size, len(content))
		}
		again, dup, err := s.ArchiveReport(ctx, in, bytes.NewReader(content))
		if err != nil || !dup || again != id {
			t.Errorf("again: got %d, %v, %v; want duplicate of %d", again, dup, err, id)
		}
		if n := countRows(t, s, "report_chunks"); n != 4 {
			t.Errorf("chunks: got %d rows, want 4 (the duplicate's rolled back)", n)
		}
	})
}

func countRows(t *testing.T, s *storage.Store, table string) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestReportArchivedBeforeChunks reads a report stored the old way, whole
// in reports.content, as the 0004 migration leaves it.
func TestReportArchivedBeforeChunks(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		var blob bytes.Buffer
		zw := gzip.NewWriter(&blob)
		zw.Write([]byte("old,report\n"))
		zw.Close()
		var id int64
		if err := s.DB().QueryRowContext(ctx, `INSERT INTO reports (source, received_at, sha256, size, compression, content, stored_size)
			VALUES ('old', $1, 'x', 11, 'gzip', $2, $3) RETURNING id`, time.Now().UTC(), blob.Bytes(), blob.Len()).Scan(&id); err != nil {
			t.Fatal(err)
		}
		_, rc, err := s.OpenReport(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		if got, err := io.ReadAll(rc); err != nil || string(got) != "old,report\n" {
			t.Errorf("got %q, %v; want the old content", got, err)
		}
	})
}
