package main

import (
	"context"
	"testing"

	"github.com/qalxan/qalxan/internal/storage"
)

func openTestStore(t *testing.T, dsn string) *storage.Store {
	t.Helper()
	s, err := storage.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
