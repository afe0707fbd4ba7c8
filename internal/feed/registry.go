package feed

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/qalxan/qalxan/internal/errs"
)

var (
	mu    sync.RWMutex
	specs = map[string]Spec{}
)

// Register adds a feed to the catalogue. It panics on a bad or duplicate
// spec: registration happens in init(), where a mistake is a programming
// error that must show at once.
func Register(s Spec) {
	if s.Name == "" || s.Name != strings.ToLower(s.Name) || s.Parser == nil {
		panic(fmt.Sprintf("feed: bad spec %q: want a lower-case name and a parser", s.Name))
	}
	mu.Lock()
	defer mu.Unlock()
	if _, dup := specs[s.Name]; dup {
		panic("feed: " + s.Name + " registered twice")
	}
	specs[s.Name] = s
}

// Lookup returns the feed named name; the error names the closest feeds.
func Lookup(name string) (Spec, error) {
	mu.RLock()
	s, ok := specs[strings.ToLower(name)]
	mu.RUnlock()
	if ok {
		return s, nil
	}
	var names []string
	for _, s := range All() {
		names = append(names, s.Name)
	}
	msg := fmt.Sprintf("unknown feed %q", name)
	if near := Closest(name, names, 3); len(near) > 0 {
		msg += "; did you mean " + strings.Join(near, ", ") + "?"
	}
	return Spec{}, errs.E(errs.NotFound, "%s", msg)
}

// All returns every feed, sorted by name.
func All() []Spec {
	mu.RLock()
	defer mu.RUnlock()
	out := make([]Spec, 0, len(specs))
	for _, s := range specs {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Detect finds the feed a report belongs to from its file name and first
// bytes. More than one claimant, or none, is an error.
func Detect(fileName string, head []byte) (Spec, error) {
	var found []Spec
	for _, s := range All() {
		if s.recognises(fileName, head) {
			found = append(found, s)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return Spec{}, errs.E(errs.NotFound, "no feed recognises %q; name one with --feed", fileName)
	}
	names := make([]string, len(found))
	for i, s := range found {
		names[i] = s.Name
	}
	return Spec{}, errs.E(errs.Conflict, "%q could be any of %s; name one with --feed", fileName, strings.Join(names, ", "))
}
