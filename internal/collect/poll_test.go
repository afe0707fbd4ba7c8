package collect_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/collect"
)

type countingCollector struct {
	rounds atomic.Int32
	stopAt int32
	cancel context.CancelFunc
}

func (c *countingCollector) Name() string { return "count" }

func (c *countingCollector) Collect(ctx context.Context, h collect.Handler) error {
	if c.rounds.Add(1) == c.stopAt {
		c.cancel()
	}
	return errors.New("feed is down")
}

func TestPollKeepsGoingAfterErrors(t *testing.T) {
	cctx, cancel := context.WithCancel(ctx)
	c := &countingCollector{stopAt: 3, cancel: cancel}
	var errCount int
	err := collect.Poll(cctx, c, time.Millisecond, (&sink{}).handle, func(error) { errCount++ })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
	if c.rounds.Load() != 3 || errCount != 2 {
		t.Errorf("got %d rounds and %d errors reported, want 3 and 2 (the last round's error came with the cancel)", c.rounds.Load(), errCount)
	}
}
