package collect_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/collect"
	"github.com/qalxan/qalxan/internal/errs"
)

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func TestDropFolderTakesStableFilesOnce(t *testing.T) {
	dir := t.TempDir()
	d := &collect.DropFolder{Dir: dir, Now: fixedNow}
	var s sink
	write(t, filepath.Join(dir, "a.csv"), "1\n")
	write(t, filepath.Join(dir, ".upload.tmp"), "partial")
	mustCollect(t, d, s.handle)
	if len(s.reports) != 0 {
		t.Fatalf("first round: got %v, want nothing until the size is seen stable", s.names())
	}
	// b.csv appears and a.csv is stable: only a.csv is taken.
	write(t, filepath.Join(dir, "b.csv"), "2\n")
	mustCollect(t, d, s.handle)
	if got, want := s.names(), []string{"a.csv"}; !slices.Equal(got, want) {
		t.Fatalf("second round: got %v, want %v", got, want)
	}
	// b.csv is still being written.
	write(t, filepath.Join(dir, "b.csv"), "2\n3\n")
	mustCollect(t, d, s.handle)
	if got, want := s.names(), []string{"a.csv"}; !slices.Equal(got, want) {
		t.Fatalf("third round: got %v, want %v (b.csv grew)", got, want)
	}
	mustCollect(t, d, s.handle)
	mustCollect(t, d, s.handle)
	if got, want := s.names(), []string{"a.csv", "b.csv"}; !slices.Equal(got, want) {
		t.Fatalf("later rounds: got %v, want %v, each once", got, want)
	}
	if s.reports[1].Body != "2\n3\n" || s.reports[1].Source != "drop" {
		t.Errorf("b.csv: got %+v, want its final content from source drop", s.reports[1])
	}
	if got, want := listDir(t, filepath.Join(dir, "done")), []string{"a.csv", "b.csv"}; !slices.Equal(got, want) {
		t.Errorf("done/: got %v, want %v", got, want)
	}
	if got, want := listDir(t, dir), []string{".upload.tmp", "done", "failed"}; !slices.Equal(got, want) {
		t.Errorf("drop folder: got %v, want %v", got, want)
	}
}

func TestDropFolderSameNameTwice(t *testing.T) {
	dir := t.TempDir()
	d := &collect.DropFolder{Dir: dir}
	var s sink
	for _, content := range []string{"monday\n", "tuesday\n"} {
		write(t, filepath.Join(dir, "drop.csv"), content)
		mustCollect(t, d, s.handle)
		mustCollect(t, d, s.handle)
	}
	if got, want := listDir(t, filepath.Join(dir, "done")), []string{"drop-1.csv", "drop.csv"}; !slices.Equal(got, want) {
		t.Errorf("done/: got %v, want %v (yesterday's kept)", got, want)
	}
}

func TestDropFolderHandlerErrors(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		wantFailed []string
		wantLeft   bool // the file stays to be retried
	}{
		{"invalid content is set aside", errs.E(errs.Invalid, "no feed recognises this header"), []string{"r.csv", "r.csv.reason"}, false},
		{"other errors are retried", errors.New("database is down"), nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			d := &collect.DropFolder{Dir: dir}
			write(t, filepath.Join(dir, "r.csv"), "junk\n")
			h := func(ctx context.Context, r collect.Report) error { return tt.err }
			d.Collect(ctx, h)
			if err := d.Collect(ctx, h); err == nil {
				t.Fatal("got no error, want the handler's")
			}
			if got := listDir(t, filepath.Join(dir, "failed")); !slices.Equal(got, tt.wantFailed) {
				t.Errorf("failed/: got %v, want %v", got, tt.wantFailed)
			}
			_, err := os.Stat(filepath.Join(dir, "r.csv"))
			if left := err == nil; left != tt.wantLeft {
				t.Errorf("file left in the folder: got %v, want %v", left, tt.wantLeft)
			}
			if tt.wantFailed != nil {
				reason, _ := os.ReadFile(filepath.Join(dir, "failed", "r.csv.reason"))
				if !strings.Contains(string(reason), "no feed recognises") {
					t.Errorf("reason: got %q, want the handler's message", reason)
				}
			}
			if tt.wantLeft {
				// Retried at once, without waiting two more rounds.
				var s sink
				mustCollect(t, d, s.handle)
				if len(s.reports) != 1 {
					t.Errorf("retry: got %d reports, want 1", len(s.reports))
				}
			}
		})
	}
}

func TestDropFolderUnreadable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads files whatever their mode")
	}
	dir := t.TempDir()
	d := &collect.DropFolder{Dir: dir}
	write(t, filepath.Join(dir, "secret.csv"), "x\n")
	os.Chmod(filepath.Join(dir, "secret.csv"), 0)
	var s sink
	d.Collect(ctx, s.handle)
	if err := d.Collect(ctx, s.handle); err == nil {
		t.Fatal("got no error, want cannot open")
	}
	if got, want := listDir(t, filepath.Join(dir, "failed")), []string{"secret.csv", "secret.csv.reason"}; !slices.Equal(got, want) {
		t.Errorf("failed/: got %v, want %v", got, want)
	}
}
