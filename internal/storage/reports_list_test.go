package storage_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/storage"
	"github.com/qalxan/qalxan/internal/storage/storagetest"
)

func TestReportIDsAndFileNames(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, s *storage.Store) {
		day := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
		var ids []int64
		for i := range 5 {
			id, _ := archive(t, s, storage.ArchivedReport{Source: []string{"shadowserver", "drop"}[i%2],
				FileName: []string{"a.csv", "b.csv", "c.csv", "b.csv", "a.csv"}[i], Feed: []string{"openphish", "urlhaus"}[i%2],
				ReceivedAt: day.Add(time.Duration(i) * time.Hour)}, strings.Repeat("row\n", i+1))
			ids = append(ids, id)
		}
		if err := s.QuarantineReport(ctx, ids[3], "unreadable"); err != nil {
			t.Fatal(err)
		}
		idTests := []struct {
			name string
			f    storage.ReportFilter
			want []int64
		}{
			{"all, oldest first", storage.ReportFilter{}, ids},
			{"feed since", storage.ReportFilter{Feed: "openphish", Since: day.Add(time.Hour)}, []int64{ids[2], ids[4]}},
			{"quarantined", storage.ReportFilter{Quarantined: true}, []int64{ids[3]}},
			{"source, limit", storage.ReportFilter{Source: "shadowserver", Limit: 2}, []int64{ids[0], ids[2]}},
			{"none", storage.ReportFilter{Feed: "nothing"}, nil},
		}
		for _, tt := range idTests {
			got, err := s.ReportIDs(ctx, tt.f)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
			}
		}

		nameTests := []struct {
			source string
			since  time.Time
			want   []string
		}{
			{"shadowserver", day, []string{"a.csv", "c.csv"}},
			{"shadowserver", day.Add(3 * time.Hour), []string{"a.csv"}},
			{"drop", day, []string{"b.csv"}},
			{"elsewhere", day, nil},
		}
		for _, tt := range nameTests {
			got, err := s.ReportFileNames(ctx, tt.source, tt.since)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("file names of %s since %s: got %v, want %v", tt.source, tt.since, got, tt.want)
			}
		}
	})
}
