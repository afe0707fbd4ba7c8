package monitor

import (
	"context"
	"sync"
	"time"
)

// Job is one target of a round and what the caller needs back with its
// report (the resource, its owner).
type Job struct {
	Target Target
	Ref    any
}

// Round checks every job once with bounded concurrency and per-address
// politeness: the jobs of hosts that share an address (one host, or many
// names on one shared server) run one after another, Delay apart, in one
// worker, so an address never sees two connections of ours at once;
// Concurrency such groups are checked at a time. done is called from the
// workers, concurrently, once per job. Round returns when all are done or
// ctx ends.
func Round(ctx context.Context, c *Checker, jobs []Job, concurrency int, delay time.Duration, done func(Job, Report)) {
	if concurrency < 1 {
		concurrency = 1
	}
	hosts := groupByAddress(ctx, c, jobs, concurrency)
	work := make(chan []Job)
	var wg sync.WaitGroup
	for range min(concurrency, len(hosts)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for group := range work {
				for i, j := range group {
					if i > 0 && delay > 0 {
						select {
						case <-ctx.Done():
							return
						case <-time.After(delay):
						}
					}
					if ctx.Err() != nil {
						return
					}
					done(j, c.Run(ctx, j.Target))
				}
			}
		}()
	}
feed:
	for _, g := range hosts {
		select {
		case work <- g:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
}
