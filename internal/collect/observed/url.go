package observed

import (
	"bufio"
	"context"
	"errors"
	"fmt"

	"github.com/qalxan/qalxan/internal/collect"
)

// stateValidators lets the HTTP collector read and update the source's
// validators: it sends them back as If-None-Match and If-Modified-Since,
// and sets the new ones only after the list was read in full.
type stateValidators struct{ st *State }

func (v stateValidators) Get(string) (string, string) { return v.st.ETag, v.st.LastModified }
func (v stateValidators) Put(_, etag, lastModified string) {
	v.st.ETag, v.st.LastModified = etag, lastModified
}

// fetchURL downloads the list unless it is unchanged (304) and reads it
// whole. The HTTP collector retries network errors, 5xx and 429, keeps
// credentials out of errors and bounds the size.
func (s *Source) fetchURL(ctx context.Context, st State, states StateStore, sink Sink) (Result, error) {
	b := newBatcher(s.Format, sink)
	c := &collect.HTTP{Source: s.Name, URL: s.URL, Client: s.Client, Timeout: s.Timeout, MaxBody: s.MaxBody,
		MaxAttempts: 2, Validators: stateValidators{&st}}
	changed := false
	err := c.Collect(ctx, func(ctx context.Context, r collect.Report) error {
		changed = true
		sc := bufio.NewScanner(r.Content)
		sc.Buffer(make([]byte, 64<<10), maxLine)
		for sc.Scan() {
			b.line(sc.Bytes())
			if b.full() {
				if err := b.flush(ctx); err != nil {
					return err
				}
			}
		}
		if err := sc.Err(); err != nil {
			if errors.Is(err, bufio.ErrTooLong) {
				return fmt.Errorf("a line is longer than %d bytes: %w", maxLine, errTooLong)
			}
			return err
		}
		return b.flush(ctx)
	})
	if err != nil {
		// Domains already handed on stay counted at the next full read.
		return b.res, fmt.Errorf("observed: %w", err)
	}
	if !changed {
		return b.res, nil
	}
	return b.res, states.SaveState(ctx, s.Name, st, b.res.Domains, b.res.Matched)
}
