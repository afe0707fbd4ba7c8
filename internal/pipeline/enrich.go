package pipeline

import (
	"net/netip"
	"slices"
	"strconv"
	"time"

	"github.com/qalxan/qalxan/internal/enrich"
	"github.com/qalxan/qalxan/internal/event"
	"github.com/qalxan/qalxan/internal/feed"
	"github.com/qalxan/qalxan/internal/finding"
	"github.com/qalxan/qalxan/internal/storage"
)

// enrich adds what the configured sources know to e, without overwriting
// what the feed said (the feed saw the address at the time; our data
// files may be older or newer), and appends the owners' org ids to owners.
func (p *Pipeline) enrich(e *event.Event, owners []int64) []int64 {
	if p.cfg.Enricher.Enabled() {
		p.enrichAddr(e, "source.")
		p.enrichAddr(e, "destination.")
	}
	fqdn, hasFQDN := e.Get("source.fqdn")
	if hasFQDN && !e.Has("source.domain_suffix") {
		// IntelMQ's domain_suffix expert stores the registrable domain
		// under this key, so we do too.
		if d, ok := enrich.RegisteredDomain(fqdn); ok {
			e.Set("source.domain_suffix", d)
		}
	}
	m := p.cfg.Matcher
	if m == nil {
		return owners
	}
	add := func(names []string) {
		for _, n := range names {
			if id, ok := p.cfg.OrgIDs[n]; ok {
				owners = append(owners, id)
			}
		}
	}
	if s, ok := e.Get("source.ip"); ok {
		if a, err := netip.ParseAddr(s); err == nil {
			add(m.MatchIP(a))
		}
	}
	if hasFQDN {
		add(m.MatchDomain(fqdn))
	}
	if s, ok := e.Get("source.url"); ok {
		add(m.MatchURL(s))
	}
	if s, ok := e.Get("source.asn"); ok {
		if asn, ok := enrich.ParseASN(s); ok {
			add(m.MatchASN(asn))
		}
	}
	if len(owners) > 1 {
		slices.Sort(owners)
		owners = slices.Compact(owners)
	}
	return owners
}

func (p *Pipeline) enrichAddr(e *event.Event, prefix string) {
	s, ok := e.Get(prefix + "ip")
	if !ok {
		return
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return
	}
	info, ok := p.cfg.Enricher.Lookup(a)
	if !ok {
		return
	}
	// Set validates; a value our own data files give that the event model
	// refuses is dropped rather than failing the event.
	if info.ASN != 0 && !e.Has(prefix+"asn") {
		e.Set(prefix+"asn", strconv.FormatUint(uint64(info.ASN), 10))
	}
	if info.ASName != "" && !e.Has(prefix+"as_name") {
		e.Set(prefix+"as_name", info.ASName)
	}
	if info.CountryCode != "" && !e.Has(prefix+"geolocation.cc") {
		e.Set(prefix+"geolocation.cc", info.CountryCode)
	}
}

// row fills r with e's columns and appends e's JSON, without raw, to buf.
func (p *Pipeline) row(spec feed.Spec, rep feed.Report, e *event.Event, line int, owners []int64, buf []byte, r *storage.StoredEvent) []byte {
	get := func(k string) string { v, _ := e.Get(k); return v }
	*r = storage.StoredEvent{
		Line:        line,
		Fingerprint: spec.Fingerprint(e),
		Feed:        get("feed.name"),
		Taxonomy:    get("classification.taxonomy"),
		Type:        get("classification.type"),
		Identifier:  get("classification.identifier"),
		SourceIP:    get("source.ip"),
		SourceFQDN:  get("source.fqdn"),
	}
	if r.Feed == "" {
		r.Feed = spec.Name
	}
	if len(owners) > 0 {
		r.Owners = slices.Clone(owners)
		if p.cfg.Findings != nil {
			// Here in the workers, not in the one writer: the writer's time
			// is the pipeline's limit.
			r.GapResource, r.GapIdentifier, _ = finding.GapOf(e.Get)
		}
	}
	if asn, ok := enrich.ParseASN(get("source.asn")); ok {
		r.SourceASN = asn
	}
	r.TimeSource = parseTime(get("time.source"))
	if r.TimeObservation = parseTime(get("time.observation")); r.TimeObservation.IsZero() {
		r.TimeObservation = rep.Observed
	}
	if r.TimeObservation.IsZero() {
		r.TimeObservation = time.Now().UTC()
	}
	// raw stays in the report archive: the row points to it by report and
	// line, and copying it would double the row's size.
	e.Delete("raw")
	return e.AppendJSON(buf)
}

// parseTime reads the canonical form the event model stores; anything
// else gives the zero time (no time.source) rather than failing the event.
func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}
