package constituency

import "sync/atomic"

// Registry holds the current ownership matcher. Readers take the matcher
// without locking; a change to the registry builds a new matcher and swaps
// it in whole, so a lookup never sees a half-built index.
type Registry struct {
	m atomic.Pointer[Matcher]
}

// Matcher returns the current matcher (an empty one before the first Set).
func (r *Registry) Matcher() *Matcher {
	if m := r.m.Load(); m != nil {
		return m
	}
	return NewMatcher(nil)
}

// Set installs a new matcher.
func (r *Registry) Set(m *Matcher) { r.m.Store(m) }
