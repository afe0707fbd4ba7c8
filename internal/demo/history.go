package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"net/netip"
	"net/url"
	"time"

	"github.com/qalxan/qalxan/internal/constituency"
	"github.com/qalxan/qalxan/internal/finding"
	"github.com/qalxan/qalxan/internal/storage"
)

// HistoryMonths is how far back the demo's findings history reaches: two
// years and a month, so that the month before last has a "same month a
// year earlier" with figures behind it.
const HistoryMonths = 25

// historyGap is one kind of gap the history is made of: identifier, type
// and taxonomy as the feeds give them, the port it is found on (0: the
// address alone), whether it is found on a host name rather than an
// address, and how common it is.
type historyGap struct {
	id, typ, tax string
	port         int
	onName       string // host name prefix ("mail.") for gaps on names
	weight       int
}

var historyGaps = []historyGap{
	{"accessible-rdp", "vulnerable-system", "vulnerable", 3389, "", 20},
	{"accessible-smb", "vulnerable-system", "vulnerable", 445, "", 10},
	{"open-redis", "vulnerable-system", "vulnerable", 6379, "", 6},
	{"open-elasticsearch", "vulnerable-system", "vulnerable", 9200, "", 5},
	{"accessible-telnet", "vulnerable-system", "vulnerable", 23, "", 5},
	{"open-ipmi", "vulnerable-system", "vulnerable", 623, "", 4},
	{"ssl-freak", "vulnerable-system", "vulnerable", 443, "", 6},
	{"vulnerable-exchange", "vulnerable-system", "vulnerable", 0, "mail.", 5},
	{"infected-system/mirai", "infected-system", "malicious-code", 0, "", 6},
	{"infected-system/andromeda", "infected-system", "malicious-code", 0, "", 4},
	{"phishing", "phishing", "fraud", 0, "secure-login.", 4},
	{"monitor/tls-version", "weak-crypto", "vulnerable", 0, "www.", 6},
}

// History generates the findings of the HistoryMonths months before now
// over the organisations' resources (read from the store, so any
// constituency works), with their lifecycle and the history rows that go
// with it. New gaps grow about 5 % a month, so a month has about 80 %
// more than a year earlier; most are fixed within their SLA, some late,
// some are still open and overdue, some accepted as risks (a few of those
// expired and reopened), a few disputed. Findings are first seen before
// the last 30 days, which belong to the demo's month of feed reports.
// The same organisations and now give the same history.
func History(orgs []constituency.Org, now time.Time) []storage.HistoricFinding {
	now = now.UTC()
	r := rand.New(rand.NewPCG(uint64(now.Year()*100+int(now.Month())), 0x9a1c4a2))
	policy := finding.DefaultPolicy()
	type target struct {
		org   *constituency.Org
		nets  []netip.Prefix
		names []string
	}
	var targets []target
	for i := range orgs {
		t := target{org: &orgs[i]}
		for _, res := range orgs[i].Resources {
			switch res.Kind {
			case constituency.KindCIDR:
				if p, err := netip.ParsePrefix(res.Value); err == nil {
					t.nets = append(t.nets, p)
				}
			case constituency.KindHost:
				if a, err := netip.ParseAddr(res.Value); err == nil {
					t.nets = append(t.nets, netip.PrefixFrom(a, a.BitLen()))
				}
			case constituency.KindDomain:
				t.names = append(t.names, res.Value)
			case constituency.KindURL:
				if u, err := url.Parse(res.Value); err == nil && u.Hostname() != "" {
					t.names = append(t.names, u.Hostname())
				}
			}
		}
		if len(t.nets) > 0 || len(t.names) > 0 {
			// Larger organisations (more resources) have more gaps.
			for range 1 + len(orgs[i].Resources)/3 {
				targets = append(targets, t)
			}
		}
	}
	if len(targets) == 0 {
		return nil
	}
	total := 0
	for _, g := range historyGaps {
		total += g.weight
	}
	pickGap := func() historyGap {
		n := r.IntN(total)
		for _, g := range historyGaps {
			if n -= g.weight; n < 0 {
				return g
			}
		}
		return historyGaps[0]
	}
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -HistoryMonths, 0)
	last := now.AddDate(0, 0, -Days)
	seen := map[finding.Key]bool{}
	var out []storage.HistoricFinding
	for m := 0; m < HistoryMonths+1; m++ {
		start := first.AddDate(0, m, 0)
		end := start.AddDate(0, 1, 0)
		if !start.Before(last) {
			break
		}
		end = minTime(end, last)
		n := int(math.Round(28 * math.Pow(1.05, float64(m)) * (0.9 + 0.2*r.Float64())))
		n = n * int(end.Sub(start).Hours()) / int(start.AddDate(0, 1, 0).Sub(start).Hours())
		for range n {
			g := pickGap()
			t := targets[r.IntN(len(targets))]
			res, ok := gapResource(r, g, t.nets, t.names)
			if !ok {
				continue
			}
			key := finding.Key{OrgID: t.org.ID, Resource: res, Identifier: g.id}
			if seen[key] {
				continue
			}
			seen[key] = true
			opened := start.Add(time.Duration(r.Int64N(int64(end.Sub(start))))).Truncate(time.Minute)
			out = append(out, lifecycle(r, policy, t.org, g, res, opened, now))
		}
	}
	return out
}

// gapResource picks the resource a gap is found on: an address (and
// port) in one of the organisation's networks, or a name under one of its
// domains.
func gapResource(r *rand.Rand, g historyGap, nets []netip.Prefix, names []string) (string, bool) {
	if g.onName != "" {
		if len(names) == 0 {
			return "", false
		}
		return g.onName + names[r.IntN(len(names))], true
	}
	if len(nets) == 0 {
		return "", false
	}
	p := nets[r.IntN(len(nets))]
	b := p.Addr().AsSlice()
	free := p.Addr().BitLen() - p.Bits()
	// A host among the first 256 of the network: enough variety, and
	// inside even a /24.
	for i := 0; i < min(free, 8); i++ {
		if r.IntN(2) == 1 {
			b[len(b)-1-i/8] ^= 1 << (i % 8)
		}
	}
	a, _ := netip.AddrFromSlice(b)
	if g.port == 0 {
		return a.String(), true
	}
	return netip.AddrPortFrom(a, uint16(g.port)).String(), true
}

// lifecycle plays a finding's life from opened to now: notified within
// hours; then fixed (mostly within the SLA), accepted as a risk,
// disputed, or still being worked on. Recent gaps are more often still
// open than old ones.
func lifecycle(r *rand.Rand, p finding.Policy, o *constituency.Org, g historyGap, res string, opened, now time.Time) (h storage.HistoricFinding) {
	sev := p.SeverityOf(g.id, g.typ, g.tax, o.CII)
	f := finding.Finding{OrgID: o.ID, Resource: res, Identifier: g.id, Taxonomy: g.tax, Type: g.typ, Source: "shadowserver",
		Severity: sev, Status: finding.Open, FirstSeen: opened, LastSeen: opened, Count: 1, DueAt: p.DueAt(sev, opened)}
	if g.id == "phishing" {
		f.Source = "openphish"
	} else if g.typ == "weak-crypto" {
		f.Source = "monitor"
	}
	move := func(to finding.Status, at time.Time, actor, reason string) bool {
		if !at.Before(now) {
			return false
		}
		h.Changes = append(h.Changes, finding.Change{At: at, Actor: actor, From: f.Status, To: to, Reason: reason})
		f.Status = to
		switch to {
		case finding.Notified:
			f.NotifiedAt = at
		case finding.Acknowledged:
			f.AcknowledgedAt = at
		case finding.Resolved:
			f.ResolvedAt = at
		case finding.Closed:
			f.ClosedAt = at
		}
		if reason != "" {
			f.Reason = reason
		}
		return true
	}
	sla := f.DueAt.Sub(opened)
	hour := func(lo, hi float64) time.Duration {
		return time.Duration((lo + r.Float64()*(hi-lo)) * float64(time.Hour)).Truncate(time.Second)
	}
	defer func() { h.Finding = f }()
	if !move(finding.Notified, opened.Add(hour(0.5, 6)), "notify", "") {
		return h
	}
	stillOpen := 0.06
	if now.Sub(opened) < 90*24*time.Hour {
		stillOpen = 0.2
	}
	switch x := r.Float64(); {
	case x < 0.06: // accepted for a year: expired ones reopen
		at := opened.Add(hour(24, 24*10))
		until := at.AddDate(1, 0, 0)
		if move(finding.Accepted, at, "analyst", "legacy system; replacement ordered") {
			f.AcceptedUntil = until
			if move(finding.Reopened, until, finding.SystemActor, fmt.Sprintf("risk acceptance expired on %s", until.Format(time.DateOnly))) {
				f.DueAt = p.DueAt(sev, until)
			}
		}
		return h
	case x < 0.09:
		move(finding.FalsePositive, opened.Add(hour(12, 24*5)), "analyst", "address belongs to a customer, not the organisation")
		return h
	case x < 0.09+stillOpen: // being worked on, often overdue
		if r.IntN(2) == 0 {
			move(finding.Acknowledged, f.NotifiedAt.Add(hour(4, 24*4)), "officer", "")
		}
		f.LastSeen = maxTime(opened, now.Add(-hour(24, 24*6)))
		f.Count = 1 + int64(f.LastSeen.Sub(opened).Hours()/24)
		return h
	}
	// Fixed: 82 % within the SLA, the rest late.
	took := time.Duration(float64(sla) * (0.1 + 0.85*r.Float64())).Truncate(time.Second)
	if r.Float64() > 0.82 {
		took = time.Duration(float64(sla) * (1.1 + 2*r.Float64())).Truncate(time.Second)
	}
	ack := f.NotifiedAt.Add(min(took/3, hour(2, 48)))
	if !move(finding.Acknowledged, ack, "officer", "") {
		return h
	}
	fixed := opened.Add(max(took, ack.Sub(opened)+time.Hour))
	f.LastSeen = fixed.Add(-hour(1, 20))
	if f.LastSeen.Before(opened) {
		f.LastSeen = opened
	}
	f.Count = 1 + int64(f.LastSeen.Sub(opened).Hours()/24)
	if !move(finding.Resolved, fixed, "officer", "") {
		return h
	}
	move(finding.Closed, fixed.Add(p.Quiet).Add(hour(0, 6)), finding.SystemActor, fmt.Sprintf("not reported for %d days after it was marked resolved", int(p.Quiet.Hours()/24)))
	return h
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// LoadHistory stores History(now) over the store's organisations when no
// finding was first seen more than 60 days before now (so a demo database
// gets its past once), and says how many findings it stored.
func LoadHistory(ctx context.Context, s *storage.Store, now time.Time) (int, bool, error) {
	n, err := s.CountFindingsBefore(ctx, now.AddDate(0, 0, -60))
	if err != nil || n > 0 {
		return 0, false, err
	}
	orgs, err := s.MatcherOrgs(ctx)
	if err != nil {
		return 0, false, err
	}
	stored, err := s.LoadFindingHistory(ctx, History(orgs, now))
	if err != nil {
		return 0, false, fmt.Errorf("demo: history: %w", err)
	}
	return stored, true, nil
}
