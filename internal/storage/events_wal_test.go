package storage_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qalxan/qalxan/internal/storage"
)

// A long ingest keeps the SQLite WAL bounded: the checkpointer restarts
// it once it passes the bound, where PASSIVE checkpoints alone let it
// grow with everything ever written.
func TestIngestKeepsTheWALBounded(t *testing.T) {
	defer storage.SetWALRestartFrames(64)() // 1 MiB of 16 KiB pages
	path := filepath.Join(t.TempDir(), "wal.db")
	s, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	a := mustCreate(t, s, org("a"))
	pad := strings.Repeat("x", 2000)
	// Built first, so the batches are written back to back, as an
	// ingest's are: the checkpointer never finds the writer idle.
	var batches [][]storage.StoredEvent
	written := 0
	for b := range 40 {
		batch := make([]storage.StoredEvent, 500)
		for i := range batch {
			batch[i] = storedEvent(fmt.Sprintf("wal%d-%d", b, i), fmt.Sprintf("192.0.2.%d", i%250), 20, a.ID)
			batch[i].Data = []byte(fmt.Sprintf(`{"n":%d,"pad":%q}`, b*500+i, pad))
			written += len(batch[i].Data)
		}
		batches = append(batches, batch)
	}
	for _, batch := range batches {
		if _, _, err := s.InsertEvents(ctx, batch); err != nil {
			t.Fatal(err)
		}
	}
	st, err := os.Stat(path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	// 40 MB of events went through the WAL; a bounded one holds a few
	// batches' worth at most.
	if st.Size() > int64(written)/4 {
		t.Fatalf("WAL is %d bytes after %d bytes of events: not restarted", st.Size(), written)
	}
	if testing.Verbose() {
		t.Logf("WAL %d bytes after %d bytes of events", st.Size(), written)
	}
}
