package collect

import (
	"context"
	"math/rand/v2"
	"time"
)

// ExponentialBackoff returns a backoff that waits base, 2×base, 4×base ...
// up to ceiling before attempt+1, each wait drawn at random from its upper half
// so that many collectors failing together do not retry in lock step.
func ExponentialBackoff(base, ceiling time.Duration) func(attempt int) time.Duration {
	return func(attempt int) time.Duration {
		d := base
		for i := 1; i < attempt && d < ceiling; i++ {
			d *= 2
		}
		d = min(d, ceiling)
		if d <= 1 {
			return d
		}
		return d/2 + rand.N(d/2+1)
	}
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
