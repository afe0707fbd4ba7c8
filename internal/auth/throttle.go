package auth

import (
	"sync"
	"time"
)

// Throttle slows down password guessing: after a few failures for the same
// key (user name, and separately the client address) each further attempt
// must wait, doubling up to a ceiling. It lives in memory: each serve node
// throttles on its own, which still bounds guesses to a handful per minute.
type Throttle struct {
	Free    int           // failures allowed before waiting starts
	Base    time.Duration // first wait
	Max     time.Duration // longest wait
	Now     func() time.Time
	mu      sync.Mutex
	entries map[string]*throttleEntry
}

type throttleEntry struct {
	failures int
	until    time.Time
	last     time.Time
}

// NewThrottle returns a throttle with sensible defaults: 5 free attempts,
// then 1 s, 2 s, 4 s … up to 15 minutes.
func NewThrottle() *Throttle {
	return &Throttle{Free: 5, Base: time.Second, Max: 15 * time.Minute, Now: time.Now, entries: map[string]*throttleEntry{}}
}

// Wait returns how long the key must still wait before its next attempt (0 = go ahead).
func (t *Throttle) Wait(key string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.entries[key]
	if e == nil {
		return 0
	}
	if d := e.until.Sub(t.Now()); d > 0 {
		return d
	}
	return 0
}

// Fail records a failed attempt.
func (t *Throttle) Fail(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.Now()
	e := t.entries[key]
	if e == nil || now.Sub(e.last) > t.Max*2 {
		e = &throttleEntry{}
		t.entries[key] = e
	}
	e.failures++
	e.last = now
	if over := e.failures - t.Free; over > 0 {
		d := t.Base << min(over-1, 30)
		if d > t.Max || d <= 0 {
			d = t.Max
		}
		e.until = now.Add(d)
	}
	if len(t.entries) > 100_000 {
		t.pruneLocked(now)
	}
}

// Succeed forgets the key's failures.
func (t *Throttle) Succeed(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.entries, key)
}

// pruneLocked drops entries whose last failure is long past, so a flood of
// random user names cannot grow the map without bound.
func (t *Throttle) pruneLocked(now time.Time) {
	for k, e := range t.entries {
		if now.Sub(e.last) > t.Max*2 {
			delete(t.entries, k)
		}
	}
}
