package collect

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"
)

// Job is a collector, how often it runs, and where its reports go.
type Job struct {
	Collector Collector
	Every     time.Duration
	Handler   Handler
}

// DefaultJitter is how much a job's waits vary, as a fraction of Every.
const DefaultJitter = 0.1

// maxFirstDelay bounds the random delay before a job's first round.
const maxFirstDelay = 30 * time.Second

// Scheduler runs jobs on their schedules, each on its own goroutine, until
// its context ends. A failed round is logged and the job runs again at its
// next time: a feed that is down today must not stop the others. Waits
// vary at random by Jitter, so that collectors configured alike do not
// all run, and knock on the same servers, at once.
type Scheduler struct {
	Jobs   []Job
	Logger *slog.Logger // slog.Default() when nil
	Jitter float64      // fraction of Every; DefaultJitter when 0, none when negative
	// OnRound, when set, hears of the end of every round (for tests and
	// metrics). It is called from the jobs' goroutines.
	OnRound func(name string, err error)
}

// Run runs the jobs until ctx ends, and returns when every round in
// progress has ended.
func (s *Scheduler) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	for _, j := range s.Jobs {
		wg.Go(func() { s.loop(ctx, j) })
	}
	wg.Wait()
	return nil
}

func (s *Scheduler) loop(ctx context.Context, j Job) {
	every := max(j.Every, time.Millisecond)
	wait := s.jitter(min(every, maxFirstDelay))
	for {
		if sleep(ctx, wait) != nil {
			return
		}
		err := Round(ctx, j)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			s.logger().Error("collect: round failed; trying again at the next", "collector", j.Collector.Name(), "err", err, "next_in", every)
		}
		if s.OnRound != nil {
			s.OnRound(j.Collector.Name(), err)
		}
		wait = every + s.jitter(every) - s.jitter(every)
	}
}

// jitter returns a random duration in [0, d×Jitter).
func (s *Scheduler) jitter(d time.Duration) time.Duration {
	f := s.Jitter
	if f == 0 {
		f = DefaultJitter
	}
	span := time.Duration(float64(d) * f)
	if span <= 0 {
		return 0
	}
	return rand.N(span)
}

func (s *Scheduler) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

// Round runs one round of a job. A collector that panics fails its round
// rather than the process.
func Round(ctx context.Context, j Job) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("collect: %s: panic: %v", j.Collector.Name(), p)
		}
	}()
	return j.Collector.Collect(ctx, j.Handler)
}
