package collect_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qalxan/qalxan/internal/collect"
)

// scheduledCollector counts its rounds and fails, or panics, as told.
type scheduledCollector struct {
	name string
	mu   sync.Mutex
	n    int
	fail error
	boom bool
}

func (c *scheduledCollector) Name() string { return c.name }

func (c *scheduledCollector) Collect(ctx context.Context, h collect.Handler) error {
	c.mu.Lock()
	c.n++
	fail, boom := c.fail, c.boom
	c.mu.Unlock()
	if boom {
		panic("collector bug")
	}
	if fail != nil {
		return fail
	}
	return h(ctx, collect.Report{Name: c.name + ".csv", Source: c.name, Content: strings.NewReader("x")})
}

func (c *scheduledCollector) rounds() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

func TestSchedulerRunsEachJobAndSurvivesFailures(t *testing.T) {
	good := &scheduledCollector{name: "good"}
	bad := &scheduledCollector{name: "bad", fail: errors.New("feed is down")}
	buggy := &scheduledCollector{name: "buggy", boom: true}
	var handled sink
	var logs syncBuffer
	var mu sync.Mutex
	failures := map[string]int{}
	rounds := map[string]int{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	s := &collect.Scheduler{
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		OnRound: func(name string, err error) {
			mu.Lock()
			defer mu.Unlock()
			rounds[name]++
			if err != nil {
				failures[name]++
			}
			if rounds["good"] >= 3 && rounds["bad"] >= 3 && rounds["buggy"] >= 3 {
				select {
				case <-done:
				default:
					close(done)
				}
			}
		},
	}
	for _, c := range []*scheduledCollector{good, bad, buggy} {
		s.Jobs = append(s.Jobs, collect.Job{Collector: c, Every: 5 * time.Millisecond, Handler: handled.handle})
	}
	stopped := make(chan struct{})
	go func() { s.Run(ctx); close(stopped) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("jobs did not run three rounds each: %v", rounds)
	}
	cancel()
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	mu.Lock()
	defer mu.Unlock()
	if failures["good"] != 0 || failures["bad"] < 3 || failures["buggy"] < 3 {
		t.Errorf("failures: got %v, want none for good, every round for bad and buggy", failures)
	}
	if n := len(handled.names()); n < 3 {
		t.Errorf("handled: got %d reports, want at least 3 from good", n)
	}
	if !strings.Contains(logs.String(), "feed is down") || !strings.Contains(logs.String(), "panic: collector bug") {
		t.Errorf("log: got %q, want the failures", logs.String())
	}
	after := good.rounds()
	time.Sleep(20 * time.Millisecond)
	if good.rounds() != after {
		t.Error("a job ran after Run returned")
	}
}

func TestSchedulerStopsDuringFirstWait(t *testing.T) {
	c := &scheduledCollector{name: "slow"}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s := &collect.Scheduler{Jobs: []collect.Job{{Collector: c, Every: time.Hour, Handler: (&sink{}).handle}}}
	s.Run(ctx)
	if c.rounds() != 0 {
		t.Errorf("cancelled before the first round: got %d rounds, want 0", c.rounds())
	}
}

// syncBuffer is a bytes.Buffer safe for the jobs' goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
