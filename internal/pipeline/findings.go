package pipeline

import (
	"context"

	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/finding"
	"github.com/qalxan/qalxan/internal/storage"
)

// FindingSink keeps findings; the one writer goroutine is its only
// caller. *storage.Store is one.
type FindingSink interface {
	ObserveFindings(ctx context.Context, policy finding.Policy, obs []finding.Observation) (opened, refreshed, reopened int, err error)
}

var _ FindingSink = (*storage.Store)(nil)

// CII returns the ids of the organisations that operate critical
// information infrastructure (Config.Critical): their findings are
// raised one severity level.
func CII(orgs []constituency.Org) map[int64]bool {
	m := map[int64]bool{}
	for _, o := range orgs {
		if o.CII {
			m[o.ID] = true
		}
	}
	return m
}

// observations appends to obs one sighting per owner of every event of
// batch that was inserted (not a duplicate: that sighting was counted
// when the event was first stored) and reports a gap.
func (p *Pipeline) observations(batch []storage.StoredEvent, obs []finding.Observation) []finding.Observation {
	for i := range batch {
		e := &batch[i]
		if e.ID == 0 || e.GapIdentifier == "" || len(e.Owners) == 0 {
			continue
		}
		seen := e.TimeSource
		if seen.IsZero() {
			seen = e.TimeObservation
		}
		for _, org := range e.Owners {
			obs = append(obs, finding.Observation{
				OrgID: org, Critical: p.cfg.Critical[org], Resource: e.GapResource, Identifier: e.GapIdentifier,
				Taxonomy: e.Taxonomy, Type: e.Type, Source: e.Feed, Seen: seen, EventID: e.ID,
			})
		}
	}
	return obs
}

// observe hands a batch's sightings to the finding sink and counts what
// they did.
func (p *Pipeline) observe(ctx context.Context, obs []finding.Observation, w *written) error {
	if len(obs) == 0 {
		return nil
	}
	opened, refreshed, reopened, err := p.cfg.Findings.ObserveFindings(ctx, p.cfg.Policy, obs)
	if err != nil {
		return err
	}
	w.opened += opened
	w.refreshed += refreshed
	w.reopened += reopened
	return nil
}
