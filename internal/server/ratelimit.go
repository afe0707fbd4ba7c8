package server

import (
	"sync"
	"time"
)

// Limiter is a token bucket per key (a client address): Burst requests
// at once, then one per Every. It lives in memory, so each serve node
// limits on its own — enough to keep one client from flooding the public
// report form. Idle buckets are dropped as the map grows. The JSON API
// and the HTML form share one, so a client has one budget for both.
type Limiter struct {
	Burst int
	Every time.Duration
	Now   func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

// NewLimiter returns a limiter of burst requests, then one per every.
func NewLimiter(burst int, every time.Duration) *Limiter {
	return &Limiter{Burst: burst, Every: every, Now: time.Now, buckets: map[string]*bucket{}}
}

// Allow takes a token for key, reporting whether there was one.
func (l *Limiter) Allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.Now()
	if len(l.buckets) > 100000 {
		for k, b := range l.buckets {
			if now.Sub(b.last) > time.Duration(l.Burst)*l.Every {
				delete(l.buckets, k)
			}
		}
	}
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: float64(l.Burst), last: now}
		l.buckets[key] = b
	}
	b.tokens = min(float64(l.Burst), b.tokens+float64(now.Sub(b.last))/float64(l.Every))
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// NewStatusLimiter is the limiter of look-ups by tracking code: cheap,
// and more frequent than reports, so 60 at once, then one a second.
func NewStatusLimiter() *Limiter { return NewLimiter(60, time.Second) }
